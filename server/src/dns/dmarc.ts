// DMARC by RFC 9989: which record applies to the domain (the record at the domain, else the nearest
// one the tree walk in dmarcWalk.ts found above it), what is wrong with it, whether the sender's
// identifiers will align, and a note when RFC 7489's Public Suffix List rule would have picked
// another record or organizational domain.

import { pslOrganizationalDomain } from '../core/psl';
import { isAtOrBelow, parseTagList } from './domain';
import { KNOWN_TAGS, POLICIES, type Policy, mailtoDomains, rebuildDmarc, tagMap, validateDmarcTags } from './dmarcRecord';
import { askReportAuthorization, type DmarcStep, treeWalkOrganizationalDomain, walkDmarc } from './dmarcWalk';
import { isFailure, isVoid, type DnsSession } from './resolver';
import { interpolate, term } from '../core/messages';
import type { Locale } from '../core/types';
import type { DmarcReport, DomainFinding } from './types';

/** DKIM signing and MAIL FROM domains the sender uses, when known; alignment is predicted from them. */
export interface AlignmentInput {
  dkimDomains?: string[];
  mailFromDomains?: string[];
}

export async function checkDmarc(domain: string, dns: DnsSession, out: DomainFinding[], alignment?: AlignmentInput): Promise<DmarcReport> {
  const add = (f: Omit<DomainFinding, 'section'>) => out.push({ section: 'dmarc', ...f });
  const L = dns.locale;
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
      add({ id: 'dmarc-invalid', severity: 'error', name: step.name, message: interpolate(term('dns.dmarc-invalid', 'The TXT record at {stepName} contains v=DMARC1 but does not start with it, so receivers ignore it: "{text}".', L), { stepName: step.name, text }), fix: { name: step.name, type: 'TXT', value: rebuildDmarc(parseTagList(text).tags) } });
    }
    if (step.valid.length > 1) {
      add({
        id: 'dmarc-multiple-records',
        severity: 'error',
        name: step.name,
        message: interpolate(term('dns.dmarc-multiple-records', '{stepName} has {validLength} DMARC records; receivers discard them all.', L), { stepName: step.name, validLength: step.valid.length }),
        fix: { name: step.name, type: 'TXT', value: step.valid[0], note: term('dns.dmarc-multiple-records.note', 'Keep one record and delete the others.', L) },
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
        message: interpolate(term('dns.dmarc-missing', 'No DMARC record for {domain}: none at _dmarc.{domain} and none found by the tree walk above it. Gmail, Yahoo and Microsoft require DMARC (p=none is enough) of bulk senders.', L), { domain }),
        fix: { name: `_dmarc.${domain}`, type: 'TXT', value: `v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}`, note: term('dns.dmarc-missing.note', 'Start with p=none and read the reports; move to p=quarantine once all your mail passes.', L) },
      });
    }
    pslNote(domain, steps, names, pslOrg, undefined, add, report, L);
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

  const problems = validateDmarcTags(tags, malformed, L);
  if (problems.length) {
    report.result = 'invalid';
    const cleaned = tags.filter((t) => !problems.some((p) => p.startsWith(`${t.name.toLowerCase()}=`)));
    add({ id: 'dmarc-invalid', severity: 'error', name: step.name, message: interpolate(term('dns.dmarc-invalid.values', 'The DMARC record at {name} has invalid values: {problems}. Receivers may ignore the record or the tag.', L), { name: step.name, problems: problems.join('; ') }), fix: { name: step.name, type: 'TXT', value: rebuildDmarc(cleaned) } });
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
      message: interpolate(term('dns.dmarc-inherited', '{domain} has no DMARC record of its own; the RFC 9989 tree walk found {name}, whose {tag} applies to it.', L), { domain, name: step.name, tag: sp ? `sp=${sp}` : `p=${p ?? 'none'}` }),
      fix: { name: `_dmarc.${domain}`, type: 'TXT', note: interpolate(term('dns.dmarc-inherited.note', 'Nothing to do unless {domain} needs its own policy; then publish one here.', L), { domain }) },
    });
  }

  if (!map['p']) {
    add({ id: 'dmarc-policy-missing', severity: 'warning', name: step.name, message: interpolate(term('dns.dmarc-policy-missing', 'The DMARC record at {stepName} has no p= tag; receivers treat it as p=none.', L), { stepName: step.name }), fix: { name: step.name, type: 'TXT', value: rebuildDmarc(tags, { p: 'none' }) } });
  } else if (effective === 'none') {
    add({
      id: 'dmarc-policy-none',
      severity: 'warning',
      name: step.name,
      message: interpolate(term('dns.dmarc-policy-none', 'DMARC for {domain} is {policy}: enough for Gmail, Yahoo and Microsoft, but mail forged in your name is still delivered, and BIMI needs quarantine or reject.', L), { domain, policy: found.index > 0 && sp ? 'p=none (sp=none)' : 'p=none' }),
      fix: { name: step.name, type: 'TXT', value: rebuildDmarc(tags, found.index > 0 && sp ? { sp: 'quarantine' } : { p: 'quarantine' }), note: term('dns.dmarc-policy-none.note', 'Move to quarantine once the aggregate reports show all your own mail passing.', L) },
    });
  }

  if ('pct' in map) {
    const pct = Number(map['pct']);
    add({
      id: 'dmarc-pct-removed',
      severity: pct < 100 ? 'warning' : 'info',
      name: step.name,
      message: interpolate(
        pct < 100
          ? term('dns.dmarc-pct-removed', 'pct={pct} is removed by RFC 9989: receivers that follow it apply the policy to all mail, older ones to {pct}%. Use t=y to test a policy instead.', L)
          : term('dns.dmarc-pct-removed.full', 'pct={pct} is removed by RFC 9989 and does nothing; it can go.', L),
        { pct: map['pct']! },
      ),
      fix: { name: step.name, type: 'TXT', value: rebuildDmarc(tags, pct < 100 ? { t: 'y' } : {}, ['pct']) },
    });
  }
  for (const k of ['rf', 'ri']) {
    if (k in map) add({ id: 'dmarc-tag-removed', severity: 'info', name: step.name, message: interpolate(term('dns.dmarc-tag-removed', '{k}= is removed by RFC 9989 and ignored by receivers.', L), { k }), fix: { name: step.name, type: 'TXT', value: rebuildDmarc(tags, {}, [k]) } });
  }
  for (const t of tags) {
    if (!KNOWN_TAGS.has(t.name.toLowerCase())) add({ id: 'dmarc-unknown-tag', severity: 'info', name: step.name, message: interpolate(term('dns.dmarc-unknown-tag', 'The DMARC tag {name}= is not defined; receivers ignore it.', L), { name: t.name }) });
  }
  if (map['t']?.toLowerCase() === 'y') {
    add({ id: 'dmarc-testing', severity: 'warning', name: step.name, message: interpolate(term('dns.dmarc-testing', 't=y puts DMARC for {policyDomain} in test mode: receivers apply one step less than the policy (reject as quarantine, quarantine as none).', L), { policyDomain }), fix: { name: step.name, type: 'TXT', value: rebuildDmarc(tags, {}, ['t']) } });
  }

  if (!map['rua']) {
    add({ id: 'dmarc-rua-missing', severity: 'warning', name: step.name, message: interpolate(term('dns.dmarc-rua-missing', 'The DMARC record at {stepName} has no rua=, so no aggregate reports arrive: you cannot see who sends as {domain} or whether your own mail passes.', L), { stepName: step.name, domain }), fix: { name: step.name, type: 'TXT', value: rebuildDmarc(tags, { rua: `mailto:dmarc-reports@${policyDomain}` }) } });
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
          message: interpolate(
            isVoid(status)
              ? term('dns.dmarc-rua-unauthorized', 'DMARC reports for {policyDomain} go to {reportDomain}, which has not authorised them (no v=DMARC1 record at {name}); receivers will not send reports there.', L)
              : term('dns.dmarc-rua-unauthorized.other', 'DMARC reports for {policyDomain} go to {reportDomain}, which has not authorised them (no record at {name} that starts with v=DMARC1); receivers will not send reports there.', L),
            { policyDomain, reportDomain: d, name },
          ),
          fix: { name, type: 'TXT', value: 'v=DMARC1', note: interpolate(term('dns.dmarc-rua-unauthorized.note', 'Published by whoever runs {d} (your DMARC report service usually does this for you).', L), { d }) },
        });
      }
    }),
  );

  predictAlignment(domain, report, map, alignment, add, L);
  pslNote(domain, steps, names, pslOrg, found, add, report, L);
  return report;
}

