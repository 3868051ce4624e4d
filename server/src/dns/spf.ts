// SPF (RFC 7208): the record at the domain, parsed into terms with their offsets, and every include
// and redirect followed so the DNS-lookup count (§4.6.4) can be blamed on the include that costs it.
// Without a sender IP nothing is "evaluated" in the pass/fail sense: the check finds what makes
// receivers return permerror or temperror for every sender, and what lets anyone pass.

import { isIPv4, isIPv6 } from 'node:net';
import { isHostName, joinTxt } from './domain';
import { describeStatus, isFailure, isVoid, type DnsSession } from './resolver';
import type { DomainFinding, SpfNode, SpfReport, SpfTerm } from './types';

export const SPF_LOOKUP_LIMIT = 10;
export const SPF_VOID_LIMIT = 2;
/** Records longer than this risk a truncated UDP answer once other TXT records share the name. */
export const SPF_SIZE_WARNING = 450;
/** Includes and redirects followed in one run; past the limit a hostile tree is not walked further. */
const MAX_FOLLOWED = 40;
const MAX_DEPTH = 12;
const MX_NAME_LIMIT = 10;

export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?: |$)/i.test(text);
}

/** RFC 7208 §7.1 macro-string: every `%` starts `%%`, `%_`, `%-` or `%{letter digits r delimiters}`. */
function macroError(spec: string): string | undefined {
  const rest = spec.replace(/%(?:[%_-]|\{[slodiphcrtv]\d*r?[.\-+,/_=]*\})/gi, '');
  return rest.includes('%') ? `bad macro in "${spec}"` : undefined;
}

function domainSpecError(spec: string): string | undefined {
  if (!spec) return 'a domain is required';
  if (spec.includes('%')) return macroError(spec);
  return isHostName(spec.replace(/\.$/, '').toLowerCase()) ? undefined : `"${spec}" is not a domain name`;
}

function ip4Error(value: string): string | undefined {
  const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(value);
  if (!m || !isIPv4(m[1]!)) return `"${value}" is not an IPv4 address or network`;
  if (m[2] !== undefined && Number(m[2]) > 32) return `the prefix length of "${value}" is over 32`;
  return undefined;
}

function ip6Error(value: string): string | undefined {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(value);
  if (!m || !isIPv6(m[1]!)) return `"${value}" is not an IPv6 address or network`;
  if (m[2] !== undefined && Number(m[2]) > 128) return `the prefix length of "${value}" is over 128`;
  return undefined;
}

