import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { checkFixture, fixtureCases } from './harness.js';

describe('rehype-source-notes fixtures', () => {
  for (const name of fixtureCases('rehype-source-notes')) {
    it(name, () => {
      const article = checkFixture('rehype-source-notes', name);
      // One numbering, in order of first reference, and every reference points at an existing note.
      const refs = selectAll('sup.noteref > a', article.tree);
      const firsts = refs.map((a) => Number(String(a.properties['href']).replace('#note-', ''))).filter((n, i, all) => all.indexOf(n) === i);
      assert.deepEqual(firsts, article.notes.map((note) => note.number), `${name}: numbered in order of first reference`);
      assert.deepEqual(refs.map((a) => a.properties['id']).sort(), article.notes.flatMap((note) => note.refIds).sort(), `${name}: every ref id is listed on its note`);
      for (const note of article.notes) {
        assert.equal(note.id, `note-${note.number}`);
        assert.equal(selectAll('.noteref, [data-footnote-backref]', { type: 'root', children: note.content }).length, 0, `${name}: note bodies hold no references`);
      }
      assert.equal(selectAll('section, [data-footnote-ref]', article.tree).length, 0, `${name}: remark-rehype's footnotes are gone`);
      // Notes name sources, not files: every remote image URL is in a note, no local path is.
      const noted = article.notes.map((note) => toString({ type: 'root', children: note.content })).join('\n');
      for (const image of article.images) {
        const remote = /^(?:[a-z][a-z0-9+.-]+:|\/\/)/i.test(image.url) && !/^(?:file|data):/i.test(image.url);
        assert.equal(noted.includes(image.url), remote, `${name}: ${image.url} is ${remote ? '' : 'not '}in a note`);
      }
      // A note links only to public http(s) URLs.
      for (const note of article.notes) {
        for (const a of selectAll('a', { type: 'root', children: note.content })) {
          assert.match(String(a.properties['href']), /^https?:\/\/(?!127\.|\[|0x|localhost)/, `${name}: ${String(a.properties['href'])}`);
        }
      }
    });
  }
});
