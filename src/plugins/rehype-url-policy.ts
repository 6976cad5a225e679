/**
 * Link URL policy: a link may point to http, https or mailto, or be relative to the document
 * (#fragments included). Any other link — javascript:, vbscript:, file:, data:, ftp:, … — is
 * unwrapped: its text stays, the link goes, with a warning at its position. So is an http(s) link
 * to a loopback, private or link-local address or a local name (localhost, *.local, …): it leads
 * into the editor's network, nowhere a reader can follow.
 *
 * Runs before Imprint's own plugins, so that no refused URL becomes a note or a figure's link.
 * Images are not touched: the image stage alone decides what an image URL may be, and only its
 * resolved assets ever reach an output.
 */
import type { Root } from 'hast';
import type { Position } from 'unist';
import type { VFile } from 'vfile';
import { unwrapLinks } from './lib/hast.js';
import { checkLink, LINK_SCHEMES, privateHost, shownUrl } from './lib/url-policy.js';
import { diagnose } from '../diagnostics/rules.js';

export interface UrlPolicyOptions {
  /** Schemes a link may use (relative links are always allowed). */
  schemes?: readonly string[];
}

export default function rehypeUrlPolicy(options: UrlPolicyOptions = {}) {
  const schemes = options.schemes ?? LINK_SCHEMES;
  return (tree: Root, file: VFile): void => {
    const report = (href: string, place: Position | undefined): void => {
      const local = privateHost(href);
      if (local !== undefined) {
        diagnose(file, 'link-private', `Removed a link to a ${local} (a reader cannot follow it); its text is kept: ${shownUrl(href)}`, place);
        return;
      }
      const verdict = checkLink(href, schemes);
      const what = verdict.scheme ? `${verdict.scheme}: link` : 'link';
      const why = verdict.unsafe ? 'unsafe' : `links may be ${schemes.join(', ')} or relative`;
      diagnose(file, verdict.unsafe ? 'unsafe-link' : 'link-scheme', `Removed a ${what} (${why}); its text is kept: ${shownUrl(href)}`, place);
    };
    unwrapLinks(tree, (link) => {
      const href = link.properties['href'];
      if (typeof href !== 'string' || (checkLink(href, schemes).allowed && privateHost(href) === undefined)) return false;
      report(href, link.position);
      return true;
    });
  };
}
