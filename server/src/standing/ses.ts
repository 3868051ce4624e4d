// Amazon SES standing through the AWS SDK's own clients and default credential chain (environment,
// shared config and profile, SSO, instance roles): the account (GetAccount), the account-level
// suppression list (ListSuppressedDestinations) and the reputation rates CloudWatch keeps
// (AWS/SES Reputation.BounceRate and Reputation.ComplaintRate) for the last 14 days. Read-only.
// Endpoints follow the SDK's own AWS_ENDPOINT_URL_SESV2 / AWS_ENDPOINT_URL_CLOUDWATCH or the options.

import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetAccountCommand, ListSuppressedDestinationsCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import { classify } from './errors';
import type { Figure, ProviderStanding, StandingFinding } from './types';

/** SES reviews an account at 5% bounces or 0.1% complaints and may pause it at 10% or 0.5%. */
export const SES_BOUNCE = { review: 0.05, pause: 0.1 } as const;
export const SES_COMPLAINT = { review: 0.001, pause: 0.005 } as const;

const TREND_DAYS = 14;
/** Suppression list pages read at most (1,000 entries each); a larger list is counted as "at least". */
const MAX_SUPPRESSION_PAGES = 20;

export interface SesOptions {
  region?: string;
  /** Overrides for tests and private endpoints (else the SDK's environment and defaults). */
  sesEndpoint?: string;
  cloudWatchEndpoint?: string;
  locale?: Locale;
  now?: Date;
}

export async function sesStanding(options: SesOptions = {}): Promise<ProviderStanding> {
  const locale = options.locale ?? 'en';
  const now = options.now ?? new Date();
  const common = { region: options.region, maxAttempts: 2 };
  const ses = new SESv2Client({ ...common, ...(options.sesEndpoint && { endpoint: options.sesEndpoint }) });
  const cw = new CloudWatchClient({ ...common, ...(options.cloudWatchEndpoint && { endpoint: options.cloudWatchEndpoint }) });
  const figures: Figure[] = [];
  const findings: StandingFinding[] = [];
  const region = await ses.config.region().catch(() => options.region ?? '?');
  try {
    const account = await ses.send(new GetAccountCommand({}));
    const at = new Date().toISOString();
    const src = `SES v2 GetAccount (${region})`;
    figures.push({ id: 'ses.enforcementStatus', label: term('standing.ses.enforcement', 'Account status', locale), value: account.EnforcementStatus ?? null, source: src, at });
    figures.push({ id: 'ses.productionAccess', label: term('standing.ses.production', 'Production access', locale), value: account.ProductionAccessEnabled ?? null, source: src, at });
    figures.push({ id: 'ses.sendingEnabled', label: term('standing.ses.sending', 'Sending enabled', locale), value: account.SendingEnabled ?? null, source: src, at });
    figures.push({ id: 'ses.max24HourSend', label: term('standing.ses.quota', 'Sending quota (24 h)', locale), value: account.SendQuota?.Max24HourSend ?? null, unit: 'count', source: src, at });
    figures.push({ id: 'ses.sentLast24Hours', label: term('standing.ses.sent', 'Sent in the last 24 h', locale), value: account.SendQuota?.SentLast24Hours ?? null, unit: 'count', source: src, at });
    figures.push({ id: 'ses.maxSendRate', label: term('standing.ses.rate', 'Maximum send rate', locale), value: account.SendQuota?.MaxSendRate ?? null, unit: 'per-second', source: src, at });
    figures.push({ id: 'ses.suppressedReasons', label: term('standing.ses.suppressedReasons', 'Account-level suppression reasons', locale), value: (account.SuppressionAttributes?.SuppressedReasons ?? []).join(', ') || null, source: src, at });
    const status = (account.EnforcementStatus ?? '').toUpperCase();
    if (status === 'SHUTDOWN') findings.push({ id: 'ses-shutdown', severity: 'error', message: term('standing.ses.shutdownMsg', 'SES has paused sending for this account (SHUTDOWN).', locale) });
    else if (status === 'PROBATION') findings.push({ id: 'ses-probation', severity: 'warning', message: term('standing.ses.probationMsg', 'The SES account is under review (PROBATION): fix what raised the bounce or complaint rate before the review ends.', locale) });
    if (account.ProductionAccessEnabled === false) findings.push({ id: 'ses-sandbox', severity: 'info', message: term('standing.ses.sandboxMsg', 'The account is in the SES sandbox: it can send only to verified addresses.', locale) });
    if (!(account.SuppressionAttributes?.SuppressedReasons ?? []).length) {
      findings.push({ id: 'ses-suppression-off', severity: 'warning', message: term('standing.ses.suppressionOffMsg', 'The account-level suppression list is off: SES keeps sending to addresses that bounced or complained.', locale) });
    }
  } catch (err) {
    // The account call decides whether SES can be asked at all.
    const why = classify(err);
    return { provider: 'ses', reached: false, unreachable: why.unreachable, detail: why.detail, figures: [], findings: [] };
  }

  try {
    figures.push(...(await suppressionFigures(ses, locale, region)));
  } catch (err) {
    const why = classify(err);
    findings.push({ id: 'ses-suppression-unread', severity: 'info', message: interpolate(term('standing.ses.suppressionUnread', 'The suppression list could not be read ({detail}).', locale), { detail: `${why.unreachable}: ${why.detail}` }) });
  }

  try {
    const rates = await reputationRates(cw, now, region, locale);
    figures.push(...rates);
    for (const f of rates) {
      if (typeof f.value !== 'number') continue;
      const lines = f.id === 'ses.bounceRate' ? SES_BOUNCE : SES_COMPLAINT;
      const data = { rate: pct(f.value), review: pct(lines.review), pause: pct(lines.pause) };
      if (f.value >= lines.pause) {
        findings.push({ id: `${f.id === 'ses.bounceRate' ? 'ses-bounce' : 'ses-complaint'}-pause`, severity: 'error', message: interpolate(term('standing.ses.pauseMsg', '{label} is {rate}, at or over the {pause} at which SES may pause sending.', locale), { ...data, label: f.label }) });
      } else if (f.value >= lines.review) {
        findings.push({ id: `${f.id === 'ses.bounceRate' ? 'ses-bounce' : 'ses-complaint'}-review`, severity: 'warning', message: interpolate(term('standing.ses.reviewMsg', '{label} is {rate}, at or over the {review} at which SES reviews the account (pause at {pause}).', locale), { ...data, label: f.label }) });
      }
    }
  } catch (err) {
    const why = classify(err);
    findings.push({ id: 'ses-metrics-unread', severity: 'warning', message: interpolate(term('standing.ses.metricsUnread', 'The bounce and complaint rates could not be read from CloudWatch ({detail}).', locale), { detail: `${why.unreachable}: ${why.detail}` }) });
  }
  ses.destroy();
  cw.destroy();
  return { provider: 'ses', reached: true, figures, findings };
}

