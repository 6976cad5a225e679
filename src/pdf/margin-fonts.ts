/**
 * Which faces a theme's page margin boxes (running heads, page numbers) are set in, read from the
 * @page rules of its print.css. The PDF stage sets the margin-box text in exactly these faces
 * before printing, so their web-font slices are loaded (margin boxes load no fonts themselves).
 */

export interface MarginFace {
  /** First family of the font-family list, without quotes. */
  family: string;
  weight: number;
  style: 'normal' | 'italic';
}

const DEFAULT_FAMILY = 'Imprint Serif';

/** The body of the block that starts at `open` (the index of its "{"), and the index after it. */
function block(css: string, open: number): { body: string; end: number } {
  let depth = 0;
  for (let i = open; i < css.length; i++) {
    if (css[i] === '{') depth++;
    else if (css[i] === '}' && --depth === 0) return { body: css.slice(open + 1, i), end: i + 1 };
  }
  return { body: css.slice(open + 1), end: css.length };
}

/** The declarations of a block, without its nested blocks. */
function ownDeclarations(body: string): Map<string, string> {
  let flat = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '{') {
      const nested = block(body, i);
      flat = flat.replace(/[^;]*$/, '');
      i = nested.end - 1;
    } else flat += body[i];
  }
  const declarations = new Map<string, string>();
  for (const part of flat.split(';')) {
    const colon = part.indexOf(':');
    if (colon > 0) declarations.set(part.slice(0, colon).trim().toLowerCase(), part.slice(colon + 1).trim());
  }
  return declarations;
}

function face(own: Map<string, string>, page: Map<string, string>): MarginFace {
  const pick = (name: string): string | undefined => own.get(name) ?? page.get(name);
  let family = DEFAULT_FAMILY;
  let weight = 400;
  let style: MarginFace['style'] = 'normal';
  const shorthand = pick('font');
  if (shorthand) {
    if (/\bitalic\b|\boblique\b/.test(shorthand)) style = 'italic';
    if (/\bbold\b/.test(shorthand)) weight = 700;
    const numeric = /\b([1-9]00)\b/.exec(shorthand);
    if (numeric?.[1]) weight = Number(numeric[1]);
    const list = /(?:\d[\w.%]*(?:\/[\w.%]+)?)\s+(.+)$/.exec(shorthand)?.[1];
    if (list) family = list;
  }
  family = pick('font-family') ?? family;
  const weightValue = pick('font-weight');
  if (weightValue) weight = /bold/.test(weightValue) ? 700 : Number.parseInt(weightValue, 10) || 400;
  const styleValue = pick('font-style');
  if (styleValue) style = /italic|oblique/.test(styleValue) ? 'italic' : 'normal';
  const first = family.split(',')[0]?.trim().replace(/^["']|["']$/g, '') || DEFAULT_FAMILY;
  return { family: first, weight, style };
}

/** The distinct faces of all margin boxes in the @page rules of `css` (none when it has none). */
export function marginBoxFaces(css: string): MarginFace[] {
  const source = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const faces = new Map<string, MarginFace>();
  const pageRule = /@page\b[^{]*\{/g;
  for (let m = pageRule.exec(source); m; m = pageRule.exec(source)) {
    const { body, end } = block(source, m.index + m[0].length - 1);
    pageRule.lastIndex = end;
    const page = ownDeclarations(body);
    const boxRule = /@(top|bottom|left|right)-[a-z-]+\s*\{/g;
    for (let b = boxRule.exec(body); b; b = boxRule.exec(body)) {
      const box = block(body, b.index + b[0].length - 1);
      boxRule.lastIndex = box.end;
      const own = ownDeclarations(box.body);
      if (/^\s*none\s*$/.test(own.get('content') ?? '')) continue;
      const found = face(own, page);
      faces.set(`${found.family}|${found.weight}|${found.style}`, found);
    }
  }
  return [...faces.values()];
}
