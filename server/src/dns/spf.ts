// SPF (RFC 7208): the findings and the result for a domain, from the tree the walk (spfWalk.ts)
// read. Without a sender IP nothing is "evaluated" in the pass/fail sense: the check finds what
// makes receivers return permerror or temperror for every sender, and what lets anyone pass; the
// DNS-lookup count (§4.6.4) is blamed on the include that costs it.

import { describeStatus, type DnsSession } from './resolver';
import { mergeRecords, rewrite, targetOf } from './spfRecord';
import { MAX_FOLLOWED, walkSpf } from './spfWalk';
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
function lookupBlame(root: SpfNode): string {
  const parts: Array<{ text: string; cost: number }> = [];
  for (const t of root.terms) {
    if (!t.lookups) continue;
    const child = root.children.find((c) => (t.kind === 'include' || t.kind === 'redirect') && c.domain === targetOf(t, root.domain));
    parts.push({ text: t.text, cost: child ? child.totalLookups + 1 : 1 });
  }
  parts.sort((a, b) => b.cost - a.cost);
  const shown = parts.slice(0, 8).map((p) => `${p.text} ${p.cost}`);
  if (parts.length > 8) shown.push(`and ${parts.length - 8} more costing ${parts.slice(8).reduce((n, p) => n + p.cost, 0)}`);
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
      message: `${domain} publishes no SPF record, so receivers cannot tell which servers may send its mail. Gmail, Yahoo and Microsoft require SPF of bulk senders.`,
      fix: { name: domain, type: 'TXT', value: 'v=spf1 include:<your ESP\'s SPF domain> ~all', note: 'Use the include your ESP documents, for example include:amazonses.com (Amazon SES), include:sendgrid.net, include:servers.mcsv.net (Mailchimp), include:mailgun.org, include:spf.mtasv.net (Postmark).' },
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
      message: `${domain} publishes ${root.records!.length} SPF records. RFC 7208 makes that a permanent error: receivers treat the domain as having a broken SPF policy.`,
      fix: { name: domain, type: 'TXT', value: merged, note: 'Publish this one merged record and delete the others.' },
    });
    return report;
  }

  const all = root.terms.find((t) => t.kind === 'all');
  report.all = all ? all.qualifier ?? '+' : null;
  const hasRedirect = root.terms.some((t) => t.kind === 'redirect');

  const notFollowed: string[] = [];
  for (const node of nodesOf(root)) {
    const where = node === root ? `the SPF record of ${domain}` : `the SPF record of ${node.domain} (reached by ${node.via})`;
    for (const t of node.terms) {
      if (!t.error) continue;
      permerror();
      add({
        id: 'spf-syntax',
        severity: 'error',
        name: node.domain,
        message: `${where}: "${t.text}" at column ${t.start + 1}: ${t.error}. One bad term makes the whole record a permanent error.`,
        fix: node === root && node.status === 'syntax-error' ? { name: domain, type: 'TXT', value: rewrite(node.record!, node.terms, (x) => (x === t ? undefined : x.text)), note: `Correct or remove "${t.text}".` } : undefined,
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
          message: `SPF ${node.via} of ${node.domain} loops back to a record that is already being evaluated. Receivers give up with a permanent error.`,
          fix: { name: node.domain, type: 'TXT', note: `Remove the ${node.via} of ${node.domain} from the record that points back to it.` },
        });
        break;
      case 'missing':
        permerror();
        add({
          id: 'spf-include-missing',
          severity: 'error',
          name: node.domain,
          message: `SPF ${node.via} points at ${node.domain}, which has no SPF record (${node.dnsStatus === 'ok' ? 'it has TXT records, none of them v=spf1' : describeStatus(node.dnsStatus ?? 'nodata')}). That is a permanent error for every message.`,
          fix: node.via === 'include' ? { name: domain, type: 'TXT', value: root.record ? rewrite(root.record, root.terms, (x) => (x.kind === 'include' && targetOf(x, domain) === node.domain ? undefined : x.text)) : undefined, note: `Remove include:${node.domain} or correct the name your ESP gives.` } : undefined,
        });
        break;
      case 'multiple':
        permerror();
        add({ id: 'spf-multiple-records', severity: 'error', name: node.domain, message: `${node.domain} (reached by ${node.via}) publishes ${node.records!.length} SPF records, a permanent error for every message.`, fix: { name: node.domain, type: 'TXT', value: mergeRecords(node.records!), note: `${node.domain} must publish one record; if it is your ESP's, tell them.` } });
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
      add({ id: 'spf-all-permissive', severity: 'error', name: node.domain, message: `include:${node.domain} ends with "${childAll.text}", so the include passes mail from any server in the world, and so does your record.`, fix: { name: domain, type: 'TXT', note: `Remove include:${node.domain} unless its owner fixes it.` } });
    }
  }

  if (notFollowed.length) {
    add({ id: 'spf-not-evaluated', severity: 'info', name: domain, message: `Stopped following SPF includes after ${MAX_FOLLOWED} records: the tree is larger or deeper than any working record can be. ${notFollowed.length} include${notFollowed.length === 1 ? ' was' : 's were'} not read (${notFollowed.slice(0, 3).join(', ')}${notFollowed.length > 3 ? ', ...' : ''}); the counts are lower bounds.` });
  }

  if (root.totalLookups > SPF_LOOKUP_LIMIT) {
    permerror();
    add({
      id: 'spf-lookup-limit',
      severity: 'error',
      name: domain,
      message: `SPF for ${domain} needs ${root.totalLookups} DNS lookups; RFC 7208 allows ${SPF_LOOKUP_LIMIT}, and receivers return a permanent error past that. Cost by term: ${lookupBlame(root)}.`,
      fix: { name: domain, type: 'TXT', note: 'Remove includes of services that no longer send for you, replace a and mx with ip4:/ip6: ranges, or move a sender to its own subdomain (its MAIL FROM domain) with its own SPF record.' },
    });
  } else if (root.totalLookups >= SPF_LOOKUP_LIMIT - 1) {
    add({ id: 'spf-lookup-near-limit', severity: 'info', name: domain, message: `SPF for ${domain} needs ${root.totalLookups} of the ${SPF_LOOKUP_LIMIT} DNS lookups allowed (${lookupBlame(root)}); an ESP adding one include to its record would break it.` });
  }

  if (root.voidLookups > SPF_VOID_LIMIT) {
    permerror();
    const voidTerms = [...nodesOf(root)].flatMap((n) => n.terms.filter((t) => t.void).map((t) => (n === root ? t.text : `${t.text} (in ${n.domain})`)));
    const topVoid = root.terms.filter((t) => t.void);
    add({
      id: 'spf-void-lookup-limit',
      severity: 'error',
      name: domain,
      message: `SPF for ${domain} has ${root.voidLookups} lookups that find nothing (NXDOMAIN or no data): ${voidTerms.join(', ')}. More than ${SPF_VOID_LIMIT} is a permanent error at receivers that enforce RFC 7208 §4.6.4.`,
      fix: { name: domain, type: 'TXT', value: topVoid.length ? rewrite(root.record!, root.terms, (x) => (x.void ? undefined : x.text)) : undefined, note: 'Remove the terms that point at names with no records.' },
    });
  }

  if (report.all === '+') {
    add({ id: 'spf-all-permissive', severity: 'error', name: domain, message: `The SPF record of ${domain} ends with "${all!.text}": every server in the world may send as ${domain}.`, fix: { name: domain, type: 'TXT', value: rewrite(root.record!, root.terms, (x) => (x === all ? '~all' : x.text)) } });
  } else if (report.all === '?') {
    add({ id: 'spf-all-permissive', severity: 'warning', name: domain, message: `The SPF record of ${domain} ends with "?all" (neutral): receivers treat unlisted servers as if there were no SPF at all.`, fix: { name: domain, type: 'TXT', value: rewrite(root.record!, root.terms, (x) => (x === all ? '~all' : x.text)) } });
  } else if (!all && !hasRedirect && root.status === 'ok') {
    add({ id: 'spf-all-missing', severity: 'warning', name: domain, message: `The SPF record of ${domain} has no "all" and no redirect, so mail from unlisted servers ends neutral, as if there were no SPF.`, fix: { name: domain, type: 'TXT', value: `${root.record!.trim()} ~all` } });
  }
  if (all && hasRedirect) {
    add({ id: 'spf-redirect-ignored', severity: 'info', name: domain, message: `The SPF record of ${domain} has both "all" and redirect=; receivers ignore the redirect.`, fix: { name: domain, type: 'TXT', value: rewrite(root.record!, root.terms, (x) => (x.kind === 'redirect' ? undefined : x.text)) } });
  }
  const ptr = root.terms.find((t) => t.kind === 'ptr');
  if (ptr) {
    add({ id: 'spf-ptr', severity: 'warning', name: domain, message: `The SPF record of ${domain} uses "${ptr.text}", which RFC 7208 §5.5 says not to use: it is slow, unreliable, and some receivers skip it.`, fix: { name: domain, type: 'TXT', value: rewrite(root.record!, root.terms, (x) => (x.kind === 'ptr' ? undefined : x.text)), note: 'List the sending servers with ip4:/ip6: or a instead.' } });
  }
  if (root.record && Buffer.byteLength(root.record) > SPF_SIZE_WARNING) {
    add({ id: 'spf-record-size', severity: 'warning', name: domain, message: `The SPF record of ${domain} is ${Buffer.byteLength(root.record)} octets; over about ${SPF_SIZE_WARNING}, answers risk exceeding 512 bytes and need TCP, which some receivers do not retry.`, fix: { name: domain, type: 'TXT', note: 'Move ip4:/ip6: ranges into an include of a subdomain you control (e.g. include:_spf.' + domain + ').' } });
  }
  for (const t of root.terms) {
    if (t.value?.includes('%') && (t.kind === 'include' || t.kind === 'exists' || t.kind === 'redirect')) {
      add({ id: 'spf-macro', severity: 'info', name: domain, message: `"${t.text}" uses macros, which depend on the sending IP or address; its lookup is counted but what it points at was not checked.` });
    }
  }
  return report;
}
