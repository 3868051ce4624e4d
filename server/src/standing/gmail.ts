// Gmail Postmaster Tools standing for one domain, with a Google OAuth access token (scope
// postmaster.readonly) from GMAIL_POSTMASTER_TOKEN: the user-reported spam rate by day (v1
// trafficStats) against Gmail's 0.1% guideline and its 0.3% line, and the sender compliance
// status (v2 getComplianceStatus). Read-only.

import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import { classify } from './errors';
import { getJson } from './http';
import { pct } from './ses';
import type { Figure, ProviderStanding, StandingFinding } from './types';

export const POSTMASTER_API = 'https://gmailpostmastertools.googleapis.com';

export interface PostmasterOptions {
  token?: string;
  domain?: string;
  baseUrl?: string;
  locale?: Locale;
  now?: Date;
}

interface TrafficStats {
  name?: string;
  userReportedSpamRatio?: number;
}

export async function postmasterStanding(options: PostmasterOptions = {}): Promise<ProviderStanding> {
  const locale = options.locale ?? 'en';
  if (!options.token) return { provider: 'gmail-postmaster', reached: false, unreachable: 'no-credentials', detail: 'GMAIL_POSTMASTER_TOKEN', figures: [], findings: [] };
  if (!options.domain) return { provider: 'gmail-postmaster', reached: false, unreachable: 'error', detail: '--domain', figures: [], findings: [] };
  const base = (options.baseUrl ?? POSTMASTER_API).replace(/\/$/, '');
  const now = options.now ?? new Date();
  const domain = encodeURIComponent(options.domain);
  const figures: Figure[] = [];
  const findings: StandingFinding[] = [];
  try {
    const start = new Date(now.getTime() - 14 * 86400_000);
    const q = `startDate.year=${start.getUTCFullYear()}&startDate.month=${start.getUTCMonth() + 1}&startDate.day=${start.getUTCDate()}&endDate.year=${now.getUTCFullYear()}&endDate.month=${now.getUTCMonth() + 1}&endDate.day=${now.getUTCDate()}`;
    const body = (await getJson(`${base}/v1/domains/${domain}/trafficStats?${q}`, options.token)) as { trafficStats?: TrafficStats[] };
    const trend = (body.trafficStats ?? [])
      .map((t) => ({ at: dayOf(t.name), value: t.userReportedSpamRatio }))
      .filter((p): p is { at: string; value: number } => !!p.at && typeof p.value === 'number')
      .sort((a, b) => a.at.localeCompare(b.at));
    const last = trend[trend.length - 1];
    figures.push({
      id: 'gmail.spamRate',
      label: term('standing.gmail.spamRate', 'User-reported spam rate', locale),
      value: last ? last.value : null,
      unit: 'ratio',
      source: `Postmaster Tools v1 trafficStats (${options.domain})`,
      at: last?.at ?? now.toISOString(),
      thresholds: [
        { kind: 'guideline', value: 0.001 },
        { kind: 'reject', value: 0.003 },
      ],
      trend,
    });
    if (last && last.value >= 0.003) findings.push({ id: 'gmail-spam-rate', severity: 'error', message: interpolate(term('standing.gmail.spamHigh', 'Gmail users reported {rate} of your mail as spam, at or over the 0.3% at which Gmail rejects or junks bulk mail.', locale), { rate: pct(last.value) }) });
    else if (last && last.value >= 0.001) findings.push({ id: 'gmail-spam-rate', severity: 'warning', message: interpolate(term('standing.gmail.spamWarn', 'Gmail users reported {rate} of your mail as spam, over the 0.1% Gmail asks senders to stay under.', locale), { rate: pct(last.value) }) });
  } catch (err) {
    const why = classify(err);
    return { provider: 'gmail-postmaster', reached: false, unreachable: why.unreachable, detail: why.detail, figures: [], findings: [] };
  }
  try {
    const status = (await getJson(`${base}/v2/domains/${domain}/complianceStatus`, options.token)) as {
      complianceData?: { rowData?: Array<{ requirement?: string; status?: { status?: string } }>; oneClickUnsubscribeVerdict?: { status?: { status?: string } }; honorUnsubscribeVerdict?: { status?: { status?: string } } };
    };
    const at = new Date().toISOString();
    const src = `Postmaster Tools v2 getComplianceStatus (${options.domain})`;
    const data = status.complianceData ?? {};
    const rows = [
      ...(data.rowData ?? []).map((r) => [r.requirement ?? '?', r.status?.status] as const),
      ['ONE_CLICK_UNSUBSCRIBE', data.oneClickUnsubscribeVerdict?.status?.status] as const,
      ['HONOR_UNSUBSCRIBE', data.honorUnsubscribeVerdict?.status?.status] as const,
    ].filter(([, s]) => s);
    for (const [requirement, s] of rows) {
      figures.push({ id: `gmail.compliance.${requirement}`, label: requirement, value: s ?? null, source: src, at });
      if (s && !/^(COMPLIANT|PASS)/i.test(s) && !/UNSPECIFIED|NOT_APPLICABLE/i.test(s)) {
        findings.push({ id: 'gmail-compliance', severity: 'warning', message: interpolate(term('standing.gmail.compliance', 'Gmail reports {requirement}: {status}.', locale), { requirement, status: s }) });
      }
    }
  } catch (err) {
    const why = classify(err);
    findings.push({ id: 'gmail-compliance-unread', severity: 'info', message: interpolate(term('standing.gmail.complianceUnread', 'The compliance status could not be read ({detail}).', locale), { detail: `${why.unreachable}: ${why.detail}` }) });
  }
  return { provider: 'gmail-postmaster', reached: true, figures, findings };
}

/** "domains/example.com/trafficStats/20261201" -> "2026-12-01". */
function dayOf(name: string | undefined): string | undefined {
  const m = /(\d{4})(\d{2})(\d{2})$/.exec(name ?? '');
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}
