// SendGrid standing from its v3 API with the API key of SENDGRID_API_KEY (or VS Code's secret
// storage): the suppression lists (bounces, blocks, spam reports, global unsubscribes) and the
// global stats of the last 14 days. Read-only; the key needs the "Suppressions" and "Stats" read scopes.

import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import { classify } from './errors';
import { getJson } from './http';
import { pct } from './ses';
import type { Figure, ProviderStanding, StandingFinding } from './types';

export const SENDGRID_API = 'https://api.sendgrid.com';
/** Entries one suppression list page holds; a full page is counted as "at least". */
const PAGE = 500;

export interface SendGridOptions {
  apiKey?: string;
  baseUrl?: string;
  locale?: Locale;
  now?: Date;
}

const LISTS = [
  ['bounces', 'sendgrid.bounces'],
  ['blocks', 'sendgrid.blocks'],
  ['spam_reports', 'sendgrid.spamReports'],
  ['unsubscribes', 'sendgrid.unsubscribes'],
] as const;

export async function sendGridStanding(options: SendGridOptions = {}): Promise<ProviderStanding> {
  const locale = options.locale ?? 'en';
  const key = options.apiKey;
  if (!key) return { provider: 'sendgrid', reached: false, unreachable: 'no-credentials', detail: 'SENDGRID_API_KEY', figures: [], findings: [] };
  const base = (options.baseUrl ?? SENDGRID_API).replace(/\/$/, '');
  const now = options.now ?? new Date();
  const figures: Figure[] = [];
  const findings: StandingFinding[] = [];
  const labels: Record<string, string> = {
    bounces: term('standing.sendgrid.bounces', 'Bounced addresses', locale),
    blocks: term('standing.sendgrid.blocks', 'Blocked addresses', locale),
    spam_reports: term('standing.sendgrid.spamReports', 'Spam reports', locale),
    unsubscribes: term('standing.sendgrid.unsubscribes', 'Global unsubscribes', locale),
  };
  try {
    for (const [list, id] of LISTS) {
      const rows = await getJson(`${base}/v3/suppression/${list}?limit=${PAGE}&offset=0`, key);
      const entries = Array.isArray(rows) ? (rows as Array<{ email?: string; created?: number; reason?: string }>) : [];
      const at = new Date().toISOString();
      const recent = entries
        .map((e) => ({ address: String(e.email ?? '?'), reason: String(e.reason ?? list), at: typeof e.created === 'number' ? new Date(e.created * 1000).toISOString() : '' }))
        .sort((a, b) => b.at.localeCompare(a.at))
        .slice(0, 10);
      figures.push({ id, label: labels[list]!, value: entries.length >= PAGE ? `${PAGE}+` : entries.length, unit: entries.length >= PAGE ? undefined : 'count', source: `SendGrid GET /v3/suppression/${list}`, at, entries: recent });
    }
  } catch (err) {
    const why = classify(err);
    return { provider: 'sendgrid', reached: false, unreachable: why.unreachable, detail: why.detail, figures: [], findings: [] };
  }
  try {
    const start = new Date(now.getTime() - 14 * 86400_000).toISOString().slice(0, 10);
    const days = (await getJson(`${base}/v3/stats?start_date=${start}&aggregated_by=day`, key)) as Array<{ date?: string; stats?: Array<{ metrics?: Record<string, number> }> }>;
    const trend: Array<{ at: string; value: number }> = [];
    let delivered = 0;
    let spam = 0;
    let bounces = 0;
    let requests = 0;
    for (const d of Array.isArray(days) ? days : []) {
      const m = d.stats?.[0]?.metrics ?? {};
      delivered += m['delivered'] ?? 0;
      spam += m['spam_reports'] ?? 0;
      bounces += m['bounces'] ?? 0;
      requests += m['requests'] ?? 0;
      if ((m['delivered'] ?? 0) > 0 && d.date) trend.push({ at: d.date, value: (m['spam_reports'] ?? 0) / m['delivered']! });
    }
    const at = new Date().toISOString();
    const src = `SendGrid GET /v3/stats since ${start}`;
    figures.push({ id: 'sendgrid.requests14d', label: term('standing.sendgrid.requests', 'Requests (14 days)', locale), value: requests, unit: 'count', source: src, at });
    figures.push({ id: 'sendgrid.bounceRate14d', label: term('standing.sendgrid.bounceRate', 'Bounce rate (14 days)', locale), value: requests ? bounces / requests : null, unit: 'ratio', source: src, at });
    const spamRate = delivered ? spam / delivered : null;
    figures.push({
      id: 'sendgrid.spamReportRate14d',
      label: term('standing.sendgrid.spamRate', 'Spam report rate (14 days)', locale),
      value: spamRate,
      unit: 'ratio',
      source: src,
      at,
      thresholds: [
        { kind: 'guideline', value: 0.001 },
        { kind: 'reject', value: 0.003 },
      ],
      trend,
    });
    if (spamRate !== null && spamRate >= 0.003) findings.push({ id: 'sendgrid-spam-rate', severity: 'error', message: interpolate(term('standing.sendgrid.spamHigh', 'Spam reports are {rate} of delivered mail, at or over the 0.3% at which Gmail rejects bulk mail.', locale), { rate: pct(spamRate) }) });
    else if (spamRate !== null && spamRate >= 0.001) findings.push({ id: 'sendgrid-spam-rate', severity: 'warning', message: interpolate(term('standing.sendgrid.spamWarn', 'Spam reports are {rate} of delivered mail, over the 0.1% Gmail asks senders to stay under.', locale), { rate: pct(spamRate) }) });
  } catch (err) {
    const why = classify(err);
    findings.push({ id: 'sendgrid-stats-unread', severity: 'warning', message: interpolate(term('standing.sendgrid.statsUnread', 'The SendGrid stats could not be read ({detail}).', locale), { detail: `${why.unreachable}: ${why.detail}` }) });
  }
  return { provider: 'sendgrid', reached: true, figures, findings };
}
