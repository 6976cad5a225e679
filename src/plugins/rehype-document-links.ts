/**
 * Relative links between the documents published together (`file.data.publication`: one run,
 * a preview session, a book's chapters). A relative link to one of them — its Markdown file
 * (`other.md#part`), an output (`other.html`) or its name — becomes
 *   <a data-document="other" data-fragment="part">…</a>
 * without an href: each output points it at that document's output of its own format (the web
 * page at other.html#part, the PDF at other.pdf; see src/html/links.ts), and an output that has
 * no way to link leaves the text. Any other relative link would lead nowhere a reader has (the
 * editor's files, a page of the site the article was clipped from): it is unwrapped, its text
 * kept, with a warning at its position. Links to #fragments of the document itself stay.
 *
 * Every relative link's target is listed in `file.data.relativeLinks` (with the document it found,
 * if any), so that an incremental build knows when the set of documents changes what it links.
 */
import type { Root } from 'hast';
import type { VFile } from 'vfile';
import type { RelativeLink } from '../model.js';
import { documentName, findDocument, resolveRelative } from './lib/documents.js';
import { unwrapLinks } from './lib/hast.js';
import { shownUrl } from './lib/url-policy.js';
import { diagnose } from '../diagnostics/rules.js';

export default function rehypeDocumentLinks() {
  return (tree: Root, file: VFile): void => {
    const own = file.data.publication?.path ?? file.path ?? '';
    const documents = file.data.publication?.documents ?? (own ? [own] : []);
    const links: RelativeLink[] = [];
    unwrapLinks(tree, (link) => {
      const href = link.properties['href'];
      const resolved = typeof href === 'string' ? resolveRelative(href, own) : undefined;
      if (!resolved || typeof href !== 'string') return false;
      const document = findDocument(resolved.target, documents);
      links.push(document === undefined ? { target: resolved.target } : { target: resolved.target, document: documentName(document) });
      if (document === undefined) {
        diagnose(file, 'link-relative', `Removed a relative link to ${shownUrl(href)}: it is not a document published with this one; its text is kept`, link.position);
        return true;
      }
      delete link.properties['href'];
      if (document === own && resolved.fragment !== undefined) {
        // A link into the document itself.
        link.properties['href'] = `#${resolved.fragment}`;
      } else {
        link.properties['dataDocument'] = documentName(document);
        if (resolved.fragment !== undefined) link.properties['dataFragment'] = resolved.fragment;
      }
      return false;
    });
    file.data.relativeLinks = links;
  };
}
