/**
 * Decode uncompressed Windows BMP (1/4/8-bit palette, 16/24/32-bit, BI_RGB and
 * BI_BITFIELDS) to raw RGBA, since the prebuilt sharp cannot read BMP.
 * RLE-compressed and embedded-JPEG/PNG BMPs are not supported.
 */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 4;
}

const MAX_PIXELS = 150_000_000;

function maskShift(mask: number): { shift: number; bits: number } {
  if (mask === 0) return { shift: 0, bits: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  let bits = 0;
  while (((mask >>> (shift + bits)) & 1) === 1) bits++;
  return { shift, bits };
}

/** Decode a BMP; undefined when the variant is not supported or the data is damaged. */
export function decodeBmp(bytes: Uint8Array): RawImage | undefined {
  if (bytes.length < 54 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (headerSize < 40) return undefined;
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bpp = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const height = Math.abs(rawHeight);
  const bottomUp = rawHeight > 0;
  if (width <= 0 || height <= 0 || width * height > MAX_PIXELS) return undefined;
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) return undefined;
  if (compression !== 0 && compression !== 3) return undefined;

  let masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f, 0] : [0xff0000, 0xff00, 0xff, 0];
  if (compression === 3) {
    const at = headerSize >= 52 ? 54 : 14 + headerSize;
    if (at + 12 > bytes.length) return undefined;
    masks = [view.getUint32(at, true), view.getUint32(at + 4, true), view.getUint32(at + 8, true), headerSize >= 56 ? view.getUint32(54, true) : 0];
  }
  const channels = masks.map(maskShift);

  const palette: number[][] = [];
  if (bpp <= 8) {
    const count = view.getUint32(46, true) || 1 << bpp;
    const start = 14 + headerSize;
    for (let i = 0; i < count && start + i * 4 + 3 < bytes.length; i++) {
      const p = start + i * 4;
      palette.push([bytes[p + 2] ?? 0, bytes[p + 1] ?? 0, bytes[p] ?? 0]);
    }
  }

  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  if (offset + stride * height > bytes.length) return undefined;
  const out = new Uint8Array(width * height * 4);
  const hasAlpha = bpp === 32 && (compression === 3 ? masks[3] !== 0 : false);
  for (let y = 0; y < height; y++) {
    const row = offset + (bottomUp ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      let r = 0, g = 0, b = 0, a = 255;
      if (bpp <= 8) {
        const bit = x * bpp;
        const byte = bytes[row + (bit >> 3)] ?? 0;
        const index = (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        [r = 0, g = 0, b = 0] = palette[index] ?? [];
      } else if (bpp === 24) {
        b = bytes[row + x * 3] ?? 0;
        g = bytes[row + x * 3 + 1] ?? 0;
        r = bytes[row + x * 3 + 2] ?? 0;
      } else {
        const value = bpp === 16 ? view.getUint16(row + x * 2, true) : view.getUint32(row + x * 4, true);
        const scale = (i: number): number => {
          const c = channels[i];
          if (!c || c.bits === 0) return 255;
          const v = (value >>> c.shift) & ((1 << c.bits) - 1);
          return Math.round((v * 255) / ((1 << c.bits) - 1));
        };
        r = scale(0);
        g = scale(1);
        b = scale(2);
        if (hasAlpha) a = scale(3);
      }
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = a;
    }
  }
  return { data: out, width, height, channels: 4 };
}