function predictAlignment(domain: string, report: DmarcReport, map: Record<string, string>, input: AlignmentInput | undefined, add: (f: Omit<DomainFinding, 'section'>) => void, L: Locale): void {
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
  const data = { dkim: dkim.join(', '), mailFrom: spf.join(', '), domain, org };
  if (dkim.length && !dkimOk) reasons.push(interpolate(adkim === 's' && dkim.some(relaxed) ? term('dns.alignment.dkimStrict', 'DKIM signs as {dkim}, which adkim=s does not accept (it needs d={domain} exactly)', L) : term('dns.alignment.dkimOutside', 'DKIM signs as {dkim}, outside {org}', L), data));
  if (spf.length && !spfOk) reasons.push(interpolate(aspf === 's' && spf.some(relaxed) ? term('dns.alignment.spfStrict', 'the MAIL FROM domain {mailFrom} is not {domain}, as aspf=s requires', L) : term('dns.alignment.spfOutside', 'the MAIL FROM domain {mailFrom} is outside {org}', L), data));
  if (!reasons.length) return;
  const strictCause = (adkim === 's' && dkim.some(relaxed) && !dkimOk) || (aspf === 's' && spf.some(relaxed) && !spfOk);
  const set: Record<string, string> = {};
  if (adkim === 's' && dkim.some(relaxed)) set['adkim'] = 'r';
  if (aspf === 's' && spf.some(relaxed)) set['aspf'] = 'r';
  const fix = strictCause && report.record ? { name, type: 'TXT' as const, value: rebuildDmarc(parseTagList(report.record).tags, set) } : { name, type: 'TXT' as const, note: interpolate(term('dns.alignment.note', 'Have your ESP sign with d={domain} (a custom DKIM domain) or use a MAIL FROM subdomain of {domain}.', L), { domain }) };
  if ((dkim.length && dkimOk) || (spf.length && spfOk)) {
    add({ id: 'dmarc-strict-alignment', severity: 'warning', name, message: interpolate(term('dns.dmarc-strict-alignment', 'One identifier will not align for {domain}: {reasons}. DMARC still passes through the other, but has no fallback.', L), { domain, reasons: reasons.join('; ') }), fix });
  } else {
    add({ id: 'dmarc-alignment-fails', severity: 'error', name, message: interpolate(term('dns.dmarc-alignment-fails', 'DMARC will fail for mail from {domain} as your send configuration stands: {reasons}.', L), { domain, reasons: reasons.join('; ') }), fix });
  }
}

