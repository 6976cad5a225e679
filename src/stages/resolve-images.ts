/**
 * Stage: resolve every image of an article before anything is rendered, so
 * HTML, PDF and EPUB share one asset set. Local images come from the content
 * root, remote ones are downloaded by Imprint (address policy, timeouts, size
 * limit, redirects, cache); anything that cannot be had becomes a placeholder
 * and one warning at the image's position. Never throws for a bad image.
 */
import os from 'node:os';
import pLimit from 'p-limit';
import type { VFile } from 'vfile';
import type { Config } from '../config/schema.js';
import type { ElementContent } from 'hast';
import type { Article, AssetSet, ImageAsset, ImagePlaceholder, ImageRef, PlaceholderCause, Position, ResolvedImage } from '../model.js';
import { createAddressPolicy } from '../images/address-policy.js';
import { createImageCache } from '../images/cache.js';
import { HostProblem, fetchImage, hostKey } from '../images/fetch.js';
import { createHostLookup } from '../images/host-lookup.js';
import { readLocalImage } from '../images/local.js';
import { ImageProblem, type ImageRuleId } from '../images/problem.js';
import { sniffImage } from '../images/sniff.js';
import { classifySource, decodeDataUri } from '../images/source.js';
import type { ImageSource } from '../images/source.js';
import { prepareImage } from '../images/transform.js';
import type { PreparedImage } from '../images/transform.js';
import { diagnose } from '../diagnostics/rules.js';

export interface ImageResolverOptions {
  images: Config['images'];
  /** true: no network at all, cache only. */
  offline: boolean;
  /** e.g. <project>/.cache/images */
  cacheDir: string;
  /** Absolute; local images may never resolve outside it. */
  contentRoot: string;
}

export interface ImageResolver {
  /** Resolve all images of one article; warnings go to `file` at each ImageRef.position. Never throws for a bad image. */
  resolve(images: readonly ImageRef[], file: VFile, articlePath: string): Promise<AssetSet>;
  /** Resolve a single URL or path (front-matter cover); undefined + warning when it cannot be had. */
  resolveOne(url: string, id: string, file: VFile, articlePath: string): Promise<ImageAsset | undefined>;
}

type Outcome = { ok: true; image: PreparedImage } | { ok: false; problem: ImageProblem };

