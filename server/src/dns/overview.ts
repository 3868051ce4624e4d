// The report's overview: one state per record the check looked at, derived from the findings
// themselves, so the overview and the findings can never disagree (a 1024-bit key with a warning
// is never "ok" above it). A failed lookup is its own state, "unknown", never "missing".

import { isFailure } from './resolver';
import type { DnsSeverity, DomainFinding, DomainReport, Section } from './types';

export type OverviewState = 'ok' | DnsSeverity | 'failed';

export interface OverviewItem {
  part: Exclude<Section, 'dns'>;
  /** The DNS name looked at (for DKIM, the selector's name). */
  name: string;
  /** For DKIM, the selector. */
  selector?: string;
  state: OverviewState;
}

const RANK: Record<OverviewState, number> = { ok: 0, info: 1, warning: 2, error: 3, failed: 4 };

/** The worse of two states. */
export function worse(a: OverviewState, b: OverviewState): OverviewState {
  return RANK[b] > RANK[a] ? b : a;
}

function stateOf(findings: DomainFinding[], failed: boolean): OverviewState {
  if (failed) return 'failed';
  return findings.reduce<OverviewState>((s, f) => worse(s, f.severity), 'ok');
}

/** Which overview item a finding belongs to: its section, and for DKIM the selector's name. */
export function itemOf(items: OverviewItem[], f: DomainFinding): OverviewItem | undefined {
  if (f.section === 'dns') return undefined;
  if (f.section === 'dkim') return items.find((i) => i.part === 'dkim' && i.name === f.name);
  return items.find((i) => i.part === f.section);
}

export function overview(r: Omit<DomainReport, 'overview' | 'verdicts'>): OverviewItem[] {
  const of = (section: Section) => r.findings.filter((f) => f.section === section);
  return [
    { part: 'spf', name: r.domain, state: stateOf(of('spf'), r.spf.result === 'temperror') },
    { part: 'dmarc', name: r.dmarc.foundAt ?? `_dmarc.${r.domain}`, state: stateOf(of('dmarc'), r.dmarc.result === 'temperror') },
    ...r.dkim.map((d): OverviewItem => ({ part: 'dkim', name: d.name, selector: d.selector, state: stateOf(of('dkim').filter((f) => f.name === d.name), d.status === 'dns-failure') })),
    { part: 'mx', name: r.domain, state: stateOf(of('mx'), isFailure(r.mx.status)) },
    { part: 'mta-sts', name: r.mtaSts.name, state: stateOf(of('mta-sts'), isFailure(r.mtaSts.status)) },
    { part: 'tls-rpt', name: r.tlsRpt.name, state: stateOf(of('tls-rpt'), isFailure(r.tlsRpt.status)) },
    { part: 'bimi', name: r.bimi.name, state: stateOf(of('bimi'), isFailure(r.bimi.status)) },
  ];
}