async function suppressionFigures(ses: SESv2Client, locale: Locale, region: string): Promise<Figure[]> {
  const byReason = new Map<string, number>();
  const recent: Array<{ address: string; reason: string; at: string }> = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await ses.send(new ListSuppressedDestinationsCommand({ NextToken: token, PageSize: 1000 }));
    for (const s of page.SuppressedDestinationSummaries ?? []) {
      const reason = s.Reason ?? 'UNKNOWN';
      byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
      recent.push({ address: s.EmailAddress ?? '?', reason, at: s.LastUpdateTime ? new Date(s.LastUpdateTime).toISOString() : '' });
      // Keep the ten newest only: a list of millions costs no memory.
      if (recent.length > 40) {
        recent.sort((a, b) => b.at.localeCompare(a.at));
        recent.length = 10;
      }
    }
    token = page.NextToken;
    pages++;
  } while (token && pages < MAX_SUPPRESSION_PAGES);
  recent.sort((a, b) => b.at.localeCompare(a.at));
  const at = new Date().toISOString();
  const src = `SES v2 ListSuppressedDestinations (${region})${token ? `, first ${pages * 1000}` : ''}`;
  const total = [...byReason.values()].reduce((a, b) => a + b, 0);
  return [
    { id: 'ses.suppressed', label: term('standing.ses.suppressed', 'Suppressed addresses', locale), value: token ? `${total}+` : total, unit: token ? undefined : 'count', source: src, at, entries: recent.slice(0, 10) },
    { id: 'ses.suppressedBounce', label: term('standing.ses.suppressedBounce', 'Suppressed for bounces', locale), value: byReason.get('BOUNCE') ?? 0, unit: 'count', source: src, at },
    { id: 'ses.suppressedComplaint', label: term('standing.ses.suppressedComplaint', 'Suppressed for complaints', locale), value: byReason.get('COMPLAINT') ?? 0, unit: 'count', source: src, at },
  ];
}

async function reputationRates(cw: CloudWatchClient, now: Date, region: string, locale: Locale): Promise<Figure[]> {
  const start = new Date(now.getTime() - TREND_DAYS * 86400_000);
  const query = (id: string, metric: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/SES', MetricName: metric }, Period: 86400, Stat: 'Maximum' }, ReturnData: true });
  const out = await cw.send(new GetMetricDataCommand({ StartTime: start, EndTime: now, ScanBy: 'TimestampAscending', MetricDataQueries: [query('bounce', 'Reputation.BounceRate'), query('complaint', 'Reputation.ComplaintRate')] }));
  const series = (id: string) => {
    const r = out.MetricDataResults?.find((m) => m.Id === id);
    const points = (r?.Timestamps ?? []).map((t, i) => ({ at: new Date(t).toISOString(), value: r!.Values![i]! })).filter((p) => typeof p.value === 'number');
    return points.sort((a, b) => a.at.localeCompare(b.at));
  };
  const figure = (id: string, label: string, metric: string, lines: { review: number; pause: number }, points: Array<{ at: string; value: number }>): Figure => {
    const last = points[points.length - 1];
    return {
      id,
      label,
      // No data point in 14 days is "no data", not zero.
      value: last ? last.value : null,
      unit: 'ratio',
      source: `CloudWatch GetMetricData AWS/SES ${metric}, daily maximum (${region})`,
      at: last?.at ?? now.toISOString(),
      thresholds: [
        { kind: 'review', value: lines.review },
        { kind: 'pause', value: lines.pause },
      ],
      trend: points,
    };
  };
  return [
    figure('ses.bounceRate', term('standing.ses.bounceRate', 'Bounce rate', locale), 'Reputation.BounceRate', SES_BOUNCE, series('bounce')),
    figure('ses.complaintRate', term('standing.ses.complaintRate', 'Complaint rate', locale), 'Reputation.ComplaintRate', SES_COMPLAINT, series('complaint')),
  ];
}

export function pct(v: number): string {
  const p = v * 100;
  return `${p >= 1 ? p.toFixed(1) : p.toFixed(2)}%`;
}
