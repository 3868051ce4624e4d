// DMARC by RFC 9989: which record applies to the domain (the record at the domain, else the nearest
// one the tree walk in dmarcWalk.ts found above it), what is wrong with it, whether the sender's
// identifiers will align, and a note when RFC 7489's Public Suffix List rule would have picked
// another record or organizational domain.

import { pslOrganizationalDomain } from '../core/psl';
import { isAtOrBelow, parseTagList } from './domain';
import { KNOWN_TAGS, POLICIES, type Policy, mailtoDomains, rebuildDmarc, tagMap, validateDmarcTags } from './dmarcRecord';
import { askReportAuthorization, type DmarcStep, treeWalkOrganizationalDomain, walkDmarc } from './dmarcWalk';
import { isFailure, isVoid, type DnsSession } from './resolver';
import type { DmarcReport, DomainFinding } from './types';

/** DKIM signing and MAIL FROM domains the sender uses, when known; alignment is predicted from them. */
export interface AlignmentInput {
  dkimDomains?: string[];
  mailFromDomains?: string[];
}

export async function checkDmarc(domain: string, dns: DnsSession, out: DomainFinding[], alignment?: AlignmentInput): Promise<DmarcReport> {
  const add = (f: Omit<DomainFinding, 'section'>) => out.push({ section: 'dmarc', ...f });
  const walk = await walkDmarc(domain, dns);
  const { names, steps } = walk;

  const pslOrg = pslOrganizationalDomain(domain, { privateSuffixes: true }) ?? null;
  const report: DmarcReport = {
    record: null,
    policy: null,
    foundAt: null,
    source: null,
    tags: {},
    organizationalDomain: domain,
    pslOrganizationalDomain: pslOrg,
    walk: steps.map(({ name, status, record }) => (record ? { name, status, record } : { name, status })),
    result: 'none',
  };

  // Policy discovery: the first single valid record from the bottom. A failure on the way means
  // nobody can say which record applies.
  let found: { step: DmarcStep; index: number } | undefined;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (isFailure(step.status)) {
      report.result = 'temperror'; // told once for the run, in the dns-failure finding
      break;
    }
    for (const text of step.misplaced) {
      add({ id: 'dmarc-invalid', severity: 'error', name: step.name, message: `The TXT record at ${step.name} contains v=DMARC1 but does not start with it, so receivers ignore it: "${text}".`, fix: { name: step.name, type: 'TXT', value: rebuildDmarc(parseTagList(text).tags) } });
    }
    if (step.valid.length > 1) {
      add({
        id: 'dmarc-multiple-records',
        severity: 'error',
        name: step.name,
        message: `${step.name} has ${step.valid.length} DMARC records; receivers discard them all.`,
        fix: { name: step.name, type: 'TXT', value: step.valid[0], note: 'Keep one record and delete the others.' },
      });
      continue;
    }
    if (step.valid.length === 1) {
      found = { step, index: i };
      break;
    }
  }

  report.organizationalDomain = treeWalkOrganizationalDomain(domain, walk);

  if (!found) {
    if (report.result !== 'temperror') {
      add({
        id: 'dmarc-missing',
        severity: 'error',
        name: `_dmarc.${domain}`,
        message: `No DMARC record for ${domain}: none at _dmarc.${domain} and none found by the tree walk above it. Gmail, Yahoo and Microsoft require DMARC (p=none is enough) of bulk senders.`,
        fix: { name: `_dmarc.${domain}`, type: 'TXT', value: `v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}`, note: 'Start with p=none and read the reports; move to p=quarantine once all your mail passes.' },
      });
    }
    pslNote(domain, steps, names, pslOrg, undefined, add, report);
    return report;
  }

  const { step } = found;
  const text = step.record!;
  const { tags, malformed } = parseTagList(text);
  const map = tagMap(tags);
  report.record = text;
  report.foundAt = step.name;
  report.source = found.index === 0 ? 'domain' : 'tree-walk';
  report.tags = map;
  report.result = 'ok';
  const policyDomain = names[found.index]!;

  const problems = validateDmarcTags(tags, malformed);
  if (problems.length) {
    report.result = 'invalid';
    const cleaned = tags.filter((t) => !problems.some((p) => p.startsWith(`${t.name.toLowerCase()}=`)));
    add({ id: 'dmarc-invalid', severity: 'error', name: step.name, message: `The DMARC record at ${step.name} has invalid values: ${problems.join('; ')}. Receivers may ignore the record or the tag.`, fix: { name: step.name, type: 'TXT', value: rebuildDmarc(cleaned) } });
  }

  const p = (POLICIES as readonly string[]).includes(map['p']?.toLowerCase() ?? '') ? (map['p']!.toLowerCase() as Policy) : undefined;
  const sp = (POLICIES as readonly string[]).includes(map['sp']?.toLowerCase() ?? '') ? (map['sp']!.toLowerCase() as Policy) : undefined;
  const effective: Policy = found.index === 0 ? p ?? 'none' : sp ?? p ?? 'none';
  report.policy = effective;

  if (found.index > 0) {
    add({
      id: 'dmarc-inherited',
      severity: 'info',
      name: `_dmarc.${domain}`,
      message: `${domain} has no DMARC record of its own; the RFC 9989 tree walk found ${step.name}, whose ${sp ? `sp=${sp}` : `p=${p ?? 'none'}`} applies to it.`,
      fix: { name: `_dmarc.${domain}`, type: 'TXT', note: `Nothing to do unless ${domain} needs its own policy; then publish one here.` },
    });
  }

  if (!map['p']) {
    add({ id: 'dmarc-policy-missing', severity: 'warning', name: step.name, message: `The DMARC record at ${step.name} has no p= tag; receivers treat it as p=none.`, fix: { name: step.name, type: 'TXT', value: rebuildDmarc(tags, { p: 'none' }) } });
  } else if (effective === 'none') {
    add({
      id: 'dmarc-policy-none',
      severity: 'warning',
      name: step.name,
      message: `DMARC for ${domain} is p=none${found.index > 0 && sp ? ' (sp=none)' : ''}: enough for Gmail, Yahoo and Microsoft, but mail forged in your name is still delivered, and BIMI needs quarantine or reject.`,
      fix: { name: step.name, type: 'TXT', value: rebuildDmarc(tags, found.index > 0 && sp ? { sp: 'quarantine' } : { p: 'quarantine' }), note: 'Move to quarantine once the aggregate reports show all your own mail passing.' },
    });
  }

  if ('pct' in map) {
    const pct = Number(map['pct']);
    add({
      id: 'dmarc-pct-removed',
      severity: pct < 100 ? 'warning' : 'info',
      name: step.name,
      message: pct < 100
        ? `pct=${map['pct']} is removed by RFC 9989: receivers that follow it apply the policy to all mail, older ones to ${map['pct']}%. Use t=y to test a policy instead.`
        : `pct=${map['pct']} is removed by RFC 9989 and does nothing; it can go.`,
      fix: { name: step.name, type: 'TXT', value: rebuildDmarc(tags, pct < 100 ? { t: 'y' } : {}, ['pct']) },
    });
  }
  for (const k of ['rf', 'ri']) {
    if (k in map) add({ id: 'dmarc-tag-removed', severity: 'info', name: step.name, message: `${k}= is removed by RFC 9989 and ignored by receivers.`, fix: { name: step.name, type: 'TXT', value: rebuildDmarc(tags, {}, [k]) } });
  }
  for (const t of tags) {
    if (!KNOWN_TAGS.has(t.name.toLowerCase())) add({ id: 'dmarc-unknown-tag', severity: 'info', name: step.name, message: `The DMARC tag ${t.name}= is not defined; receivers ignore it.` });
  }
  if (map['t']?.toLowerCase() === 'y') {
    add({ id: 'dmarc-testing', severity: 'warning', name: step.name, message: `t=y puts DMARC for ${policyDomain} in test mode: receivers apply one step less than the policy (reject as quarantine, quarantine as none).`, fix: { name: step.name, type: 'TXT', value: rebuildDmarc(tags, {}, ['t']) } });
  }

  if (!map['rua']) {
    add({ id: 'dmarc-rua-missing', severity: 'warning', name: step.name, message: `The DMARC record at ${step.name} has no rua=, so no aggregate reports arrive: you cannot see who sends as ${domain} or whether your own mail passes.`, fix: { name: step.name, type: 'TXT', value: rebuildDmarc(tags, { rua: `mailto:dmarc-reports@${policyDomain}` }) } });
  }

  // Report addresses in another organization must be authorised there (RFC 7489 §7.1).
  const reportDomains = [...new Set([...mailtoDomains(map['rua']), ...mailtoDomains(map['ruf'])])].filter((d) => !isAtOrBelow(d, report.organizationalDomain));
  await Promise.all(
    reportDomains.map(async (d) => {
      const { name, status, authorized } = await askReportAuthorization(dns, policyDomain, d);
      // A failure here is named in the run's one dns-failure finding.
      if (!isFailure(status) && !authorized) {
        add({
          id: 'dmarc-rua-unauthorized',
          severity: 'warning',
          name,
          message: `DMARC reports for ${policyDomain} go to ${d}, which has not authorised them (no v=DMARC1 record at ${name}${isVoid(status) ? '' : ' that starts with v=DMARC1'}); receivers will not send reports there.`,
          fix: { name, type: 'TXT', value: 'v=DMARC1', note: `Published by whoever runs ${d} (your DMARC report service usually does this for you).` },
        });
      }
    }),
  );

  predictAlignment(domain, report, map, alignment, add);
  pslNote(domain, steps, names, pslOrg, found, add, report);
  return report;
}

