/** The preview's own pages: the article index, the paged print preview and the error page. */
import { formatBytes, formatDiagnostic } from '../diagnostics/report.js';
import { escapeHtml } from '../html/text.js';
import { injectReloadScript } from './live-reload.js';
import type { ArticleState, PreviewState } from './state.js';


export const articleHref = (name: string, ext: 'html' | 'pdf' | 'epub'): string => `/${encodeURIComponent(name)}.${ext}`;
export const printHref = (name: string): string => `/print/${encodeURIComponent(name)}`;

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1.5rem; color: #222; }
  h1 { font-size: 1.3rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  .ok { color: #176b2c; } .failed { color: #a4161a; } .pending { color: #777; }
  .banner { background: #fde8e8; border: 1px solid #a4161a; padding: .6rem 1rem; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 13px; }
  pre { white-space: pre-wrap; font-size: 13px; margin: .3rem 0; }
  details summary { cursor: pointer; }
`;

function page(title: string, body: string, reloadFor: string | null, extraStyle = ''): string {
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}${extraStyle}</style>
</head>
<body>
${body}
</body>
</html>
`;
  return injectReloadScript(html, reloadFor);
}

function statusCell(article: ArticleState): string {
  if (article.status === 'pending') return '<span class="pending">building…</span>';
  if (article.status === 'failed') return `<span class="failed">✖ failed</span><pre>${escapeHtml(article.error ?? '')}</pre>`;
  return `<span class="ok">✔</span>${article.ms === undefined ? '' : ` ${(article.ms / 1000).toFixed(2)} s`}`;
}

function linksCell(article: ArticleState): string {
  const links: string[] = [];
  for (const output of article.outputs) {
    if (output.format === 'html') links.push(`<a href="${articleHref(article.name, 'html')}">web page</a>`);
    if (output.format === 'pdf') {
      const pages = output.pages === undefined ? '' : `, ${output.pages} page${output.pages === 1 ? '' : 's'}`;
      links.push(`<a href="${printHref(article.name)}">print preview</a> (${formatBytes(output.bytes)}${pages})`);
    }
    if (output.format === 'epub') links.push(`<a href="${articleHref(article.name, 'epub')}" download>EPUB</a> (${formatBytes(output.bytes)})`);
  }
  return links.join(' · ') || '—';
}

function warningsCell(article: ArticleState): string {
  const list = article.diagnostics.filter((d) => d.severity !== 'info');
  if (list.length === 0) return '0';
  return `<details><summary>${list.length}</summary><pre>${escapeHtml(list.map(formatDiagnostic).join('\n'))}</pre></details>`;
}

export function indexPage(state: PreviewState): string {
  const articles = [...state.articles.values()].sort((a, b) => a.source.localeCompare(b.source));
  const banner = state.configError ? `<div class="banner">${escapeHtml(state.configError)}</div>` : '';
  const rows = articles
    .map(
      (a) =>
        `<tr><td><strong>${escapeHtml(a.name)}</strong><br><small>${escapeHtml(a.source)}</small></td><td>${statusCell(a)}</td><td>${linksCell(a)}</td><td>${warningsCell(a)}</td></tr>`,
    )
    .join('\n');
  const table = articles.length
    ? `<table><thead><tr><th>Article</th><th>Build</th><th>Outputs</th><th>Warnings</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : '<p>No articles yet. Create one with <code>imprint init &lt;name&gt;</code>.</p>';
  const status = state.building ? '<p class="pending">Building…</p>' : '';
  return page('Imprint preview', `<h1>Imprint preview</h1>\n${banner}\n${status}\n${table}`, null);
}

export function printPage(article: ArticleState): string {
  const pdf = article.outputs.find((o) => o.format === 'pdf');
  const info = pdf ? `${formatBytes(pdf.bytes)}${pdf.pages === undefined ? '' : `, ${pdf.pages} page${pdf.pages === 1 ? '' : 's'}`}` : '';
  const nav = [
    '<a href="/">all articles</a>',
    article.outputs.some((o) => o.format === 'html') ? `<a href="${articleHref(article.name, 'html')}">web page</a>` : '',
    `<a href="${articleHref(article.name, 'pdf')}">open the PDF</a>`,
  ]
    .filter(Boolean)
    .join(' · ');
  const body = `<header><strong>${escapeHtml(article.name)}</strong> — print preview ${escapeHtml(info)} · ${nav}</header>
<iframe src="${articleHref(article.name, 'pdf')}?v=${article.version}#view=FitH" title="${escapeHtml(article.name)}.pdf"></iframe>`;
  const style = `
  body { max-width: none; padding: 0; height: 100vh; display: flex; flex-direction: column; }
  header { padding: .5rem 1rem; border-bottom: 1px solid #ddd; }
  iframe { flex: 1; border: 0; width: 100%; }`;
  return page(`${article.name} — print preview`, body, article.name, style);
}

export function errorPage(title: string, message: string, reloadFor: string | null): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<div class="banner">${escapeHtml(message)}</div>\n<p><a href="/">All articles</a></p>`, reloadFor);
}