/** Says when RFC 7489's rule (the domain, then its PSL organizational domain) would pick another record. */
function pslNote(domain: string, steps: DmarcStep[], names: string[], pslOrg: string | null, found: { step: DmarcStep; index: number } | undefined, add: (f: Omit<DomainFinding, 'section'>) => void, report: DmarcReport, L: Locale): void {
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
  const noRecord = term('dns.dmarc.noRecord', 'no record', L);
  if (pslPick !== walkPick) parts.push(interpolate(term('dns.dmarc-psl-differs.record', 'RFC 7489 receivers, which use the Public Suffix List, would apply {psl} instead of {walk}', L), { psl: pslPick ?? noRecord, walk: walkPick ?? noRecord }));
  if (pslOrg !== report.organizationalDomain) parts.push(interpolate(term('dns.dmarc-psl-differs.org', 'they take {psl} as the organizational domain where RFC 9989 takes {walk}, which changes relaxed alignment', L), { psl: pslOrg, walk: report.organizationalDomain }));
  add({ id: 'dmarc-psl-differs', severity: 'info', name: `_dmarc.${domain}`, message: interpolate(term('dns.dmarc-psl-differs', 'For {domain}, {parts}.', L), { domain, parts: parts.join(term('dns.dmarc.and', ', and ', L)) }), fix: { name: `_dmarc.${domain}`, type: 'TXT', value: report.record ?? undefined, note: interpolate(term('dns.dmarc-psl-differs.note', 'Publishing a record at _dmarc.{domain} itself makes both kinds of receiver agree.', L), { domain }) } });
}