function predictAlignment(domain: string, report: DmarcReport, map: Record<string, string>, input: AlignmentInput | undefined, add: (f: Omit<DomainFinding, 'section'>) => void): void {
  const dkim = (input?.dkimDomains ?? []).map((d) => d.toLowerCase().replace(/\.$/, '')).filter(Boolean);
  const spf = (input?.mailFromDomains ?? []).map((d) => d.toLowerCase().replace(/\.$/, '')).filter(Boolean);
  if (!dkim.length && !spf.length) return;
  const org = report.organizationalDomain;
  const relaxed = (d: string) => isAtOrBelow(d, org);
  const strict = (d: string) => d === domain;
  const adkim = map['adkim']?.toLowerCase() === 's' ? 's' : 'r';
  const aspf = map['aspf']?.toLowerCase() === 's' ? 's' : 'r';
  const dkimOk = dkim.some(adkim === 's' ? strict : relaxed);
  const spfOk = spf.some(aspf === 's' ? strict : relaxed);
  const name = report.foundAt ?? `_dmarc.${domain}`;
  const reasons: string[] = [];
  if (dkim.length && !dkimOk) reasons.push(adkim === 's' && dkim.some(relaxed) ? `DKIM signs as ${dkim.join(', ')}, which adkim=s does not accept (it needs d=${domain} exactly)` : `DKIM signs as ${dkim.join(', ')}, outside ${org}`);
  if (spf.length && !spfOk) reasons.push(aspf === 's' && spf.some(relaxed) ? `the MAIL FROM domain ${spf.join(', ')} is not ${domain}, as aspf=s requires` : `the MAIL FROM domain ${spf.join(', ')} is outside ${org}`);
  if (!reasons.length) return;
  const strictCause = (adkim === 's' && dkim.some(relaxed) && !dkimOk) || (aspf === 's' && spf.some(relaxed) && !spfOk);
  const set: Record<string, string> = {};
  if (adkim === 's' && dkim.some(relaxed)) set['adkim'] = 'r';
  if (aspf === 's' && spf.some(relaxed)) set['aspf'] = 'r';
  const fix = strictCause && report.record ? { name, type: 'TXT' as const, value: rebuildDmarc(parseTagList(report.record).tags, set) } : { name, type: 'TXT' as const, note: `Have your ESP sign with d=${domain} (a custom DKIM domain) or use a MAIL FROM subdomain of ${domain}.` };
  if ((dkim.length && dkimOk) || (spf.length && spfOk)) {
    add({ id: 'dmarc-strict-alignment', severity: 'warning', name, message: `One identifier will not align for ${domain}: ${reasons.join('; ')}. DMARC still passes through the other, but has no fallback.`, fix });
  } else {
    add({ id: 'dmarc-alignment-fails', severity: 'error', name, message: `DMARC will fail for mail from ${domain} as your send configuration stands: ${reasons.join('; ')}.`, fix });
  }
}

