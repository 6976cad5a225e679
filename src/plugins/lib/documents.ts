/**
 * The documents published together — one run of `imprint publish`, a preview session, a book's
 * chapters — and how a relative link of one of them finds another. Paths are written as the run
 * writes them (relative to the project root, forward slashes), so a link `../b/other.md` of
 * `content/a/essay.md` is `content/b/other.md`.
 */
import path from 'node:path';

/** Extensions by which a link names a document: its Markdown file or one of its outputs. */
const DOCUMENT_EXTENSION = /\.(?:md|markdown|html?|pdf|epub)$/i;
const MARKDOWN_EXTENSION = /\.(?:md|markdown)$/i;

/** The output name of a document (content/<name>.md → output/<name>.{html,pdf,epub}). */
export function documentName(documentPath: string): string {
  return path.posix.basename(documentPath).replace(MARKDOWN_EXTENSION, '');
}

/** A path as the set writes it: forward slashes, no `.` or `..` segments where they can go. */
export function normalizeDocumentPath(value: string): string {
  return path.posix.normalize(value.split(path.sep).join('/'));
}

/**
 * The path a relative URL of the document at `from` points at, without query and fragment, and
 * its fragment (decoded); undefined for a URL that is not a relative path (a scheme, //host,
 * a bare #fragment or ?query).
 */
export function resolveRelative(href: string, from: string): { target: string; fragment: string | undefined } | undefined {
  const value = href.trim();
  if (value === '' || /^[a-z][a-z0-9+.-]*:/i.test(value) || /^[/\\]{2}/.test(value) || /^[#?]/.test(value)) return undefined;
  const hash = value.indexOf('#');
  const rawFragment = hash >= 0 ? value.slice(hash + 1) : undefined;
  let pathPart = (hash >= 0 ? value.slice(0, hash) : value).replace(/\?.*$/, '');
  try {
    pathPart = decodeURIComponent(pathPart);
  } catch {
    // Kept as written.
  }
  let fragment = rawFragment;
  if (fragment !== undefined) {
    try {
      fragment = decodeURIComponent(fragment);
    } catch {
      // Kept as written.
    }
  }
  const base = path.posix.dirname(normalizeDocumentPath(from));
  const target = pathPart.startsWith('/') ? normalizeDocumentPath(pathPart.slice(1)) : normalizeDocumentPath(path.posix.join(base, pathPart));
  return { target, fragment: fragment === '' ? undefined : fragment };
}

/**
 * The document of `documents` that `target` names — its Markdown file, or one of its outputs
 * (other.html, other.pdf, other.epub) or its name without extension beside it — as its path in
 * `documents`; undefined when it is none of them.
 */
export function findDocument(target: string, documents: readonly string[]): string | undefined {
  const wanted = normalizeDocumentPath(target);
  const exact = documents.find((document) => normalizeDocumentPath(document) === wanted);
  if (exact !== undefined) return exact;
  const stem = wanted.replace(DOCUMENT_EXTENSION, '');
  return documents.find((document) => normalizeDocumentPath(document).replace(MARKDOWN_EXTENSION, '') === stem);
}
