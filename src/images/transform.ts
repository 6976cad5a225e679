/**
 * Per-output versions of one image (sharp):
 *  - print keeps the original bytes when Chromium shows the format
 *    (jpeg, png, gif, webp, avif); anything else is converted;
 *  - screen (HTML and EPUB) is scaled down to maxScreenWidth and converted to
 *    an EPUB core media type (jpeg, png, gif, webp) when needed;
 *  - SVG may carry scripts and external references: it is always rasterized
 *    to PNG, raw SVG is never passed on.
 */
import type { default as Sharpen, Sharp, SharpOptions } from 'sharp';
import type { RuleIds } from '../diagnostics/rules.js';
import type { ImageAsset } from '../model.js';
import { decodeBmp } from './bmp.js';
import { ImageProblem } from './problem.js';
import type { Sniffed } from './sniff.js';

export type ImageRepairRuleId = RuleIds<'image-scaled' | 'image-converted'>;

export interface ImageRepair {
  ruleId: ImageRepairRuleId;
  /** Sentence describing the repair, without the image's name. */
  message: string;
}

export type PreparedImage = Omit<ImageAsset, 'kind' | 'id'> & { repairs: ImageRepair[] };

export interface TransformOptions {
  maxScreenWidth: number;
}

/** Formats Chromium shows (PDF): everything else is converted for print too. */
const PRINT_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif']);
/** EPUB 3 core media types (SVG excluded on purpose: it is rasterized). */
const SCREEN_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
/** Largest decoded image accepted (pixels), against decompression bombs. */
const MAX_PIXELS = 150_000_000;
/** Longest side of a rasterized SVG. */
const MAX_SVG_SIDE = 4096;

const INPUT: SharpOptions = { failOn: 'truncated', limitInputPixels: MAX_PIXELS };

interface Version {
  bytes: Uint8Array;
  mediaType: string;
  ext: string;
  width: number;
  height: number;
}

let sharp: typeof Sharpen;
let sharpLoaded: Promise<typeof Sharpen> | undefined;
/**
 * sharp, loaded by the first image that needs it (here or in the EPUB stage). Lazy: sharp takes
 * about 250 ms to load, and a run whose images need no conversion (or has none) never loads it.
 */
export const loadSharp = (): Promise<typeof Sharpen> =>
  (sharpLoaded ??= import('sharp').then((module) => {
    sharp = module.default;
    return sharp;
  }));

/** Formats the prebuilt sharp decodes (BMP through ./bmp.js). */
const DECODABLE = new Set([...PRINT_TYPES, 'image/tiff', 'image/svg+xml', 'image/bmp']);

/** A sharp pipeline reading `bytes`. */
function open(bytes: Uint8Array, mediaType: string, options: SharpOptions = {}): Sharp {
  if (mediaType === 'image/bmp') {
    const raw = decodeBmp(bytes);
    if (!raw) throw new ImageProblem('image-invalid', 'invalid (unsupported or damaged BMP)');
    return sharp(raw.data, { ...INPUT, ...options, raw: { width: raw.width, height: raw.height, channels: raw.channels } });
  }
  return sharp(bytes, { ...INPUT, ...options });
}

function isAnimatable(mediaType: string): boolean {
  return mediaType === 'image/gif' || mediaType === 'image/webp';
}

async function encode(pipeline: Sharp, format: 'png' | 'jpeg' | 'gif' | 'webp'): Promise<Version> {
  const out =
    format === 'png'
      ? pipeline.png()
      : format === 'jpeg'
        ? pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 85 })
        : format === 'gif'
          ? pipeline.gif()
          : pipeline.webp({ quality: 85 });
  const { data, info } = await out.toBuffer({ resolveWithObject: true });
  const mediaType = `image/${format}`;
  const height = info.pageHeight ?? info.height;
  return { bytes: new Uint8Array(data), mediaType, ext: format === 'jpeg' ? 'jpg' : format, width: info.width, height };
}

/** PNG when the image has transparency, JPEG otherwise. */
async function flatFormat(bytes: Uint8Array, mediaType: string): Promise<'png' | 'jpeg'> {
  const meta = await open(bytes, mediaType).metadata();
  return meta.hasAlpha || meta.isPalette ? 'png' : 'jpeg';
}

