// Why a provider could not be asked, from the error its client threw. Only names and codes are
// kept: messages can quote request details, and nothing here may carry a credential.

import type { Unreachable } from './types';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

export function classify(err: unknown): { unreachable: Unreachable; detail: string } {
  const e = (err ?? {}) as { name?: string; code?: string; cause?: { code?: string; name?: string }; $metadata?: { httpStatusCode?: number }; status?: number };
  const name = e.name ?? 'Error';
  const code = e.code ?? e.cause?.code;
  const status = e.$metadata?.httpStatusCode ?? e.status;
  if (name === 'CredentialsProviderError' || name === 'NoCredentials' || name === 'MissingCredentials') return { unreachable: 'no-credentials', detail: name };
  if (status === 401 || status === 403 || /AccessDenied|UnrecognizedClient|InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken|Unauthorized|Forbidden/i.test(name)) {
    return { unreachable: 'access-denied', detail: status ? `${name} (HTTP ${status})` : name };
  }
  if ((code && NETWORK_CODES.has(code)) || name === 'TimeoutError' || name === 'AbortError' || (name === 'TypeError' && /fetch failed/i.test(String((err as Error).message)))) {
    return { unreachable: 'network', detail: code ?? name };
  }
  return { unreachable: 'error', detail: status ? `${name} (HTTP ${status})` : name };
}

export class HttpError extends Error {
  constructor(readonly status: number, readonly url: string) {
    super(`HTTP ${status}`);
    this.name = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'HttpError';
  }
}
