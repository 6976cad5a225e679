/**
 * Shards: `shard: "k/n"` publishes share k of n of the documents, so n machines (a CI matrix, a
 * Kubernetes Indexed Job) publish every document exactly once with no coordinator. A document
 * belongs to the share its path names: a hash of its path relative to the project root, modulo n.
 * Each document's share depends on nothing but its own path and n, so adding or removing other
 * documents never moves it, and every machine computes the same split whatever the order or the
 * folder its checkout is in. The shares are even on average (a hash spreads paths uniformly),
 * not exactly: with few documents one share may get more than another.
 *
 * Where the shard comes from, the first found: --shard k/n, IMPRINT_SHARD=k/n, or Kubernetes'
 * JOB_COMPLETION_INDEX (0-based) with IMPRINT_SHARD_COUNT=n, then the config file's `shard`.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

export interface Shard {
  /** 1-based index of this share. */
  index: number;
  /** Number of shares. */
  count: number;
}

/** What a shard is written as, for messages. */
export const SHARD_FORMAT = 'k/n with whole numbers, k from 1 to n (e.g. 2/4)';

/** "k/n" as a Shard, or undefined when it is not one (k from 1 to n). */
export function parseShard(text: string): Shard | undefined {
  const match = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(text);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return index >= 1 && index <= count ? { index, count } : undefined;
}

/** The share (1 to count) a document belongs to, from its path relative to the project root. */
export function shardOf(relativePath: string, count: number): number {
  const key = relativePath.split(path.sep).join('/');
  const digest = createHash('sha256').update(key).digest();
  // 48 bits: exact in a double, and their remainder is uniform enough for any count of machines.
  return (digest.readUIntBE(0, 6) % count) + 1;
}

/** The documents of `files` (absolute paths) in `shard`, in their order. */
export function selectShard(files: readonly string[], root: string, shard: Shard): string[] {
  return files.filter((file) => shardOf(path.relative(root, file), shard.count) === shard.index);
}

/** Thrown for a shard given in the environment that cannot be used. */
export class ShardEnvironmentError extends Error {
  override name = 'ShardEnvironmentError';
}

/**
 * The shard the environment asks for, as "k/n": IMPRINT_SHARD, or JOB_COMPLETION_INDEX (which a
 * Kubernetes Indexed Job sets, from 0) with IMPRINT_SHARD_COUNT; undefined when neither is set.
 */
export function shardFromEnvironment(env: NodeJS.ProcessEnv): string | undefined {
  const given = env['IMPRINT_SHARD']?.trim();
  if (given) {
    if (!parseShard(given)) throw new ShardEnvironmentError(`IMPRINT_SHARD="${given}" is not a shard: use ${SHARD_FORMAT}`);
    return given;
  }
  const count = env['IMPRINT_SHARD_COUNT']?.trim();
  const index = env['JOB_COMPLETION_INDEX']?.trim();
  if (!count) return undefined;
  if (!index) throw new ShardEnvironmentError('IMPRINT_SHARD_COUNT is set but JOB_COMPLETION_INDEX is not (a Kubernetes Indexed Job sets it); or give IMPRINT_SHARD=k/n');
  if (!/^\d+$/.test(index) || !/^\d+$/.test(count)) throw new ShardEnvironmentError(`JOB_COMPLETION_INDEX="${index}" and IMPRINT_SHARD_COUNT="${count}" must be whole numbers`);
  const shard = `${Number(index) + 1}/${Number(count)}`;
  if (!parseShard(shard)) throw new ShardEnvironmentError(`JOB_COMPLETION_INDEX=${index} is not below IMPRINT_SHARD_COUNT=${count} (the index counts from 0)`);
  return shard;
}
