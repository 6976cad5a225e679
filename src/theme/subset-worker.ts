/**
 * The worker thread that cuts the web page's font subsets (font-subsets.ts): HarfBuzz's hb-subset
 * in WebAssembly and the WOFF packing are synchronous and take most of a second of CPU for the
 * sample's slices. In the main thread they held up the PDF, whose page Chromium could have been
 * laying out meanwhile; here they run beside it, on the other core.
 *
 * Each message is one subset: { id, woff, text } → { id, bytes } (WOFF) or { id, error }.
 */
import { parentPort } from 'node:worker_threads';
import subsetFont from 'subset-font';
import { sfntToWoff, woffToSfnt } from './woff.js';

export interface SubsetRequest {
  id: number;
  /** The shipped slice, WOFF. */
  woff: Uint8Array;
  /** The characters to keep. */
  text: string;
}

export type SubsetReply = { id: number; bytes: Uint8Array } | { id: number; error: string };

parentPort?.on('message', (request: SubsetRequest) => {
  const port = parentPort;
  if (!port) return;
  subsetFont(woffToSfnt(request.woff), request.text, { targetFormat: 'sfnt' }).then(
    (out) => {
      const bytes = new Uint8Array(sfntToWoff(out));
      port.postMessage({ id: request.id, bytes } satisfies SubsetReply, [bytes.buffer]);
    },
    (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies SubsetReply),
  );
});
