/**
 * The warm pages of src/browser/page-server.ts, in a real Chromium: pages are reused from one document to
 * the next, print and screen documents have pages of their own, and a document never sees another
 * one's images, even when both call their first picture img-1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'puppeteer-core';
import sharp from 'sharp';
import { closeBrowser, openBrowser } from '../src/browser/provider.js';
import { assetUrl, withDocumentPage, type AssetLookup } from '../src/browser/page-server.js';

const png = (width: number): Promise<Buffer> =>
  sharp({ create: { width, height: 10, channels: 3, background: '#336699' } }).png().toBuffer();

const doc = (text: string): string =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${text}</title></head>` +
  `<body><p id="text">${text}</p><img id="picture" src="${assetUrl('img-1')}"></body></html>`;

const only = (bytes: Buffer): AssetLookup => (id) => (id === 'img-1' ? { body: bytes, contentType: 'image/png' } : undefined);

interface Seen {
  text: string | undefined;
  width: number;
  print: boolean;
}

const look = async (browser: Browser, html: string, assets: AssetLookup, media: 'print' | 'screen'): Promise<Seen> =>
  withDocumentPage(browser, html, assets, { media }, (page) =>
    page.evaluate(() => ({
      text: document.getElementById('text')?.textContent ?? undefined,
      width: (document.getElementById('picture') as HTMLImageElement).naturalWidth,
      print: matchMedia('print').matches,
    })),
  );

describe('warm pages (page-server)', () => {
  let browser: Browser;
  /** Pages open before any document (the tab Chromium opens at launch). */
  let base: number;
  /** Pages this test's documents opened. */
  const opened = async (): Promise<number> => (await browser.pages()).length - base;
  before(async () => {
    browser = await openBrowser();
    base = (await browser.pages()).length;
  });
  after(async () => {
    await closeBrowser(browser);
  });

  it('shows each document with its own image, although both name it img-1', async () => {
    const first = await look(browser, doc('first'), only(await png(30)), 'print');
    const second = await look(browser, doc('second'), only(await png(70)), 'print');
    assert.deepEqual(first, { text: 'first', width: 30, print: true });
    assert.deepEqual(second, { text: 'second', width: 70, print: true });
  });

  it('reuses one page for documents printed one after another, and gives screen documents their own', async () => {
    const picture = only(await png(5));
    for (const text of ['a', 'b', 'c']) await look(browser, doc(text), picture, 'print');
    const afterPrint = await opened();
    const screen = await look(browser, doc('cover'), picture, 'screen');
    assert.equal(screen.print, false, 'a screen document is laid out for the screen');
    const printAgain = await look(browser, doc('d'), picture, 'print');
    assert.equal(printAgain.print, true, 'the print page still prints after a screen document');
    assert.equal(afterPrint, 1, 'three print documents one after another: one page');
    assert.equal(await opened(), 2, 'one print page and one screen page');
  });

  it('opens a page per document rendered at the same time, and returns them all', async () => {
    const picture = only(await png(9));
    const seen = await Promise.all(['x', 'y', 'z'].map((text) => look(browser, doc(text), picture, 'print')));
    assert.deepEqual(
      seen.map((s) => s.text),
      ['x', 'y', 'z'],
    );
    const pages = await opened();
    assert.equal(pages, 4, '3 print pages at once, and the screen page of the test before');
    await look(browser, doc('again'), picture, 'print');
    assert.equal(await opened(), pages, 'a later document reuses a page');
  });

  it('runs no script of a document on a reused page either', async () => {
    const html =
      '<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body><p id="text">kept</p>' +
      '<script>document.getElementById("text").textContent = "CANARY_RAN"</script></body></html>';
    for (let i = 0; i < 3; i++) {
      const text = await withDocumentPage(browser, html, () => undefined, { media: 'print' }, (page) =>
        page.evaluate(() => document.getElementById('text')?.textContent),
      );
      assert.equal(text, 'kept', `document ${i + 1}`);
    }
  });

  it('does not reuse a page whose work failed', async () => {
    const before = await opened();
    await assert.rejects(
      withDocumentPage(browser, doc('boom'), only(await png(3)), { media: 'print' }, async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await opened(), before - 1, 'the page of the failed document is closed');
  });
});