function unsupported(mediaType: string, error: unknown): ImageProblem {
  const detail = error instanceof Error ? error.message.split('\n')[0] ?? '' : '';
  if (/pixel limit/i.test(detail)) return new ImageProblem('image-too-large', 'too large (too many pixels)');
  if (!DECODABLE.has(mediaType) || /unsupported image format|unsupported codec|no decoder|not a known file format/i.test(detail)) {
    return new ImageProblem('image-invalid', `invalid (format ${mediaType} cannot be converted)`);
  }
  return new ImageProblem('image-invalid', `invalid (damaged ${mediaType}${detail ? `: ${detail.slice(0, 80)}` : ''})`);
}

async function rasterizeSvg(bytes: Uint8Array, sniffed: Sniffed): Promise<Version> {
  // 72 dpi renders one SVG user unit as one pixel; render at 2× for print, capped.
  const side = Math.max(sniffed.width, sniffed.height);
  const scale = side > 0 ? Math.max(0.05, Math.min(2, MAX_SVG_SIDE / side)) : 2;
  return encode(sharp(bytes, { ...INPUT, density: 72 * scale }), 'png');
}

/** Build the print original and (when it differs) the screen version of an image. */
export async function prepareImage(bytes: Uint8Array, sniffed: Sniffed, options: TransformOptions): Promise<PreparedImage> {
  await loadSharp();
  const repairs: ImageRepair[] = [];
  let print: Version;
  try {
    if (sniffed.mediaType === 'image/svg+xml') {
      print = await rasterizeSvg(bytes, sniffed);
      repairs.push({ ruleId: 'image-converted', message: 'SVG rasterized to PNG (SVG may carry scripts)' });
    } else if (PRINT_TYPES.has(sniffed.mediaType)) {
      print = { bytes, mediaType: sniffed.mediaType, ext: sniffed.ext, width: sniffed.width, height: sniffed.height };
    } else {
      if (!DECODABLE.has(sniffed.mediaType)) {
        throw new ImageProblem('image-invalid', `invalid (format ${sniffed.mediaType} cannot be converted)`);
      }
      const format = await flatFormat(bytes, sniffed.mediaType);
      print = await encode(open(bytes, sniffed.mediaType).rotate(), format);
      repairs.push({ ruleId: 'image-converted', message: `converted from ${sniffed.mediaType} to ${print.mediaType}` });
    }

    const tooWide = print.width > options.maxScreenWidth;
    const screenable = SCREEN_TYPES.has(print.mediaType);
    let screen: Version | undefined;
    if (tooWide || !screenable) {
      const animated = isAnimatable(print.mediaType);
      let pipeline = open(print.bytes, print.mediaType, { animated });
      if (!animated) pipeline = pipeline.rotate();
      pipeline = pipeline.resize({ width: options.maxScreenWidth, withoutEnlargement: true });
      const format = screenable
        ? (print.ext === 'jpg' ? 'jpeg' : (print.ext as 'png' | 'gif' | 'webp'))
        : await flatFormat(print.bytes, print.mediaType);
      screen = await encode(pipeline, format);
      if (!screenable) {
        repairs.push({ ruleId: 'image-converted', message: `converted from ${print.mediaType} to ${screen.mediaType} for HTML and EPUB` });
      }
      // A rasterized SVG is drawn at the screen size: no scaling to report.
      if (tooWide && sniffed.mediaType !== 'image/svg+xml') {
        repairs.push({
          ruleId: 'image-scaled',
          message: `scaled from ${print.width}×${print.height} to ${screen.width}×${screen.height} for HTML and EPUB (print keeps the original)`,
        });
      }
    } else {
      // Nothing to change: still make sure the bytes decode, so a damaged image becomes a placeholder.
      await open(print.bytes, print.mediaType).resize(8, 8, { fit: 'inside' }).raw().toBuffer();
    }

    const prepared: PreparedImage = { ...print, repairs };
    if (screen) prepared.screen = screen;
    return prepared;
  } catch (error) {
    if (error instanceof ImageProblem) throw error;
    const problem = unsupported(sniffed.mediaType, error);
    if (sniffed.width > 0 && sniffed.height > 0) {
      problem.width = sniffed.width;
      problem.height = sniffed.height;
    }
    throw problem;
  }
}
