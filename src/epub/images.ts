/**
 * Images as stored in the book: the screen version of each resolved image (ImageAsset.screen ??
 * the original), with the media type the image stage sniffed from the bytes, never guessed from a
 * URL. Types epubcheck 4 does not accept as core media types (WebP became core only in EPUB 3.3,
 * and anything else) are converted with sharp (loaded only then, a few at a time); empty files
 * are never stored.
 *
 * Not the library's job: epub-gen-memory fetches what an <img src> names and takes its media type
 * from the name's extension. Imprint hands it, as each image's source, a key naming the stored
 * image by its sniffed type (img-1.jpeg), and gives it the bytes from memory through its image
 * hook (src/epub/generator.ts).
 */
import pLimit from 'p-limit';
import { loadSharp } from '../images/transform.js';
import type { Article, AssetSet, ImageAsset } from '../model.js';

/** Core media types of EPUB 3.2 that Imprint stores as they are (SVG is rasterized upstream). */
const CORE = new Set(['image/jpeg', 'image/png', 'image/gif']);
/** The extension epub-gen-memory gives a file of each type (mime's first), so that a key and its file agree. */
const EXT: Record<string, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/gif': 'gif' };
/**
 * Conversions run at once in the process, whatever the number of chapters and books in flight
 * (sharp works on its own threads; this bounds the decoded images held).
 */
const conversions = pLimit(4);

export interface EpubImage {
  id: string;
  /**
   * The image's source as handed to epub-gen-memory, e.g. img-1.jpeg: a key into the book's
   * in-memory images, never a URL or a path; the library stores the image as images/img-1.jpeg.
   */
  key: string;
  mediaType: string;
  bytes: Uint8Array;
  width: number;
  height: number;
}

export interface StoredImage {
  bytes: Uint8Array;
  mediaType: string;
  ext: string;
  width: number;
  height: number;
}

/** The version of an asset shown on screen, in a media type every EPUB reader takes. */
export async function storableImage(asset: ImageAsset): Promise<StoredImage | undefined> {
  const shown = asset.screen ?? asset;
  if (shown.bytes.byteLength === 0) return undefined;
  const ext = EXT[shown.mediaType];
  if (CORE.has(shown.mediaType) && ext) {
    return { bytes: shown.bytes, mediaType: shown.mediaType, ext, width: shown.width, height: shown.height };
  }
  const sharp = await loadSharp();
  try {
    const image = sharp(shown.bytes, { limitInputPixels: 150_000_000 });
    const { hasAlpha } = await image.metadata();
    const converted = hasAlpha
      ? await image.png({ compressionLevel: 9 }).toBuffer({ resolveWithObject: true })
      : await image.jpeg({ quality: 90, mozjpeg: true }).toBuffer({ resolveWithObject: true });
    const mediaType = hasAlpha ? 'image/png' : 'image/jpeg';
    return {
      bytes: new Uint8Array(converted.data),
      mediaType,
      ext: EXT[mediaType] ?? 'bin',
      width: converted.info.width,
      height: converted.info.height,
    };
  } catch {
    return undefined;
  }
}

/**
 * The article's images that can be stored, by id, in document order (converted concurrently).
 * `prefix` keeps the keys of one chapter apart from another's (every article numbers its images
 * from img-1).
 */
export async function epubImages(article: Article, assets: AssetSet, prefix = ''): Promise<Map<string, EpubImage>> {
  const ids = [...new Set(article.images.map((ref) => ref.id))];
  const stored = await Promise.all(
    ids.map((id) => {
      const resolved = assets.get(id);
      return resolved?.kind === 'image' ? conversions(() => storableImage(resolved)) : undefined;
    }),
  );
  const images = new Map<string, EpubImage>();
  ids.forEach((id, i) => {
    const image = stored[i];
    if (!image) return;
    images.set(id, { id, key: `${prefix}${id.replace(/[^\w-]/g, '_')}.${image.ext}`, mediaType: image.mediaType, bytes: image.bytes, width: image.width, height: image.height });
  });
  return images;
}
