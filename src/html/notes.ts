/**
 * The notes as an end-notes list (the HTML page, and the source the PDF layout
 * moves to the foot of each page). Each note has a back-link to its first reference.
 */
import type { Element, ElementContent } from 'hast';
import type { Note } from '../model.js';
import { stringsFor } from './strings.js';

function backlink(note: Note, label: string): Element {
  return {
    type: 'element',
    tagName: 'a',
    properties: { className: ['backlink'], href: `#${note.refIds[0] ?? `noteref-${note.number}`}`, role: 'doc-backlink', ariaLabel: label },
    children: [{ type: 'text', value: '↩\uFE0E' }],
  };
}

/** The note's content with the back-link appended to its last paragraph (or in a paragraph of its own). */
export function noteBody(note: Note, label: string): ElementContent[] {
  const content = structuredClone(note.content);
  const link = backlink(note, label);
  const last = content.at(-1);
  if (last && last.type === 'element' && last.tagName === 'p') {
    last.children.push({ type: 'text', value: ' ' }, link);
  } else {
    content.push({ type: 'element', tagName: 'p', properties: {}, children: [link] });
  }
  return content;
}

export function endnotesSection(notes: readonly Note[], lang: string): Element | undefined {
  if (notes.length === 0) return undefined;
  const strings = stringsFor(lang);
  return {
    type: 'element',
    tagName: 'section',
    properties: { className: ['notes'], role: 'doc-endnotes', ariaLabelledBy: ['notes-title'] },
    children: [
      { type: 'element', tagName: 'h2', properties: { className: ['notes-title'], id: 'notes-title' }, children: [{ type: 'text', value: strings.notes }] },
      {
        type: 'element',
        tagName: 'ol',
        properties: { className: ['notes-list'] },
        children: notes.map(
          (note): Element => ({
            type: 'element',
            tagName: 'li',
            properties: { className: ['note', `note-${note.kind}`], id: note.id, value: String(note.number) },
            children: noteBody(note, strings.backToText),
          }),
        ),
      },
    ],
  };
}
