// SPF (RFC 7208): the findings and the result for a domain, from the tree the walk (spfWalk.ts)
// read. Without a sender IP nothing is "evaluated" in the pass/fail sense: the check finds what
// makes receivers return permerror or temperror for every sender, and what lets anyone pass; the
// DNS-lookup count (§4.6.4) is blamed on the include that costs it.

import { interpolate, term } from '../core/messages';
import { describeStatus, type DnsSession } from './resolver';
import { mergeRecords, rewrite, targetOf } from './spfRecord';
import { MAX_FOLLOWED, walkSpf } from './spfWalk';
import type { Locale } from '../core/types';
import type { DomainFinding, SpfNode, SpfReport } from './types';

export const SPF_LOOKUP_LIMIT = 10;
export const SPF_VOID_LIMIT = 2;
/** Records longer than this risk a truncated UDP answer once other TXT records share the name. */
export const SPF_SIZE_WARNING = 450;

/** The node and every node below it, depth first. */
function* nodesOf(node: SpfNode): Generator<SpfNode> {
  yield node;
  for (const c of node.children) yield* nodesOf(c);
}

/** "include:a 4, mx 1, ..." costliest first, at most 8 named. */
function lookupBlame(root: SpfNode, locale: Locale): string {
  const parts: Array<{ text: string; cost: number }> = [];
  for (const t of root.terms) {
    if (!t.lookups) continue;
    const child = root.children.find((c) => (t.kind === 'include' || t.kind === 'redirect') && c.domain === targetOf(t, root.domain));
    parts.push({ text: t.text, cost: child ? child.totalLookups + 1 : 1 });
  }
  parts.sort((a, b) => b.cost - a.cost);
  const shown = parts.slice(0, 8).map((p) => `${p.text} ${p.cost}`);
  if (parts.length > 8) shown.push(interpolate(term('dns.spf.blameMore', 'and {count} more costing {cost}', locale), { count: parts.length - 8, cost: parts.slice(8).reduce((n, p) => n + p.cost, 0) }));
  return shown.join(', ');
}

