// The DMARC DNS walk of RFC 9989: the `_dmarc.` names from the domain up (at most 8, asked at once),
// what each answered, and the organizational domain those answers give (psd tags, else the topmost
// record). Also the one other DMARC question: whether a report domain authorises the reports.
// Which record applies and what is wrong with it is dmarc.ts's part.

import { joinTxt, parseTagList } from './domain';
import { isDmarcRecord, isMisplacedDmarc, tagMap } from './dmarcRecord';
import { isFailure, type DnsSession } from './resolver';
import type { DmarcWalkStep, DnsStatus } from './types';

/** The names the RFC 9989 tree walk queries (under `_dmarc.`), from the domain up to its last label. */
export function treeWalkNames(domain: string): string[] {
  let labels = domain.split('.');
  const names = [domain];
  // A name of 8 or more labels is cut to its rightmost 7 first, so the walk is at most 8 queries.
  labels = labels.length >= 8 ? labels.slice(-7) : labels.slice(1);
  while (labels.length >= 1) {
    names.push(labels.join('.'));
    labels = labels.slice(1);
  }
  return names;
}

/** One name of the walk: what it answered, sorted into valid DMARC records and misplaced ones. */
export interface DmarcStep extends DmarcWalkStep {
  valid: string[];
  misplaced: string[];
}

export interface DmarcWalk {
  /** The names asked (without `_dmarc.`), bottom up. */
  names: string[];
  /** The answer for each name, in the same order. */
  steps: DmarcStep[];
}

export async function walkDmarc(domain: string, dns: DnsSession): Promise<DmarcWalk> {
  const names = treeWalkNames(domain);
  // The walk's names are independent questions: asked together, the walk costs one round trip.
  const answers = await Promise.all(names.map((n) => dns.txt(`_dmarc.${n}`)));
  const steps: DmarcStep[] = answers.map((a, i) => {
    const texts = a.data.map(joinTxt);
    const valid = texts.filter(isDmarcRecord);
    const misplaced = texts.filter(isMisplacedDmarc);
    return { name: `_dmarc.${names[i]}`, status: a.status, valid, misplaced, record: valid.length === 1 ? valid[0] : undefined };
  });
  return { names, steps };
}

/**
 * Organizational domain (RFC 9989 §4.10.2): from the top, psd=n marks it, psd=y marks the name
 * below it; otherwise the topmost record's name; otherwise the domain itself.
 */
export function treeWalkOrganizationalDomain(domain: string, { names, steps }: DmarcWalk): string {
  const withRecords = steps
    .map((s, i) => ({ s, i, tags: s.record ? tagMap(parseTagList(s.record).tags) : undefined }))
    .filter((x) => x.tags && !isFailure(x.s.status));
  let org: string | undefined;
  for (let j = withRecords.length - 1; j >= 0 && !org; j--) {
    const { i, tags } = withRecords[j]!;
    const psd = tags!['psd']?.toLowerCase();
    if (psd === 'n') org = names[i];
    else if (psd === 'y' && i > 0) org = domain.split('.').slice(-(names[i]!.split('.').length + 1)).join('.');
  }
  if (!org && withRecords.length) org = names[withRecords[withRecords.length - 1]!.i];
  return org ?? domain;
}

/** Whether `reportDomain` accepts DMARC reports about `policyDomain` (RFC 7489 §7.1): a v=DMARC1 record at the name. */
export async function askReportAuthorization(dns: DnsSession, policyDomain: string, reportDomain: string): Promise<{ name: string; status: DnsStatus; authorized: boolean }> {
  const name = `${policyDomain}._report._dmarc.${reportDomain}`;
  const a = await dns.txt(name);
  return { name, status: a.status, authorized: a.data.map(joinTxt).some(isDmarcRecord) };
}
