// mailauth asks DNS through a hook shaped like node:dns `resolve(name, type)`. This one answers it
// from our resolver (the --dns servers, the domain check's timeout), asks each question once, bounds
// how many a hostile message can make, and remembers the questions that got no usable answer, so a
// report built on a failed lookup says so instead of reading it as "no record".

import type { Resolver } from 'node:dns/promises';

/** The questions mailauth asks: TXT (keys, SPF, DMARC), A/AAAA/MX (SPF mechanisms), PTR (ptr). */
export type MailauthResolver = (name: string, type: string) => Promise<unknown>;

export interface LookupFailure {
  name: string;
  type: string;
  /** The resolver's error code (ETIMEOUT, ESERVFAIL, ECONNREFUSED ...). */
  code: string;
}

/** Codes that are answers (the name or the record does not exist), not failures. */
const ANSWERS = new Set(['ENOTFOUND', 'ENODATA']);

export const MAX_VERIFY_QUERIES = 100;

export interface LookupLog {
  resolve: MailauthResolver;
  failures: LookupFailure[];
  /** Questions sent to the servers (answers from the cache not counted). */
  readonly queries: number;
}

export function lookupsThrough(resolver: Pick<Resolver, 'resolve'>, maxQueries = MAX_VERIFY_QUERIES): LookupLog {
  const cache = new Map<string, Promise<unknown>>();
  const failures: LookupFailure[] = [];
  let queries = 0;
  const resolve: MailauthResolver = (rawName, type) => {
    const name = rawName.toLowerCase().replace(/\.$/, '');
    const key = `${type} ${name}`;
    let answer = cache.get(key);
    if (!answer) {
      if (queries >= maxQueries) {
        const err = Object.assign(new Error(`more than ${maxQueries} DNS questions`), { code: 'ETOOMANY' });
        failures.push({ name, type, code: 'ETOOMANY' });
        return Promise.reject(err);
      }
      queries++;
      answer = (resolver.resolve(name, type) as Promise<unknown>).catch((err: NodeJS.ErrnoException) => {
        const code = err?.code ?? 'EUNKNOWN';
        if (!ANSWERS.has(code)) failures.push({ name, type, code });
        throw err;
      });
      cache.set(key, answer);
    }
    return answer;
  };
  return {
    resolve,
    failures,
    get queries() {
      return queries;
    },
  };
}