/** Says when RFC 7489's rule (the domain, then its PSL organizational domain) would pick another record. */
function pslNote(domain: string, steps: DmarcStep[], names: string[], pslOrg: string | null, found: { step: DmarcStep; index: number } | undefined, add: (f: Omit<DomainFinding, 'section'>) => void, report: DmarcReport): void {
  if (!pslOrg || report.result === 'temperror') return;
  let pslPick: string | undefined;
  if (steps[0]!.valid.length === 1) pslPick = steps[0]!.name;
  else if (pslOrg !== domain) {
    const i = names.indexOf(pslOrg);
    if (i >= 0 && steps[i]!.valid.length === 1) pslPick = steps[i]!.name;
    else if (i < 0) return; // the walk skipped that name (a very long domain); nothing to compare
  }
  const walkPick = found?.step.name;
  if (pslPick === walkPick && pslOrg === report.organizationalDomain) return;
  const parts: string[] = [];
  if (pslPick !== walkPick) parts.push(`RFC 7489 receivers, which use the Public Suffix List, would apply ${pslPick ?? 'no record'} instead of ${walkPick ?? 'no record'}`);
  if (pslOrg !== report.organizationalDomain) parts.push(`they take ${pslOrg} as the organizational domain where RFC 9989 takes ${report.organizationalDomain}, which changes relaxed alignment`);
  add({ id: 'dmarc-psl-differs', severity: 'info', name: `_dmarc.${domain}`, message: `For ${domain}, ${parts.join(', and ')}.`, fix: { name: `_dmarc.${domain}`, type: 'TXT', value: report.record ?? undefined, note: `Publishing a record at _dmarc.${domain} itself makes both kinds of receiver agree.` } });
}
