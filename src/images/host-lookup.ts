/**
 * DNS for image downloads: every address of a host, looked up once per run and
 * cut off after a timeout so an unreachable resolver (EAI_AGAIN) fails fast.
 */
import dns from 'node:dns';
import { ImageProblem } from './problem.js';

export interface HostAddress {
  address: string;
  family: number;
}

export interface HostLookup {
  /** All addresses of `host`; rejects with an ImageProblem (image-unreachable). */
  lookup(host: string): Promise<HostAddress[]>;
}

export function createHostLookup(timeoutMs: number): HostLookup {
  const known = new Map<string, Promise<HostAddress[]>>();
  const lookupOnce = (host: string): Promise<HostAddress[]> =>
    new Promise<HostAddress[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new ImageProblem('image-unreachable', 'unreachable (DNS timeout)'));
      }, timeoutMs);
      timer.unref();
      dns.lookup(host, { all: true }, (error, addresses) => {
        clearTimeout(timer);
        if (error) {
          reject(new ImageProblem('image-unreachable', `unreachable (${error.code ?? 'DNS error'})`));
        } else if (addresses.length === 0) {
          reject(new ImageProblem('image-unreachable', 'unreachable (no address)'));
        } else {
          resolve(addresses.map((a) => ({ address: a.address, family: a.family })));
        }
      });
    });
  return {
    lookup(host) {
      let pending = known.get(host);
      if (!pending) {
        pending = lookupOnce(host);
        known.set(host, pending);
      }
      return pending;
    },
  };
}