/** Parses the terms after `v=spf1`, with their offsets in the record. */
export function parseSpf(record: string): SpfTerm[] {
  const terms: SpfTerm[] = [];
  const body = /^v=spf1/i.exec(record) ? 6 : 0;
  const re = /\S+/g;
  re.lastIndex = body;
  let m: RegExpExecArray | null;
  let redirects = 0;
  let exps = 0;
  while ((m = re.exec(record))) {
    const text = m[0];
    const term: SpfTerm = { text, start: m.index, kind: '', lookups: 0 };
    terms.push(term);
    const head = /^([+\-~?])?([a-z][a-z0-9_.-]*)/i.exec(text);
    if (!head) {
      term.kind = 'unknown';
      term.error = `"${text}" is not an SPF mechanism or modifier`;
      continue;
    }
    const name = head[2]!.toLowerCase();
    const rest = text.slice(head[0].length);
    if (rest.startsWith('=') && !head[1]) {
      term.kind = name;
      term.value = rest.slice(1);
      if (name === 'redirect' || name === 'exp') {
        if (name === 'redirect' && ++redirects > 1) term.error = 'redirect= may appear only once';
        if (name === 'exp' && ++exps > 1) term.error = 'exp= may appear only once';
        term.error ??= domainSpecError(term.value);
        if (name === 'redirect') term.lookups = 1;
      } else {
        // Unknown modifiers are allowed and ignored (§6), but their value must be a macro-string.
        term.error = macroError(term.value);
      }
      continue;
    }
    term.kind = name;
    term.qualifier = (head[1] as SpfTerm['qualifier']) ?? undefined;
    const colonValue = rest.startsWith(':') ? rest.slice(1) : undefined;
    switch (name) {
      case 'all':
        if (rest) term.error = '"all" takes no value';
        break;
      case 'include':
      case 'exists':
        term.lookups = 1;
        if (colonValue === undefined) term.error = `"${name}" needs a domain: ${name}:example.com`;
        else {
          term.value = colonValue;
          term.error = domainSpecError(colonValue);
        }
        break;
      case 'a':
      case 'mx': {
        term.lookups = 1;
        const dm = /^(?::([^/]*))?((?:\/\d{1,2})?(?:\/\/\d{1,3})?)$/.exec(rest);
        if (!dm) {
          term.error = `"${text}" is not ${name}, ${name}:domain or ${name}/prefix`;
          break;
        }
        if (dm[1] !== undefined) {
          term.value = dm[1];
          term.error = domainSpecError(dm[1]);
        }
        const v4 = /^\/(\d+)/.exec(dm[2]!);
        const v6 = /\/\/(\d+)$/.exec(dm[2]!);
        if (v4 && !dm[2]!.startsWith('//') && Number(v4[1]) > 32) term.error ??= 'an IPv4 prefix length is at most 32';
        if (v6 && Number(v6[1]) > 128) term.error ??= 'an IPv6 prefix length is at most 128';
        break;
      }
      case 'ptr':
        term.lookups = 1;
        if (colonValue !== undefined) {
          term.value = colonValue;
          term.error = domainSpecError(colonValue);
        } else if (rest) term.error = `"${text}" is not ptr or ptr:domain`;
        break;
      case 'ip4':
      case 'ip6':
        if (colonValue === undefined) term.error = `"${name}" needs an address: ${name === 'ip4' ? 'ip4:192.0.2.0/24' : 'ip6:2001:db8::/32'}`;
        else {
          term.value = colonValue;
          term.error = name === 'ip4' ? ip4Error(colonValue) : ip6Error(colonValue);
        }
        break;
      default:
        term.kind = 'unknown';
        term.error = `unknown mechanism "${name}"`;
    }
  }
  return terms;
}

interface Context {
  dns: DnsSession;
  followed: number;
}

function emptyNode(domain: string, via: SpfNode['via'], status: SpfNode['status']): SpfNode {
  return { domain, via, status, terms: [], lookups: 0, totalLookups: 0, voidLookups: 0, children: [] };
}

function targetOf(term: SpfTerm, domain: string): string {
  return (term.value || domain).replace(/\.$/, '').toLowerCase();
}

