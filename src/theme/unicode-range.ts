/** CSS unicode-range values: parsing and coverage. */

export type Range = [number, number];

/** Parses a CSS unicode-range list ("U+0-FF, U+4E00-4E3F, U+30??"). */
export function parseUnicodeRange(value: string): Range[] {
  const ranges: Range[] = [];
  for (const part of value.split(',')) {
    const m = /^\s*U\+([0-9a-f?]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
    if (!m?.[1]) continue;
    if (m[1].includes('?')) {
      ranges.push([parseInt(m[1].replace(/\?/g, '0'), 16), parseInt(m[1].replace(/\?/g, 'F'), 16)]);
    } else {
      const lo = parseInt(m[1], 16);
      ranges.push([lo, m[2] ? parseInt(m[2], 16) : lo]);
    }
  }
  return ranges;
}

/** A unicode-range value listing exactly `codes` (runs of consecutive code points as ranges). */
export function unicodeRangeOf(codes: Iterable<number>): string {
  const sorted = [...new Set(codes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    const lo = (sorted[i] as number).toString(16).toUpperCase();
    const hi = (sorted[j] as number).toString(16).toUpperCase();
    parts.push(i === j ? `U+${lo}` : `U+${lo}-${hi}`);
    i = j + 1;
  }
  return parts.join(',');
}
