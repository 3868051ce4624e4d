// What the infrastructure rules share: SES event type names in both spellings, the domain of an
// identity, the Route 53 zone a name falls in, the records at a name.

import { dnsName, type DnsRecord, type EmailIdentity, type InfraModel } from '../../core/infra/model';
import { str, type INode } from '../../core/parse/infra/tree';

/** SES event types, upper case (API v2, Terraform, CloudFormation since 2025). */
export const EVENT_TYPES = ['SEND', 'REJECT', 'BOUNCE', 'COMPLAINT', 'DELIVERY', 'OPEN', 'CLICK', 'RENDERING_FAILURE', 'DELIVERY_DELAY', 'SUBSCRIPTION'] as const;

/** `renderingFailure` (CloudFormation's historical spelling) and `RENDERING_FAILURE` are one type; undefined for no type. */
export function eventType(s: string): string | undefined {
  const upper = s.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return (EVENT_TYPES as readonly string[]).includes(upper) ? upper : undefined;
}

/** The event types of a MatchingEventTypes list; 'unknown' when the list or one of its items is computed. */
export function eventTypesOf(node: INode | undefined): Set<string> | 'unknown' | undefined {
  if (!node) return undefined;
  if (node.t !== 'list') return 'unknown';
  const out = new Set<string>();
  for (const item of node.items) {
    const s = str(item);
    if (s === undefined) return 'unknown';
    const t = eventType(s);
    if (t) out.add(t);
  }
  return out;
}

/** The types a list lacks of BOUNCE and COMPLAINT, written the way the list writes its items (`bounce` or `BOUNCE`). */
export function missingFeedbackTypes(node: INode | undefined): string[] {
  const types = eventTypesOf(node);
  if (types === 'unknown') return [];
  const missing = ['BOUNCE', 'COMPLAINT'].filter((t) => !types?.has(t));
  const lower = node?.t === 'list' && node.items.length > 0 && node.items.every((i) => /^[a-z]/.test(str(i) ?? ''));
  return lower ? missing.map((t) => t.toLowerCase()) : missing;
}

/** The domain an identity is for (`example.com`, or the domain of `news@example.com`), when it is written literally. */
export function identityDomain(id: EmailIdentity): string | undefined {
  const s = str(id.identity);
  if (!s) return undefined;
  const at = s.lastIndexOf('@');
  return dnsName(at === -1 ? s : s.slice(at + 1));
}

const zoneCache = new WeakMap<InfraModel, string[]>();
const recordCache = new WeakMap<InfraModel, Map<string, DnsRecord[]>>();

/** The names of the zones the file defines: hosted zones, and the zones records name. */
export function zoneNames(model: InfraModel): string[] {
  let names = zoneCache.get(model);
  if (!names) zoneCache.set(model, (names = collectZoneNames(model)));
  return names;
}

function collectZoneNames(model: InfraModel): string[] {
  const names = new Set<string>();
  for (const z of model.module ? model.zones.concat(model.module.zones) : model.zones) {
    const n = str(z.name);
    if (n) names.add(dnsName(n));
  }
  for (const r of allRecords(model)) {
    const n = str(r.zoneName);
    if (n) names.add(dnsName(n));
  }
  return [...names];
}

/** The records of the file, and of the other files of its Terraform module. */
function allRecords(model: InfraModel): DnsRecord[] {
  return model.module ? model.records.concat(model.module.records) : model.records;
}

/** The zone of the file that `name` falls in (the longest), or undefined: a look-up per label of the name. */
export function zoneOf(model: InfraModel, name: string): string | undefined {
  const zones = new Set(zoneNames(model));
  for (let d = name; d; d = d.includes('.') ? d.slice(d.indexOf('.') + 1) : '') if (zones.has(d)) return d;
  return undefined;
}

/** Records of `type` at `name` (names compared as DNS names), from an index built once per file. */
export function recordsAt(model: InfraModel, name: string, type: string): DnsRecord[] {
  let index = recordCache.get(model);
  if (!index) {
    index = new Map();
    for (const r of allRecords(model)) {
      const n = str(r.name);
      const t = str(r.type);
      if (n === undefined || t === undefined) continue;
      const key = `${dnsName(n)} ${t.toUpperCase()}`;
      const list = index.get(key);
      if (list) list.push(r);
      else index.set(key, [r]);
    }
    recordCache.set(model, index);
  }
  return index.get(`${name} ${type}`) ?? [];
}

/** The literal values of a record (`ResourceRecords`), or 'unknown'. TXT values lose their quotes. */
export function recordValues(r: DnsRecord): string[] | 'unknown' {
  if (!r.values) return [];
  if (r.values.t !== 'list') return 'unknown';
  const out: string[] = [];
  for (const v of r.values.items) {
    const s = str(v);
    if (s === undefined) return 'unknown';
    out.push(s.replace(/^"|"$/g, '').replace(/"\s*"/g, ''));
  }
  return out;
}