export async function checkSpf(domain: string, dns: DnsSession, out: DomainFinding[]): Promise<SpfReport> {
  const root = await walkSpf(domain, dns);
  const add = (f: Omit<DomainFinding, 'section'>) => out.push({ section: 'spf', ...f });
  const report: SpfReport = {
    record: root.record ?? null,
    records: root.records ?? (root.record ? [root.record] : []),
    dnsLookups: root.totalLookups,
    voidLookups: root.voidLookups,
    all: null,
    result: 'ok',
    tree: root,
  };
  const permerror = () => {
    if (report.result === 'ok') report.result = 'permerror';
  };

  if (root.status === 'dns-failure') {
    // Told once for the whole run, with the server and the error (failures.ts).
    report.result = 'temperror';
    return report;
  }
  if (root.status === 'missing') {
    report.result = 'none';
    report.tree = null;
    add({
      id: 'spf-missing',
      severity: 'error',
      name: domain,
      message: interpolate(term('dns.spf-missing', '{domain} publishes no SPF record, so receivers cannot tell which servers may send its mail. Gmail, Yahoo and Microsoft require SPF of bulk senders.', dns.locale), { domain }),
      fix: { name: domain, type: 'TXT', value: interpolate('v=spf1 include:<{placeholder}> ~all', { placeholder: term('dns.spf.espPlaceholder', "your ESP's SPF domain", dns.locale) }), note: term('dns.spf-missing.note', 'Use the include your ESP documents, for example include:amazonses.com (Amazon SES), include:sendgrid.net, include:servers.mcsv.net (Mailchimp), include:mailgun.org, include:spf.mtasv.net (Postmark).', dns.locale) },
    });
    return report;
  }
  if (root.status === 'multiple') {
    report.result = 'permerror';
    const merged = mergeRecords(root.records!);
    add({
      id: 'spf-multiple-records',
      severity: 'error',
      name: domain,
      message: interpolate(term('dns.spf-multiple-records', '{domain} publishes {recordsLength} SPF records. RFC 7208 makes that a permanent error: receivers treat the domain as having a broken SPF policy.', dns.locale), { domain, recordsLength: root.records!.length }),
      fix: { name: domain, type: 'TXT', value: merged, note: term('dns.spf-multiple-records.note.2', 'Publish this one merged record and delete the others.', dns.locale) },
    });
    return report;
  }

  const all = root.terms.find((t) => t.kind === 'all');
  report.all = all ? all.qualifier ?? '+' : null;
  const hasRedirect = root.terms.some((t) => t.kind === 'redirect');

  const notFollowed: string[] = [];
  for (const node of nodesOf(root)) {
    const where = node === root ? interpolate(term('dns.spf.where', 'the SPF record of {domain}', dns.locale), { domain }) : interpolate(term('dns.spf.whereReached', 'the SPF record of {domain} (reached by {via})', dns.locale), { domain: node.domain, via: node.via });
    for (const t of node.terms) {
      if (!t.error) continue;
      permerror();
      add({
        id: 'spf-syntax',
        severity: 'error',
        name: node.domain,
        message: interpolate(term('dns.spf-syntax', '{where}: "{text}" at column {column}: {error}. One bad term makes the whole record a permanent error.', dns.locale), { where, text: t.text, column: t.start + 1, error: t.error }),
        fix: node === root && node.status === 'syntax-error' ? { name: domain, type: 'TXT', value: rewrite(node.record!, node.terms, (x) => (x === t ? undefined : x.text)), note: interpolate(term('dns.spf-syntax.note', 'Correct or remove "{text}".', dns.locale), { text: t.text }) } : undefined,
      });
    }
    if (node === root) continue;
    switch (node.status) {
      case 'loop':
        permerror();
        add({
          id: 'spf-include-loop',
          severity: 'error',
          name: node.domain,
          message: interpolate(term('dns.spf-include-loop', 'SPF {nodeVia} of {nodeDomain} loops back to a record that is already being evaluated. Receivers give up with a permanent error.', dns.locale), { nodeVia: node.via, nodeDomain: node.domain }),
          fix: { name: node.domain, type: 'TXT', note: interpolate(term('dns.spf-include-loop.note', 'Remove the {nodeVia} of {nodeDomain} from the record that points back to it.', dns.locale), { nodeVia: node.via, nodeDomain: node.domain }) },
        });
        break;
      case 'missing':
        permerror();
        add({
          id: 'spf-include-missing',
          severity: 'error',
          name: node.domain,
          message: interpolate(term('dns.spf-include-missing', 'SPF {via} points at {domain}, which has no SPF record ({why}). That is a permanent error for every message.', dns.locale), {
            via: node.via,
            domain: node.domain,
            why: node.dnsStatus === 'ok' ? term('dns.spf.noSpfAmongTxt', 'it has TXT records, none of them v=spf1', dns.locale) : describeStatus(node.dnsStatus ?? 'nodata', dns.locale),
          }),
          fix: node.via === 'include' ? { name: domain, type: 'TXT', value: root.record ? rewrite(root.record, root.terms, (x) => (x.kind === 'include' && targetOf(x, domain) === node.domain ? undefined : x.text)) : undefined, note: interpolate(term('dns.spf-include-missing.note', 'Remove include:{nodeDomain} or correct the name your ESP gives.', dns.locale), { nodeDomain: node.domain }) } : undefined,
        });
        break;
      case 'multiple':
        permerror();
        add({ id: 'spf-multiple-records', severity: 'error', name: node.domain, message: interpolate(term('dns.spf-multiple-records.2', '{nodeDomain} (reached by {nodeVia}) publishes {recordsLength} SPF records, a permanent error for every message.', dns.locale), { nodeDomain: node.domain, nodeVia: node.via, recordsLength: node.records!.length }), fix: { name: node.domain, type: 'TXT', value: mergeRecords(node.records!), note: interpolate(term('dns.spf-multiple-records.note', '{nodeDomain} must publish one record; if it is your ESP\'s, tell them.', dns.locale), { nodeDomain: node.domain }) } });
        break;
      case 'dns-failure':
        // Receivers would return a temporary error; the one dns-failure finding names it.
        if (report.result === 'ok') report.result = 'temperror';
        break;
      case 'not-followed':
        notFollowed.push(node.domain);
        break;
      default:
        break;
    }
    const childAll = node.terms.find((t) => t.kind === 'all');
    if (node.via === 'include' && childAll && (childAll.qualifier ?? '+') === '+') {
      add({ id: 'spf-all-permissive', severity: 'error', name: node.domain, message: interpolate(term('dns.spf-all-permissive', 'include:{nodeDomain} ends with "{childAllText}", so the include passes mail from any server in the world, and so does your record.', dns.locale), { nodeDomain: node.domain, childAllText: childAll.text }), fix: { name: domain, type: 'TXT', note: interpolate(term('dns.spf-all-permissive.note', 'Remove include:{nodeDomain} unless its owner fixes it.', dns.locale), { nodeDomain: node.domain }) } });
    }
  }

  if (notFollowed.length) {
    const names = `${notFollowed.slice(0, 3).join(', ')}${notFollowed.length > 3 ? ', ...' : ''}`;
    const message = notFollowed.length === 1
      ? term('dns.spf-not-evaluated.one', 'Stopped following SPF includes after {max} records: the tree is larger or deeper than any working record can be. {count} include was not read ({names}); the counts are lower bounds.', dns.locale)
      : term('dns.spf-not-evaluated', 'Stopped following SPF includes after {max} records: the tree is larger or deeper than any working record can be. {count} includes were not read ({names}); the counts are lower bounds.', dns.locale);
    add({ id: 'spf-not-evaluated', severity: 'info', name: domain, message: interpolate(message, { max: MAX_FOLLOWED, count: notFollowed.length, names }) });
  }

  if (root.totalLookups > SPF_LOOKUP_LIMIT) {
    permerror();
    add({
      id: 'spf-lookup-limit',
      severity: 'error',
      name: domain,
      message: interpolate(term('dns.spf-lookup-limit', 'SPF for {domain} needs {lookups} DNS lookups; RFC 7208 allows {limit}, and receivers return a permanent error past that. Cost by term: {blame}.', dns.locale), { domain, lookups: root.totalLookups, limit: SPF_LOOKUP_LIMIT, blame: lookupBlame(root, dns.locale) }),
      fix: { name: domain, type: 'TXT', note: term('dns.spf-lookup-limit.note', 'Remove includes of services that no longer send for you, replace a and mx with ip4:/ip6: ranges, or move a sender to its own subdomain (its MAIL FROM domain) with its own SPF record.', dns.locale) },
    });
  } else if (root.totalLookups >= SPF_LOOKUP_LIMIT - 1) {
    add({ id: 'spf-lookup-near-limit', severity: 'info', name: domain, message: interpolate(term('dns.spf-lookup-near-limit', 'SPF for {domain} needs {lookups} of the {limit} DNS lookups allowed ({blame}); an ESP adding one include to its record would break it.', dns.locale), { domain, lookups: root.totalLookups, limit: SPF_LOOKUP_LIMIT, blame: lookupBlame(root, dns.locale) }) });
  }

  if (root.voidLookups > SPF_VOID_LIMIT) {
    permerror();
    const voidTerms = [...nodesOf(root)].flatMap((n) => n.terms.filter((t) => t.void).map((t) => (n === root ? t.text : interpolate(term('dns.spf.termIn', '{text} (in {domain})', dns.locale), { text: t.text, domain: n.domain }))));
    const topVoid = root.terms.filter((t) => t.void);
    add({
      id: 'spf-void-lookup-limit',
      severity: 'error',
      name: domain,
      message: interpolate(term('dns.spf-void-lookup-limit', 'SPF for {domain} has {voids} lookups that find nothing (NXDOMAIN or no data): {terms}. More than {limit} is a permanent error at receivers that enforce RFC 7208 §4.6.4.', dns.locale), { domain, voids: root.voidLookups, terms: voidTerms.join(', '), limit: SPF_VOID_LIMIT }),
      fix: { name: domain, type: 'TXT', value: topVoid.length ? rewrite(root.record!, root.terms, (x) => (x.void ? undefined : x.text)) : undefined, note: term('dns.spf-void-lookup-limit.note', 'Remove the terms that point at names with no records.', dns.locale) },
    });
  }

  if (report.all === '+') {
    add({ id: 'spf-all-permissive', severity: 'error', name: domain, message: interpolate(term('dns.spf-all-permissive.2', 'The SPF record of {domain} ends with "{allText}": every server in the world may send as {domain}.', dns.locale), { domain, allText: all!.text }), fix: { name: domain, type: 'TXT', value: rewrite(root.record!, root.terms, (x) => (x === all ? '~all' : x.text)) } });
  } else if (report.all === '?') {
    add({ id: 'spf-all-permissive', severity: 'warning', name: domain, message: interpolate(term('dns.spf-all-permissive.3', 'The SPF record of {domain} ends with "?all" (neutral): receivers treat unlisted servers as if there were no SPF at all.', dns.locale), { domain }), fix: { name: domain, type: 'TXT', value: rewrite(root.record!, root.terms, (x) => (x === all ? '~all' : x.text)) } });
  } else if (!all && !hasRedirect && root.status === 'ok') {
    add({ id: 'spf-all-missing', severity: 'warning', name: domain, message: interpolate(term('dns.spf-all-missing', 'The SPF record of {domain} has no "all" and no redirect, so mail from unlisted servers ends neutral, as if there were no SPF.', dns.locale), { domain }), fix: { name: domain, type: 'TXT', value: `${root.record!.trim()} ~all` } });
  }
  if (all && hasRedirect) {
    add({ id: 'spf-redirect-ignored', severity: 'info', name: domain, message: interpolate(term('dns.spf-redirect-ignored', 'The SPF record of {domain} has both "all" and redirect=; receivers ignore the redirect.', dns.locale), { domain }), fix: { name: domain, type: 'TXT', value: rewrite(root.record!, root.terms, (x) => (x.kind === 'redirect' ? undefined : x.text)) } });
  }
  const ptr = root.terms.find((t) => t.kind === 'ptr');
  if (ptr) {
    add({ id: 'spf-ptr', severity: 'warning', name: domain, message: interpolate(term('dns.spf-ptr', 'The SPF record of {domain} uses "{ptrText}", which RFC 7208 §5.5 says not to use: it is slow, unreliable, and some receivers skip it.', dns.locale), { domain, ptrText: ptr.text }), fix: { name: domain, type: 'TXT', value: rewrite(root.record!, root.terms, (x) => (x.kind === 'ptr' ? undefined : x.text)), note: term('dns.spf-ptr.note', 'List the sending servers with ip4:/ip6: or a instead.', dns.locale) } });
  }
  if (root.record && Buffer.byteLength(root.record) > SPF_SIZE_WARNING) {
    add({ id: 'spf-record-size', severity: 'warning', name: domain, message: interpolate(term('dns.spf-record-size', 'The SPF record of {domain} is {octets} octets; over about {limit}, answers risk exceeding 512 bytes and need TCP, which some receivers do not retry.', dns.locale), { domain, octets: Buffer.byteLength(root.record), limit: SPF_SIZE_WARNING }), fix: { name: domain, type: 'TXT', note: interpolate(term('dns.spf-record-size.note', 'Move ip4:/ip6: ranges into an include of a subdomain you control (e.g. include:_spf.{domain}).', dns.locale), { domain }) } });
  }
  for (const t of root.terms) {
    if (t.value?.includes('%') && (t.kind === 'include' || t.kind === 'exists' || t.kind === 'redirect')) {
      add({ id: 'spf-macro', severity: 'info', name: domain, message: interpolate(term('dns.spf-macro', '"{text}" uses macros, which depend on the sending IP or address; its lookup is counted but what it points at was not checked.', dns.locale), { text: t.text }) });
    }
  }
  return report;
}