/** Shorten a URL for a message (data: URIs and long CDN URLs). */
function shortUrl(url: string): string {
  const oneLine = url.trim().replace(/\s+/g, ' ');
  if (oneLine.startsWith('data:')) return `${oneLine.slice(0, 30)}…`;
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}…` : oneLine;
}

function toProblem(error: unknown): ImageProblem {
  if (error instanceof ImageProblem) return error;
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new ImageProblem('image-invalid', `invalid (${detail ?? 'unknown error'})`);
}

const CAUSES: Record<ImageRuleId, PlaceholderCause> = {
  'image-unreachable': 'unreachable',
  'image-uncached': 'uncached',
  'image-refused': 'refused',
  'image-invalid': 'invalid',
  'image-too-large': 'too-large',
};

/**
 * The notes of an article once its images are resolved: the URL of an image the address policy
 * refused (a name that resolved to a private address, a redirect into one) stays in its note, as
 * plain text instead of a link. Parsing already showed addresses refused as written (127.0.0.1,
 * localhost) as text; this covers what only the download could tell.
 */
export function unlinkRefusedSources(article: Article, assets: AssetSet): void {
  const refused = new Set<string>();
  for (const image of article.images) {
    const resolved = assets.get(image.id);
    if (resolved?.kind === 'placeholder' && resolved.cause === 'refused') refused.add(image.url);
  }
  if (refused.size === 0) return;
  const unlink = (children: ElementContent[]): ElementContent[] =>
    children.flatMap((child): ElementContent[] => {
      if (child.type !== 'element') return [child];
      const href = child.properties['href'];
      if (child.tagName === 'a' && typeof href === 'string' && refused.has(href)) return unlink(child.children);
      child.children = unlink(child.children);
      return [child];
    });
  for (const note of article.notes) note.content = unlink(note.content);
}

export function createImageResolver(options: ImageResolverOptions): ImageResolver {
  const settings = options.images;
  const networkOff = options.offline || !settings.fetch;
  const policy = createAddressPolicy(settings.allowHosts);
  const hosts = createHostLookup(settings.connectTimeoutMs);
  const cache = createImageCache(options.cacheDir);
  const downloads = pLimit(settings.concurrency);
  const processing = pLimit(Math.max(2, Math.min(8, os.availableParallelism())));
  /** One outcome per source for the whole run (same image in several places or articles). */
  const outcomes = new Map<string, Promise<Outcome>>();
  /** Hosts that failed for good in this run (DNS, refused, connect timeout): later images fail at once. */
  const deadHosts = new Map<string, ImageProblem>();
  /** The run's download budget starts with its first download. */
  let budgetEnd: number | undefined;

  async function download(url: URL): Promise<Uint8Array> {
    const key = hostKey(url);
    const dead = deadHosts.get(key);
    if (dead) throw new ImageProblem(dead.ruleId, dead.reason);
    budgetEnd ??= Date.now() + settings.budgetMs;
    const remaining = budgetEnd - Date.now();
    const budgetReason = `unreachable (image time budget of ${Math.round(settings.budgetMs / 100) / 10} s used up)`;
    if (remaining <= 0) throw new ImageProblem('image-unreachable', budgetReason);
    try {
      const fetched = await fetchImage(url, {
        policy,
        hosts,
        connectTimeoutMs: settings.connectTimeoutMs,
        timeoutMs: Math.min(settings.timeoutMs, remaining),
        ...(remaining < settings.timeoutMs ? { timeoutReason: budgetReason } : {}),
        maxBytes: settings.maxBytes,
        maxRedirects: settings.maxRedirects,
      });
      return fetched.bytes;
    } catch (error) {
      if (error instanceof HostProblem) deadHosts.set(error.host, error);
      throw error;
    }
  }

  async function loadRemote(url: URL): Promise<PreparedImage> {
    const href = url.href;
    const cached = await cache.get(href);
    if (cached?.bytes) {
      const sniffed = await sniffImage(cached.bytes).catch(() => undefined);
      if (sniffed) return processing(() => prepareImage(cached.bytes ?? new Uint8Array(), sniffed, settings));
    }
    const known =
      cached?.meta?.width && cached.meta.height ? { width: cached.meta.width, height: cached.meta.height } : undefined;
    if (networkOff) {
      throw new ImageProblem('image-uncached', `not in the cache (${options.offline ? 'offline' : 'images.fetch is false'})`, known);
    }
    let bytes: Uint8Array;
    try {
      bytes = await downloads(() => download(url));
    } catch (error) {
      const problem = toProblem(error);
      if (problem.ruleId === 'image-too-large' && problem.width && problem.height) {
        await cache.putMeta(href, { width: problem.width, height: problem.height }).catch(() => undefined);
      } else if (known && problem.width === undefined) {
        problem.width = known.width;
        problem.height = known.height;
      }
      throw problem;
    }
    const sniffed = await sniffImage(bytes);
    await cache
      .put(href, bytes, { mediaType: sniffed.mediaType, width: sniffed.width, height: sniffed.height })
      .catch(() => undefined);
    return processing(() => prepareImage(bytes, sniffed, settings));
  }

  async function load(source: ImageSource): Promise<PreparedImage> {
    if (source.kind === 'remote') return loadRemote(source.url);
    const bytes =
      source.kind === 'data'
        ? decodeDataUri(source.uri, settings.maxBytes)
        : await readLocalImage(source.path, options.contentRoot, settings.maxBytes);
    const sniffed = await sniffImage(bytes);
    return processing(() => prepareImage(bytes, sniffed, settings));
  }

  function obtain(raw: string, articlePath: string): Promise<Outcome> {
    let source: ImageSource;
    try {
      source = classifySource(raw, articlePath);
    } catch (error) {
      return Promise.resolve({ ok: false, problem: toProblem(error) });
    }
    const key = source.kind === 'remote' ? source.url.href : source.kind === 'local' ? `file:${source.path}` : source.uri;
    let outcome = outcomes.get(key);
    if (!outcome) {
      outcome = load(source).then(
        (image): Outcome => {
          // Keep failures for the run (cheap, and each is tried once); drop the bytes of
          // successes once every waiting reference has them: the disk cache serves repeats.
          outcomes.delete(key);
          return { ok: true, image };
        },
        (error: unknown): Outcome => ({ ok: false, problem: toProblem(error) }),
      );
      outcomes.set(key, outcome);
    }
    return outcome;
  }

  /** Turn an outcome into the asset or placeholder for `id`, reporting at `place`. */
  function settle(outcome: Outcome, id: string, url: string, file: VFile, place: Position | undefined): ResolvedImage {
    const name = `Image ${shortUrl(url)}`;
    if (outcome.ok) {
      const { repairs, ...image } = outcome.image;
      for (const repair of repairs) diagnose(file, repair.ruleId, `${name}: ${repair.message}`, place);
      return { kind: 'image', id, ...image };
    }
    const { problem } = outcome;
    diagnose(file, problem.ruleId, `${name} is ${problem.reason}: shown as a placeholder`, place);
    const placeholder: ImagePlaceholder = { kind: 'placeholder', id, reason: problem.reason, cause: CAUSES[problem.ruleId] };
    if (problem.width && problem.height) {
      placeholder.width = problem.width;
      placeholder.height = problem.height;
    }
    return placeholder;
  }

  return {
    async resolve(images, file, articlePath) {
      const settled = await Promise.all(
        images.map(async (ref) => settle(await obtain(ref.url, articlePath), ref.id, ref.url, file, ref.position)),
      );
      const assets: AssetSet = new Map();
      for (const image of settled) assets.set(image.id, image);
      return assets;
    },
    async resolveOne(url, id, file, articlePath) {
      const resolved = settle(await obtain(url, articlePath), id, url, file, undefined);
      return resolved.kind === 'image' ? resolved : undefined;
    },
  };
}
