/**
 * The bench's inputs, generated from the sample article into a throw-away project (never the
 * repository's content/ or output/):
 *
 *   sample/content/sample.md        the sample article as it is
 *   batch/content/article-NN.md     20 articles: the sample, each with its own title and paragraph
 *   long/content/long.md            one article 50 times the sample's length (50 parts, one title)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const BATCH_SIZE = 20;
export const LONG_FACTOR = 50;

export interface BenchInputs {
  /** Project folders (each with content/): run imprint with this as cwd. */
  sample: string;
  batch: string;
  long: string;
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

  const longProject = path.join(root, 'long');
  const parts: string[] = [];
  for (let i = 1; i <= LONG_FACTOR; i++) parts.push(`## 第 ${i} 部分\n\n${bodyWithoutTitle.trim()}\n`);
  const longMd = await writeArticle(longProject, 'long', `${frontMatter}\n# ${title}\n\n${parts.join('\n')}`);

  return { sample: sampleProject, batch: batchProject, long: longProject, files: { sample: sampleMd, batch, long: longMd } };
}
