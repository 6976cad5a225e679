/**
 * The parse worker (see isolated.ts): parses the articles it is sent, one at a time, and
 * replies with the article or the error, with every diagnostic.
 */
import { parentPort } from 'node:worker_threads';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { DocumentError } from '../errors.js';
import { parseArticle } from './article.js';
import { messageData, type ParseFailure, type ParseReply, type ParseRequest } from './transfer.js';

function failure(error: unknown, file: VFile): ParseFailure {
  if (error instanceof VFileMessage) {
    const index = file.messages.indexOf(error);
    if (index >= 0) return { kind: 'message', index };
    return { kind: 'error', message: error.reason };
  }
  if (error instanceof DocumentError) return { kind: 'document', message: error.message, ruleId: error.ruleId };
  return { kind: 'error', message: error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error) };
}

parentPort?.on('message', (request: ParseRequest) => {
  const file = new VFile({ value: request.value, ...(request.path ? { path: request.path } : {}) });
  let reply: ParseReply;
  try {
    const { file: _file, ...article } = parseArticle(file, request.options, request.settings);
    reply = { id: request.id, ok: true, article, data: file.data, messages: file.messages.map(messageData) };
  } catch (error) {
    reply = { id: request.id, ok: false, failure: failure(error, file), data: file.data, messages: file.messages.map(messageData) };
  }
  try {
    parentPort?.postMessage(reply);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const fallback: ParseReply = { id: request.id, ok: false, failure: { kind: 'error', message: `the parsed article could not be handed over (${detail})` }, data: {}, messages: [] };
    parentPort?.postMessage(fallback);
  }
});