async function evaluate(ctx: Context, domain: string, via: SpfNode['via'], path: string[]): Promise<SpfNode> {
  if (path.includes(domain)) return emptyNode(domain, via, 'loop');
  if (path.length > MAX_DEPTH || ctx.followed >= MAX_FOLLOWED) return emptyNode(domain, via, 'not-followed');
  ctx.followed++;
  const answer = await ctx.dns.txt(domain);
  if (isFailure(answer.status)) return { ...emptyNode(domain, via, 'dns-failure'), dnsStatus: answer.status };
  const records = answer.data.map(joinTxt).filter(isSpfRecord);
  if (records.length === 0) return { ...emptyNode(domain, via, 'missing'), dnsStatus: answer.status };
  if (records.length > 1) return { ...emptyNode(domain, via, 'multiple'), records };

  const record = records[0]!;
  const terms = parseSpf(record);
  const node: SpfNode = { ...emptyNode(domain, via, 'ok'), record, terms };
  if (terms.some((t) => t.error)) node.status = 'syntax-error';
  const hasAll = terms.some((t) => t.kind === 'all');
  // redirect is ignored when the record has "all" (§6.1), so it costs nothing then.
  for (const t of terms) if (t.kind === 'redirect' && hasAll) t.lookups = 0;
  node.lookups = terms.reduce((n, t) => n + t.lookups, 0);
  if (node.status === 'syntax-error') {
    node.totalLookups = node.lookups;
    return node;
  }

  const childPath = [...path, domain];
  const children: Array<Promise<SpfNode> | undefined> = [];
  await Promise.all(
    terms.map(async (term, i) => {
      if (!term.lookups) return;
      const target = targetOf(term, domain);
      if (term.value?.includes('%')) return; // macros need the sender's IP
      switch (term.kind) {
        case 'include':
        case 'redirect': {
          const child = evaluate(ctx, target, term.kind, childPath);
          children[i] = child;
          const c = await child;
          if (c.status === 'missing' && c.dnsStatus && isVoid(c.dnsStatus)) term.void = true;
          break;
        }
        case 'a': {
          const [a, aaaa] = await Promise.all([ctx.dns.a(target), ctx.dns.aaaa(target)]);
          if (isVoid(a.status) && isVoid(aaaa.status)) term.void = true;
          break;
        }
        case 'mx': {
          const mx = await ctx.dns.mx(target);
          if (isVoid(mx.status)) term.void = true;
          else if (mx.data.length > MX_NAME_LIMIT) term.error = `${target} has ${mx.data.length} MX names; SPF allows ${MX_NAME_LIMIT}`;
          break;
        }
        case 'exists': {
          const a = await ctx.dns.a(target);
          if (isVoid(a.status)) term.void = true;
          break;
        }
        default:
          break; // ptr: needs the sender's IP
      }
    }),
  );
  node.children = (await Promise.all(children.filter((c): c is Promise<SpfNode> => !!c))) as SpfNode[];
  node.totalLookups = node.lookups + node.children.reduce((n, c) => n + c.totalLookups, 0);
  node.voidLookups = terms.filter((t) => t.void).length + node.children.reduce((n, c) => n + c.voidLookups, 0);
  return node;
}

function* walk(node: SpfNode): Generator<SpfNode> {
  yield node;
  for (const c of node.children) yield* walk(c);
}

/** The record with some terms replaced (undefined drops the term), spacing normalised. */
function rewrite(record: string, terms: SpfTerm[], change: (t: SpfTerm) => string | undefined): string {
  return ['v=spf1', ...terms.map(change).filter((t): t is string => !!t)].join(' ');
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
  const ctx: Context = { dns, followed: 0 };
  const root = await evaluate(ctx, domain, 'root', []);
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
    report.result = 'temperror';
    add({ id: 'dns-failure', severity: 'error', name: domain, message: `SPF could not be checked: the TXT query for ${domain} got no usable answer (${describeStatus(root.dnsStatus!)}). This says nothing about whether a record exists.` });
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
  for (const node of walk(root)) {
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
        if (report.result === 'ok') report.result = 'temperror';
        add({ id: 'dns-failure', severity: 'error', name: node.domain, message: `SPF ${node.via} ${node.domain} could not be read: ${describeStatus(node.dnsStatus!)}. Receivers would return a temporary error; the lookup counts below miss what it includes.` });
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
    const voidTerms = [...walk(root)].flatMap((n) => n.terms.filter((t) => t.void).map((t) => (n === root ? t.text : `${t.text} (in ${n.domain})`)));
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

/** One record from several: every term once, then the strictest `all` any of them had (at least ~all). */
function mergeRecords(records: string[]): string {
  const seen = new Set<string>();
  const terms: string[] = [];
  let strictest = '~all';
  for (const r of records) {
    for (const t of parseSpf(r)) {
      if (t.kind === 'all') {
        if (t.qualifier === '-') strictest = '-all';
        continue;
      }
      const key = t.text.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      terms.push(t.text);
    }
  }
  return ['v=spf1', ...terms, strictest].join(' ');
}
