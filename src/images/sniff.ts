/**
 * The type of an image comes from its bytes (file-type, plus an SVG check since
 * SVG is text), never from the URL or the server's Content-Type header.
 * Dimensions come from the header (image-size), so they are known even from
 * the first kilobytes of an image too large to download.
 */
import { imageSize } from 'image-size';
import { ImageProblem } from './problem.js';

export interface Sniffed {
  /** Media type from the bytes, e.g. image/png. */
  mediaType: string;
  /** Extension matching mediaType, without dot. */
  ext: string;
  /** Displayed size (EXIF orientation applied). */
  width: number;
  height: number;
}

/** Extensions Imprint writes for the media types it meets. */
const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/apng': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/svg+xml': 'svg',
  'image/tiff': 'tif',
  'image/bmp': 'bmp',
  'image/heic': 'heic',
  'image/heif': 'heif',
};

/** Width and height from an image header (possibly truncated); undefined when unreadable. */
export function headerSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  try {
    const size = imageSize(bytes);
    const { width, height } = size;
    if (!(width > 0 && height > 0)) return undefined;
    // EXIF orientations 5–8 rotate by 90°: the displayed image is height × width.
    return (size.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
  } catch {
    return undefined;
  }
}

/** True when the bytes are an SVG document (XML declaration, comments and doctype allowed before <svg). */
export function looksLikeSvg(bytes: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 4096))
    .replace(/^\uFEFF/, '');
  const rest = text
    .replace(/^\s*<\?xml[\s\S]*?\?>/, '')
    .replace(/^(\s*<!--[\s\S]*?-->)+/, '')
    .replace(/^\s*<!DOCTYPE\s+svg[^>[]*(\[[\s\S]*?\])?\s*>/i, '')
    .replace(/^(\s*<!--[\s\S]*?-->)+/, '');
  return /^\s*<svg[\s>]/i.test(rest);
}

function looksLikeHtml(bytes: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 1024));
  return /^\s*(<!doctype html|<html|<head|<body|<!--)/i.test(text.replace(/^\uFEFF/, ''));
}

/** Sniff an image; rejects with ImageProblem('image-invalid') when the bytes are not a usable image. */
export async function sniffImage(bytes: Uint8Array): Promise<Sniffed> {
  if (bytes.length === 0) throw new ImageProblem('image-invalid', 'invalid (empty file)');
  // Lazy: file-type takes about 35 ms to load; runs without image bytes to sniff never load it.
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(bytes);
  let mediaType: string;
  if (detected?.mime.startsWith('image/')) {
    mediaType = detected.mime === 'image/apng' ? 'image/png' : detected.mime;
  } else if (looksLikeSvg(bytes)) {
    mediaType = 'image/svg+xml';
  } else {
    const what = detected ? detected.mime : looksLikeHtml(bytes) ? 'an HTML page' : 'unknown data';
    throw new ImageProblem('image-invalid', `invalid (not an image: ${what})`);
  }
  const size = headerSize(bytes);
  if (!size && mediaType !== 'image/svg+xml') {
    throw new ImageProblem('image-invalid', `invalid (${mediaType} without readable dimensions)`);
  }
  return {
    mediaType,
    ext: EXT[mediaType] ?? detected?.ext ?? 'bin',
    width: size?.width ?? 0,
    height: size?.height ?? 0,
  };
}
