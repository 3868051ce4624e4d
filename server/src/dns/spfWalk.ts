// The SPF DNS walk: the record at a domain, and every include and redirect followed (in parallel,
// within bounds) into a tree of records with their lookup and void-lookup counts. The walk notes
// what DNS said on each term (void, too many MX names); judging the tree is spf.ts's part.

import { joinTxt } from './domain';
import { isFailure, isVoid, type DnsSession } from './resolver';
import { isSpfRecord, parseSpf, settleLookups, targetOf } from './spfRecord';
import type { SpfNode } from './types';

/** Includes and redirects followed in one run; past the limit a hostile tree is not walked further. */
export const MAX_FOLLOWED = 40;
const MAX_DEPTH = 12;
const MX_NAME_LIMIT = 10;

interface Context {
  dns: DnsSession;
  followed: number;
}

function emptyNode(domain: string, via: SpfNode['via'], status: SpfNode['status']): SpfNode {
  return { domain, via, status, terms: [], lookups: 0, totalLookups: 0, voidLookups: 0, children: [] };
}

/** The SPF tree of `domain`: its record, and below it each record an include or redirect reaches. */
export function walkSpf(domain: string, dns: DnsSession): Promise<SpfNode> {
  return evaluate({ dns, followed: 0 }, domain, 'root', []);
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
  const terms = parseSpf(record, ctx.dns.locale);
  const node: SpfNode = { ...emptyNode(domain, via, 'ok'), record, terms };
  if (terms.some((t) => t.error)) node.status = 'syntax-error';
  node.lookups = settleLookups(terms);
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
