// Deliverlint campaign files (`*.campaign.yaml`, `*.campaign.yml`, `*.campaign.json`): what a
// send will be, in one reviewed file. Read with the yaml package (JSON is YAML too) for node
// ranges. Fixes insert or replace text at one place: jsonc-parser's tree for a file that is JSON,
// the YAML document's source ranges otherwise (yamlEdit.ts), so nothing else in the file changes.

import type { Document, DocumentOptions, Node as YamlNode, Pair, ParseOptions, Scalar, SchemaOptions, YAMLMap, YAMLSeq } from 'yaml';
import { parseTree, type ParseError } from 'jsonc-parser';
import { asEsp, asJurisdictions, ESP_PROBLEM, JURISDICTIONS_PROBLEM } from '../config';
import type { Category } from '../types';
import { jsonAddProperties, jsonSet, jsonTooDeep, MAX_JSON_DEPTH, withoutBom } from './json';
import { addressOf } from './payload';
import { sendEditor, type Draft, type HeaderField, type Located, type SendEditor, type SendModel, type SendProblem, type Span, type ValueType } from './send';
import { yamlEditor, type YamlTree } from './yamlEdit';

// yaml loads with the first campaign file, not with the language server (it was a twentieth of the
// server's start-up; docs/benchmarks.md).
let yamlModule: typeof import('yaml') | undefined;
const yaml = () => (yamlModule ??= require('yaml') as typeof import('yaml'));
const isMap = (node: unknown): node is YAMLMap => yaml().isMap(node);
const isScalar = (node: unknown): node is Scalar => yaml().isScalar(node);
const isSeq = (node: unknown): node is YAMLSeq => yaml().isSeq(node);
const parseDocument = (text: string, options?: ParseOptions & DocumentOptions & SchemaOptions): Document => yaml().parseDocument(text, options) as Document;

export const CAMPAIGN_FILE = /\.campaign\.(?:ya?ml|json)$/i;

export const CAMPAIGN_KEYS = [
  'name',
  'category',
  'esp',
  'from',
  'replyTo',
  'subject',
  'mailFrom',
  'dkim',
  'dmarc',
  'headers',
  'template',
  'consent',
  'jurisdictions',
  'configurationSet',
  'listManagement',
  'sendAt',
] as const;

export const CONSENT_FIELDS = ['basis', 'source', 'collectedAt', 'method', 'proofRef', 'expiresAt', 'withdrawnAt', 'impliedBy'] as const;

export interface CampaignExtras {
  readonly dkimSelector?: Located<string>;
  /** DMARC alignment declared for the From domain: `dmarc: { adkim: s, aspf: s }`. */
  readonly adkim?: 'r' | 's';
  readonly aspf?: 'r' | 's';
  readonly sendAt?: Located<string>;
  /** Whether the campaign asks the ESP to manage unsubscribes (SES list management, SendGrid ASM). */
  readonly listManagement?: Located<boolean>;
  /** The subject line, as written (merge tags and all); title-missing offers it as the template's <title>. */
  readonly subject?: Located<string>;
}

export type CampaignModel = SendModel & { campaign: CampaignExtras };

