// deliverlint/senderStanding (see protocol.ts): the `deliverlint standing` report for the editor,
// loaded on first use. Credentials in the params live for this request only.

import type { Connection } from 'vscode-languageserver/node';
import type { Locale } from '../core/types';
import { SENDER_STANDING_METHOD, type SenderStandingParams, type SenderStandingResult } from '../protocol';
import { loadStanding } from '../standing/load';
import type { ProviderId } from '../standing/types';

const PROVIDERS: readonly ProviderId[] = ['ses', 'sendgrid', 'gmail-postmaster'];

export function registerSenderStanding(connection: Connection, deps: { locale(): Locale }): void {
  connection.onRequest(SENDER_STANDING_METHOD, async (params: SenderStandingParams): Promise<SenderStandingResult> => {
    const providers = (Array.isArray(params?.providers) ? params.providers : []).filter((p): p is ProviderId => PROVIDERS.includes(p));
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const { standing, formatStandingText } = await loadStanding();
    const locale = deps.locale();
    const report = await standing({
      providers,
      region: text(params.region),
      domain: text(params.domain),
      sendGridApiKey: text(params.sendGridApiKey) ?? text(process.env['SENDGRID_API_KEY']),
      postmasterToken: text(params.postmasterToken) ?? text(process.env['GMAIL_POSTMASTER_TOKEN']),
      endpoints: { sendGrid: text(process.env['DELIVERLINT_SENDGRID_API_URL']), postmaster: text(process.env['DELIVERLINT_POSTMASTER_API_URL']) },
      locale,
    });
    return { report, text: formatStandingText(report, locale) };
  });
}
