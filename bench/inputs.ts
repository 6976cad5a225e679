/**
 * The bench's inputs, generated from the sample article into a throw-away project (never the
 * repository's content/ or output/):
 *
 *   sample/content/sample.md        the sample article as it is
 *   batch/content/article-NN.md     20 articles: the sample, each with its own title and paragraph
 *   book/content/book/              the same 20 articles as the chapters of one book (book.yaml)
 *   long/content/long.md            one article 50 times the sample's length (50 parts, one title)
 *   one-paragraph/content/one.md    100 000 characters of the sample's text in a single paragraph
 *   paragraphs/content/many.md      the same characters in 500 paragraphs (the linear-time pair)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const BATCH_SIZE = 20;
export const LONG_FACTOR = 50;
export const LINEAR_CHARS = 100_000;
export const LINEAR_PARAGRAPHS = 500;

export interface BenchInputs {
  /** Project folders (each with content/): run imprint with this as cwd. */
  sample: string;
  batch: string;
  /** The batch's articles as one book of as many chapters. */
  book: string;
  long: string;
  oneParagraph: string;
  paragraphs: string;
  /** The Markdown files, for peers that take file arguments. */
  files: { sample: string; batch: string[]; long: string };
}

/** Splits a Markdown article into its front matter block (with the fences) and its body. */
function splitFrontMatter(text: string): { frontMatter: string; body: string } {
  const match = /^---\n[\s\S]*?\n---\n/.exec(text);
  return match ? { frontMatter: match[0], body: text.slice(match[0].length) } : { frontMatter: '', body: text };
}

async function writeArticle(project: string, name: string, text: string): Promise<string> {
  const dir = path.join(project, 'content');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.md`);
  await writeFile(file, text);
  return file;
}

export async function generateInputs(root: string, sampleFile: string): Promise<BenchInputs> {
  const sample = (await readFile(sampleFile, 'utf8')).replace(/\r\n?/g, '\n');
  const { frontMatter, body } = splitFrontMatter(sample);
  const title = /^# (.+)$/m.exec(body)?.[1] ?? 'Sample';
  const bodyWithoutTitle = body.replace(/^# .+\n/gm, '');

  const sampleProject = path.join(root, 'sample');
  const sampleMd = await writeArticle(sampleProject, 'sample', sample);

  const batchProject = path.join(root, 'batch');
  const batch: string[] = [];
  for (let i = 1; i <= BATCH_SIZE; i++) {
    const n = String(i).padStart(2, '0');
    const text = `${frontMatter}\n# ${title}（第 ${i} 篇）\n\n本篇是基准测试的第 ${i} 篇文章。\n${bodyWithoutTitle}`;
    batch.push(await writeArticle(batchProject, `article-${n}`, text));
  }

  // The same articles as the chapters of one book.
  const bookProject = path.join(root, 'book');
  const bookDir = path.join(bookProject, 'content', 'book');
  await mkdir(bookDir, { recursive: true });
  for (const file of batch) await writeFile(path.join(bookDir, path.basename(file)), await readFile(file));
  await writeFile(path.join(bookDir, 'book.yaml'), `title: 基准测试文集\neditor: 基准测试\ndate: 2023-11-15\nlang: zh-CN\n`);

  const longProject = path.join(root, 'long');
  const parts: string[] = [];
  for (let i = 1; i <= LONG_FACTOR; i++) parts.push(`## 第 ${i} 部分\n\n${bodyWithoutTitle.trim()}\n`);
  const longMd = await writeArticle(longProject, 'long', `${frontMatter}\n# ${title}\n\n${parts.join('\n')}`);

  // The linear-time pair: the sample's paragraphs, without markup, repeated to LINEAR_CHARS
  // characters, as one paragraph and as LINEAR_PARAGRAPHS paragraphs of equal length.
  const plain = bodyWithoutTitle
    .split(/\n{2,}/)
    .filter((p) => !/^(#|!|_|\*\*|【)/.test(p.trim()) && !p.includes(']('))
    .map((p) => p.replace(/\n/g, ''))
    .join('');
  const text = plain.repeat(Math.ceil(LINEAR_CHARS / plain.length)).slice(0, LINEAR_CHARS);
  const head = `---\ntitle: 长段落\nlang: zh-CN\n---\n\n`;
  const oneProject = path.join(root, 'one-paragraph');
  await writeArticle(oneProject, 'one', `${head}${text}\n`);
  const step = LINEAR_CHARS / LINEAR_PARAGRAPHS;
  const pieces = Array.from({ length: LINEAR_PARAGRAPHS }, (_, i) => text.slice(i * step, (i + 1) * step));
  const manyProject = path.join(root, 'paragraphs');
  await writeArticle(manyProject, 'many', `${head}${pieces.join('\n\n')}\n`);

  return {
    sample: sampleProject,
    batch: batchProject,
    book: bookProject,
    long: longProject,
    oneParagraph: oneProject,
    paragraphs: manyProject,
    files: { sample: sampleMd, batch, long: longMd },
  };
}