function span(node: YamlNode | null | undefined): Span | undefined {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

/**
 * Whether a campaign file is JSON (edited as JSON) or YAML: JSON when the text parses as JSON,
 * whatever its name, since JSON is YAML too. A flow-style YAML campaign
 * (`{category: marketing, from: ...}`) looks like JSON but is not, and is edited as YAML.
 */
export function campaignIsJson(text: string): boolean {
  if (!/^\s*\{/.test(text) || jsonTooDeep(text) !== undefined) return false;
  const errors: ParseError[] = [];
  const root = parseTree(withoutBom(text), errors, { allowTrailingComma: true });
  return !errors.length && root?.type === 'object';
}

/** The map pairs of `map` by key (the first of each; a second is a duplicate-key problem). */
function pairsByKey(map: YAMLMap): Map<string, Pair> {
  const out = new Map<string, Pair>();
  for (const p of map.items) {
    const k = isScalar(p.key) ? String(p.key.value) : '';
    if (!out.has(k)) out.set(k, p);
  }
  return out;
}

/**
 * Keys written twice in any map of the document, in one pass with a set per map. (yaml's own
 * check compares each key with all the keys before it: 10,000 keys took seconds.) Iterative, so a
 * deeply nested document cannot overflow the stack here.
 */
function duplicateKeys(doc: Document): SendProblem[] {
  const problems: SendProblem[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const p of node.items) {
        if (isScalar(p.key)) {
          if (seen.has(p.key.value)) {
            const s = span(p.key as YamlNode);
            if (s) problems.push({ ...s, message: `The key "${String(p.key.value)}" is written twice in this map.`, fatal: true, duplicateKey: { key: String(p.key.value) } });
          } else seen.add(p.key.value);
        } else stack.push(p.key);
        stack.push(p.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return problems.sort((a, b) => a.start - b.start);
}

/** What a YAML node holds, in the words the messages use. */
function typeOf(node: unknown): ValueType {
  if (isMap(node)) return 'map';
  if (isSeq(node)) return 'list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number' || typeof v === 'bigint') return 'number';
    if (typeof v === 'boolean') return 'boolean';
    return 'text';
  }
  return 'null';
}

export function parseCampaign(text: string, isJson: boolean): CampaignModel {
  const model: Draft<SendModel> & { campaign: Draft<CampaignExtras> } = {
    kind: 'campaign',
    text,
    anchor: { start: 0, end: Math.min(text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'), text.length) },
    dkim: [],
    headers: [],
    bodies: [],
    problems: [],
    edits: sendEditor(),
    campaign: {},
  };
  const tooDeep = (at: number): SendProblem => ({ start: at, end: Math.min(at + 1, text.length), message: `Collections are nested more than ${MAX_JSON_DEPTH} deep here; the file was not read further.`, fatal: true, tooDeep: { max: MAX_JSON_DEPTH } });
  // yaml composes nested collections recursively: refuse what no campaign needs before it does.
  const deep = jsonTooDeep(text);
  if (deep !== undefined) {
    model.problems.push(tooDeep(deep));
    return model;
  }
  let doc: Document;
  try {
    // Duplicate keys are found below in linear time; yaml's check is quadratic.
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  } catch (err) {
    model.problems.push(err instanceof RangeError ? tooDeep(0) : { start: 0, end: 0, message: `Cannot read the campaign file: ${err instanceof Error ? err.message : String(err)}`, fatal: true });
    return model;
  }
  for (const e of doc.errors) model.problems.push({ start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1), message: e.message.split('\n')[0]!, fatal: true });
  if (doc.errors.length) return model;
  // One push per problem: spreading 200,000 of them as arguments would overflow the stack.
  for (const p of duplicateKeys(doc)) model.problems.push(p);
  if (model.problems.length) return model;
  const root = doc.contents;
  if (!root || !isMap(root)) {
    if (text.trim() && root) model.problems.push({ start: 0, end: Math.min(1, text.length), message: 'A campaign file must be a mapping of keys (category, from, template, consent ...).' });
    // An empty file (comments at most) can still be given keys.
    if (!root && !isJson) setEditor(model, text, doc, false);
    return model;
  }

  const resolve = (node: unknown): unknown => (yaml().isAlias(node) ? node.resolve(doc) : node);
  const wrong = (at: unknown, key: string, expected: ValueType): undefined => {
    const s = span(at as YamlNode) ?? model.anchor;
    const actual = typeOf(resolve(at));
    model.problems.push({ ...s, message: `"${key}" must be ${expected}, not ${actual}.`, wrongType: { key, expected, actual } });
    return undefined;
  };
  /** The map at `node` (an alias to one is read through), or undefined with a problem when it is something else. */
  const mapAt = (node: unknown, key: string): YAMLMap | undefined => {
    const r = resolve(node);
    if (isMap(r)) return r;
    if (typeOf(r) === 'null') return undefined;
    return wrong(node, key, 'map');
  };
  /** The text at `node`, or undefined with a problem when it is a number, a map ... An empty value is absent. */
  const textAt = (node: unknown, key: string): Located<string> | undefined => {
    const r = resolve(node);
    if (isScalar(r) && (typeof r.value === 'string' || r.value instanceof Date)) {
      const s = span(r as YamlNode);
      if (!s) return undefined;
      return { value: r.value instanceof Date ? r.value.toISOString() : r.value, ...s };
    }
    if (typeOf(r) === 'null') return undefined;
    return wrong(node, key, 'text');
  };

  const top = pairsByKey(root);
  for (const pair of root.items) {
    const k = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!(CAMPAIGN_KEYS as readonly string[]).includes(k)) {
      const s = span(pair.key as YamlNode);
      if (s) model.problems.push({ ...s, message: `Unknown campaign key "${k}". Known keys: ${CAMPAIGN_KEYS.join(', ')}.` });
    }
  }
  const value = (key: string) => top.get(key)?.value;
  const textOf = (key: string) => textAt(value(key), key);
  const childText = (map: YAMLMap | undefined, parent: string, key: string) => (map ? textAt(map.items.find((p) => isScalar(p.key) && String(p.key.value) === key)?.value, `${parent}.${key}`) : undefined);

  const category = textOf('category');
  if (category) {
    if (category.value === 'marketing' || category.value === 'transactional') model.category = category as Located<Category>;
    else model.problems.push({ ...category, message: '"category" must be marketing or transactional.' });
  }
  const esp = textOf('esp');
  if (esp) {
    const known = asEsp(esp.value);
    if (known) model.esp = known;
    else model.problems.push({ ...esp, message: ESP_PROBLEM });
  }
  textOf('name');
  const subject = textOf('subject');
  if (subject) model.campaign.subject = subject;
  const from = textOf('from');
  if (from) {
    model.from = { ...from, value: addressOf(from.value) };
    model.anchor = from;
  }
  const replyTo = textOf('replyTo');
  if (replyTo) model.replyTo = { ...replyTo, value: addressOf(replyTo.value) };
  const mailFrom = textOf('mailFrom');
  if (mailFrom) model.mailFrom = { ...mailFrom, value: mailFrom.value.replace(/^.*@/, '').toLowerCase() };
  const dkim = mapAt(value('dkim'), 'dkim');
  const dkimDomain = childText(dkim, 'dkim', 'domain');
  const dkimSelector = childText(dkim, 'dkim', 'selector');
  if (dkimDomain) model.dkim.push({ start: dkimDomain.start, end: dkimDomain.end, domain: { ...dkimDomain, value: dkimDomain.value.toLowerCase() }, selector: dkimSelector?.value });
  if (dkimSelector) model.campaign.dkimSelector = dkimSelector;
  const dmarc = mapAt(value('dmarc'), 'dmarc');
  for (const key of ['adkim', 'aspf'] as const) {
    const v = childText(dmarc, 'dmarc', key);
    if (v && (v.value === 'r' || v.value === 's')) model.campaign[key] = v.value;
    else if (v) model.problems.push({ ...v, message: `"dmarc.${key}" must be r (relaxed) or s (strict).` });
  }
  const sendAt = textOf('sendAt');
  if (sendAt) {
    if (Number.isNaN(Date.parse(sendAt.value))) model.problems.push({ ...sendAt, message: '"sendAt" must be a date (2026-12-01 or 2026-12-01T09:00:00+09:00).' });
    else model.campaign.sendAt = sendAt;
  }
  const lm = value('listManagement');
  const lmResolved = resolve(lm);
  if (isScalar(lmResolved) && typeof lmResolved.value === 'boolean') model.campaign.listManagement = { value: lmResolved.value, ...span(lmResolved as YamlNode)! };
  else if (typeOf(lmResolved) !== 'null') wrong(lm, 'listManagement', 'boolean');
  const configurationSet = textOf('configurationSet');
  model.template = textOf('template');

  const jur = value('jurisdictions');
  if (typeOf(resolve(jur)) !== 'null') {
    const node = resolve(jur);
    const s = span(jur as YamlNode) ?? model.anchor;
    const list = isSeq(node) ? asJurisdictions(node.items.map((i) => (isScalar(i) ? String(i.value) : ''))) : undefined;
    if (!list) model.problems.push({ ...s, message: JURISDICTIONS_PROBLEM });
    else model.jurisdictions = { value: list, ...s };
  }

  const headers = mapAt(value('headers'), 'headers');
  if (headers) {
    model.headers = headers.items.flatMap((p): HeaderField[] => {
      const ks = span(p.key as YamlNode);
      const name = isScalar(p.key) ? String(p.key.value) : '';
      // A number or true is written as text on the wire (`X-Priority: 1`); a map or a list cannot be.
      const r = resolve(p.value);
      const v = isScalar(r) && (typeof r.value === 'number' || typeof r.value === 'boolean') && span(r as YamlNode) ? { value: String(r.value), ...span(r as YamlNode)! } : textAt(p.value, `headers.${name}`);
      if (!ks) return [];
      const vs = v ?? span(p.value as YamlNode) ?? ks;
      return [{ name, value: v?.value ?? '', start: ks.start, end: vs.end, valueStart: vs.start, valueEnd: vs.end }];
    });
  }

  const consentNode = value('consent');
  const consent = mapAt(consentNode, 'consent');
  if (consent) {
    const fields: Record<string, Located<string>> = {};
    for (const p of consent.items) {
      const k = isScalar(p.key) ? String(p.key.value) : '';
      if (!(CONSENT_FIELDS as readonly string[]).includes(k)) {
        const s = span(p.key as YamlNode);
        if (s) model.problems.push({ ...s, message: `Unknown consent field "${k}". Known fields: ${CONSENT_FIELDS.join(', ')}.` });
        continue;
      }
      const v = textAt(p.value, `consent.${k}`);
      if (v && v.value !== '') fields[k] = v;
    }
    const keyNode = top.get('consent')?.key as YamlNode | undefined;
    const at = keyNode ? span(keyNode)! : (span(consent) ?? model.anchor);
    model.consent = { at, fields, source: 'campaign' };
  }

  // A container of the wrong type (`headers: 7`, an alias) gets no fix: writing into it would
  // replace what the user wrote, or change the anchored node too.
  const editable = (key: string) => {
    const v = value(key);
    return v === undefined || v === null || isMap(v) || (isScalar(v) && v.value === null);
  };
  const keysOf = (map: YAMLMap | undefined) => (map ? map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')) : []);
  setEditor(model, text, doc, isJson, { headers: editable('headers'), consent: editable('consent'), headerNames: keysOf(headers), consentNames: keysOf(consent) });
  if (configurationSet || model.esp === 'ses') {
    model.ses = { bulk: false, configurationSet, listManagement: model.campaign.listManagement?.value ? model.campaign.listManagement : undefined };
  }
  return model;
}

/** The fields whose names are not among `existing` (case-insensitive): fixes add what is missing and never write a key twice. */
function missing<T extends readonly [string, string]>(fields: ReadonlyArray<T>, existing: Iterable<string>): T[] {
  const have = new Set([...existing].map((n) => n.toLowerCase()));
  return fields.filter(([k]) => !have.has(k.toLowerCase()));
}

/** Edits in the file's own syntax: JSON through jsonc-parser's tree, YAML through the document's source ranges. */
function setEditor(
  model: Draft<SendModel>,
  text: string,
  doc: Document,
  isJson: boolean,
  editable: { headers: boolean; consent: boolean; headerNames: string[]; consentNames: string[] } = { headers: true, consent: true, headerNames: [], consentNames: [] },
): void {
  const yamlEdits = isJson ? undefined : yamlEditor(yaml(), text, doc);
  const addPairs = (path: string[], entries: Array<readonly [string, string]>) => {
    if (!entries.length) return undefined;
    return isJson ? jsonAddProperties(text, path, entries) : yamlEdits!.addPairs(path, entries as YamlTree);
  };
  const insertHeaders: SendEditor['insertHeaders'] = (fields) =>
    editable.headers ? addPairs(['headers'], missing(fields, editable.headerNames)) : undefined;
  const insertConsent: SendEditor['insertConsent'] = (fields) =>
    editable.consent ? addPairs(['consent'], missing(Object.entries(fields), editable.consentNames)) : undefined;
  const setValue: SendEditor['setValue'] = (path, value) => {
    if (path.some((p) => typeof p !== 'string')) return undefined;
    return isJson ? jsonSet(text, [...path], value) : yamlEdits!.setScalar(path as string[], value);
  };
  model.edits = sendEditor({ setValue, insertHeaders, insertConsent });
}
