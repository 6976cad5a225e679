/**
 * What crosses between the parse worker and the publishing thread: the request, and the parsed
 * article (or the error) with the diagnostics and `file.data` the plugins recorded, as plain
 * structured-clone data.
 */
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { RuleId } from '../diagnostics/rules.js';
import type { Article } from '../model.js';
import type { ParseOptions, ParseSettings } from './article.js';

export interface ParseRequest {
  id: number;
  path: string | undefined;
  value: string;
  options: ParseOptions;
  settings: ParseSettings;
}

export interface MessageData {
  reason: string;
  place?: Point | Position;
  ruleId?: string;
  source?: string;
  fatal?: boolean | null;
  url?: string;
  note?: string;
}

export type ParseFailure =
  /** A fatal message of the file (broken front matter, a limit): its index in `messages`. */
  | { kind: 'message'; index: number }
  | { kind: 'document'; message: string; ruleId: RuleId }
  | { kind: 'error'; message: string };

export type ParseReply =
  | { id: number; ok: true; article: Omit<Article, 'file'>; data: VFile['data']; messages: MessageData[] }
  | { id: number; ok: false; failure: ParseFailure; data: VFile['data']; messages: MessageData[] };

export function messageData(message: VFileMessage): MessageData {
  const data: MessageData = { reason: message.reason };
  if (message.place) data.place = message.place;
  if (message.ruleId) data.ruleId = message.ruleId;
  if (message.source) data.source = message.source;
  if (message.fatal !== undefined) data.fatal = message.fatal;
  if (message.url) data.url = message.url;
  if (message.note) data.note = message.note;
  return data;
}

/** Adds the messages to `file` as if they had been reported on it; returns them. */
export function restoreMessages(file: VFile, messages: readonly MessageData[]): VFileMessage[] {
  return messages.map((data) => {
    const message = file.message(data.reason, { place: data.place ?? null, ruleId: data.ruleId ?? null, source: data.source ?? null });
    message.fatal = data.fatal ?? undefined;
    if (data.url) message.url = data.url;
    if (data.note) message.note = data.note;
    return message;
  });
}
