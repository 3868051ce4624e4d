// GET a JSON document with a bearer token, bounded in time. The token goes in the header only; it
// is never part of an error, a URL or a log line.

import { HttpError } from './errors';

export async function getJson(url: string, token: string, timeoutMs = 15_000): Promise<unknown> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) {
    await res.body?.cancel();
    throw new HttpError(res.status, new URL(url).pathname);
  }
  return res.json();
}
