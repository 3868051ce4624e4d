// Sender standing as one bundle of its own (dist/standing.js): the AWS SDK clients are large and
// only this command needs them. Front ends load it through load.ts when asked.

import type { Locale } from '../core/types';
import { postmasterStanding } from './gmail';
import { sendGridStanding } from './sendgrid';
import { sesStanding } from './ses';
import type { ProviderId, StandingReport } from './types';

export type { ProviderId, StandingReport, ProviderStanding, Figure } from './types';
export { formatStandingText } from './text';

export interface StandingOptions {
  providers: ProviderId[];
  region?: string;
  /** The domain Postmaster Tools reports on. */
  domain?: string;
  sendGridApiKey?: string;
  postmasterToken?: string;
  endpoints?: { ses?: string; cloudWatch?: string; sendGrid?: string; postmaster?: string };
  locale?: Locale;
  now?: Date;
}

export async function standing(options: StandingOptions): Promise<StandingReport> {
  const locale = options.locale ?? 'en';
  const e = options.endpoints ?? {};
  const providers = await Promise.all(
    options.providers.map((p) =>
      p === 'ses'
        ? sesStanding({ region: options.region, sesEndpoint: e.ses, cloudWatchEndpoint: e.cloudWatch, locale, now: options.now })
        : p === 'sendgrid'
          ? sendGridStanding({ apiKey: options.sendGridApiKey, baseUrl: e.sendGrid, locale, now: options.now })
          : postmasterStanding({ token: options.postmasterToken, domain: options.domain, baseUrl: e.postmaster, locale, now: options.now }),
    ),
  );
  return { providers };
}
