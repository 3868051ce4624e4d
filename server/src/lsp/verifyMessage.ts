// deliverlint/verifyMessage (see protocol.ts): the message verification for the editor. The work is
// the CLI's (verify/), loaded on first use, asked through the DNS servers of the document's
// settings. The document's open text wins over the file on disk.

import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver/node';
import type { Locale } from '../core/types';
import { createNodeResolver, parseServer } from '../dns/resolver';
import { readFileSync } from 'node:fs';
import { loadVerify } from '../verify/load';
import { VERIFY_MESSAGE_METHOD, type VerifyMessageParams, type VerifyMessageResult } from '../protocol';
import { readDomainCheckSettings } from './checkDomain';

export interface VerifyMessageDeps {
  documents: { get(uri: string): { getText(): string } | undefined };
  settings(uri: string | undefined): Promise<unknown>;
  locale(): Locale;
}

/** The largest message read from disk; a bigger one is no mail anyone sent. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export function registerVerifyMessage(connection: Connection, deps: VerifyMessageDeps): void {
  connection.onRequest(VERIFY_MESSAGE_METHOD, async (params: VerifyMessageParams): Promise<VerifyMessageResult> => {
    const uri = typeof params?.uri === 'string' ? params.uri : '';
    if (params.ip !== undefined && params.ip !== '' && !isIP(params.ip)) return { error: 'bad-ip' };
    const message = messageOf(uri, deps);
    if (message === undefined) return { error: 'not-found' };
    const settings = readDomainCheckSettings(await deps.settings(uri));
    const servers: string[] = [];
    const ignoredServers: string[] = [];
    for (const spec of settings.servers) {
      const server = parseServer(spec);
      if (server) servers.push(server);
      else ignoredServers.push(spec);
    }
    const { verifyMessage, formatVerifyText } = await loadVerify();
    const locale = deps.locale();
    const report = await verifyMessage(message, {
      resolver: createNodeResolver(servers, settings.timeoutMs),
      ip: params.ip || undefined,
      helo: params.helo || undefined,
      mailFrom: params.mailFrom || undefined,
      locale,
    });
    return { report, text: formatVerifyText(report, locale), ignoredServers };
  });
}

/** The open document's text, else the file's bytes (undefined when neither can be read). */
function messageOf(uri: string, deps: VerifyMessageDeps): string | Buffer | undefined {
  const open = deps.documents.get(uri);
  if (open) return open.getText();
  if (!uri.startsWith('file:')) return undefined;
  try {
    const bytes = readFileSync(fileURLToPath(uri));
    return bytes.length > MAX_MESSAGE_BYTES ? undefined : bytes;
  } catch {
    return undefined;
  }
}
