// Deliverlint campaign files (`*.campaign.yaml`, `*.campaign.yml`, `*.campaign.json`): what a
// send will be, in one reviewed file. Read with the yaml package (JSON is YAML too) for node
// ranges; edits go through yaml's document model (comments kept) or jsonc-parser for JSON.

import type { Document, DocumentOptions, Node as YamlNode, Pair, ParseOptions, Scalar, SchemaOptions, YAMLMap, YAMLSeq } from 'yaml';
import { asEsp, asJurisdictions, ESP_PROBLEM, JURISDICTIONS_PROBLEM } from '../config';
import type { Category, TextEdit } from '../types';
import { jsonSet } from './json';
import { minimalEdit } from '../text';
import { addressOf } from './payload';
import { sendEditor, type Draft, type HeaderField, type Located, type SendEditor, type SendModel, type Span } from './send';

// yaml loads with the first campaign file, not with the language server (it was a twentieth of the
// server's start-up; docs/benchmarks.md).
let yamlModule: typeof import('yaml') | undefined;
const yaml = () => (yamlModule ??= require('yaml') as typeof import('yaml'));
const isMap = (node: unknown): node is YAMLMap => yaml().isMap(node);
const isScalar = (node: unknown): node is Scalar => yaml().isScalar(node);
const isSeq = (node: unknown): node is YAMLSeq => yaml().isSeq(node);
const parseDocument = (text: string, options?: ParseOptions & DocumentOptions & SchemaOptions): Document => yaml().parseDocument(text, options) as Document;

// Keep the file's own look when writing it back: no folding, flow collections as people write them.
const YAML_OUT = { lineWidth: 0, flowCollectionPadding: false } as const;

export const CAMPAIGN_FILE = /\.campaign\.(?:ya?ml|json)$/i;

export const CAMPAIGN_KEYS = [
  'name',
  'category',
  'esp',
  'from',
  'replyTo',
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
}

export type CampaignModel = SendModel & { campaign: CampaignExtras };

function span(node: YamlNode | null | undefined): Span | undefined {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

function scalar(doc: Document, path: string[]): Located<string> | undefined {
  const node = doc.getIn(path, true) as YamlNode | undefined;
  if (!node || !isScalar(node) || node.value === null || node.value === undefined) return undefined;
  const s = span(node)!;
  const v = node.value instanceof Date ? node.value.toISOString() : String(node.value);
  return { value: v, ...s };
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
  let doc: Document;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    model.problems.push({ start: 0, end: 0, message: `Cannot read the campaign file: ${err instanceof Error ? err.message : String(err)}` });
    return model;
  }
  for (const e of doc.errors) model.problems.push({ start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1), message: e.message.split('\n')[0]!, fatal: true });
  if (doc.errors.length) return model;
  const root = doc.contents;
  if (!root || !isMap(root)) {
    if (text.trim()) model.problems.push({ start: 0, end: Math.min(1, text.length), message: 'A campaign file must be a mapping of keys (category, from, template, consent ...).' });
    return model;
  }

  const keyOf = (p: Pair) => (isScalar(p.key) ? String(p.key.value) : '');
  for (const pair of root.items) {
    const k = keyOf(pair);
    if (!(CAMPAIGN_KEYS as readonly string[]).includes(k)) {
      const s = span(pair.key as YamlNode);
      if (s) model.problems.push({ ...s, message: `Unknown campaign key "${k}". Known keys: ${CAMPAIGN_KEYS.join(', ')}.` });
    }
  }

  const category = scalar(doc, ['category']);
  if (category) {
    if (category.value === 'marketing' || category.value === 'transactional') model.category = category as Located<Category>;
    else model.problems.push({ ...category, message: '"category" must be marketing or transactional.' });
  }
  const esp = scalar(doc, ['esp']);
  if (esp) {
    const known = asEsp(esp.value);
    if (known) model.esp = known;
    else model.problems.push({ ...esp, message: ESP_PROBLEM });
  }
  const from = scalar(doc, ['from']);
  if (from) {
    model.from = { ...from, value: addressOf(from.value) };
    model.anchor = from;
  }
  const replyTo = scalar(doc, ['replyTo']);
  if (replyTo) model.replyTo = { ...replyTo, value: addressOf(replyTo.value) };
  const mailFrom = scalar(doc, ['mailFrom']);
  if (mailFrom) model.mailFrom = { ...mailFrom, value: mailFrom.value.replace(/^.*@/, '').toLowerCase() };
  const dkimDomain = scalar(doc, ['dkim', 'domain']);
  const dkimSelector = scalar(doc, ['dkim', 'selector']);
  if (dkimDomain) model.dkim.push({ start: dkimDomain.start, end: dkimDomain.end, domain: { ...dkimDomain, value: dkimDomain.value.toLowerCase() }, selector: dkimSelector?.value });
  if (dkimSelector) model.campaign.dkimSelector = dkimSelector;
  for (const key of ['adkim', 'aspf'] as const) {
    const v = scalar(doc, ['dmarc', key]);
    if (v && (v.value === 'r' || v.value === 's')) model.campaign[key] = v.value;
    else if (v) model.problems.push({ ...v, message: `"dmarc.${key}" must be r (relaxed) or s (strict).` });
  }
  const sendAt = scalar(doc, ['sendAt']);
  if (sendAt) {
    if (Number.isNaN(Date.parse(sendAt.value))) model.problems.push({ ...sendAt, message: '"sendAt" must be a date (2026-12-01 or 2026-12-01T09:00:00+09:00).' });
    else model.campaign.sendAt = sendAt;
  }
  const lm = doc.getIn(['listManagement'], true) as YamlNode | undefined;
  if (lm && isScalar(lm) && typeof lm.value === 'boolean') model.campaign.listManagement = { value: lm.value, ...span(lm)! };
  const configurationSet = scalar(doc, ['configurationSet']);
  model.template = scalar(doc, ['template']);

  const jur = doc.getIn(['jurisdictions'], true) as YamlNode | undefined;
  if (jur) {
    const s = span(jur)!;
    const list = isSeq(jur) ? asJurisdictions(jur.items.map((i) => (isScalar(i) ? String(i.value) : ''))) : undefined;
    if (!list) model.problems.push({ ...s, message: JURISDICTIONS_PROBLEM });
    else model.jurisdictions = { value: list, ...s };
  }

  const headers = doc.getIn(['headers'], true) as YamlNode | undefined;
  if (headers && isMap(headers)) {
    model.headers = headers.items.flatMap((p): HeaderField[] => {
      const ks = span(p.key as YamlNode);
      const vnode = p.value as YamlNode | null;
      const vs = span(vnode) ?? ks;
      if (!ks || !vs) return [];
      const value = vnode && isScalar(vnode) ? String(vnode.value ?? '') : '';
      return [{ name: keyOf(p), value, start: ks.start, end: vs.end, valueStart: vs.start, valueEnd: vs.end }];
    });
  } else if (headers) {
    model.problems.push({ ...span(headers)!, message: '"headers" must map header names to values.' });
  }

  const consent = doc.getIn(['consent'], true) as YamlNode | undefined;
  if (consent && isMap(consent)) {
    const fields: Record<string, Located<string>> = {};
    for (const p of consent.items) {
      const k = keyOf(p);
      const v = p.value as YamlNode | null;
      if (!(CONSENT_FIELDS as readonly string[]).includes(k)) {
        const s = span(p.key as YamlNode);
        if (s) model.problems.push({ ...s, message: `Unknown consent field "${k}". Known fields: ${CONSENT_FIELDS.join(', ')}.` });
        continue;
      }
      if (v && isScalar(v) && v.value !== null && v.value !== '') {
        fields[k] = { value: v.value instanceof Date ? v.value.toISOString() : String(v.value), ...span(v)! };
      }
    }
    const keyNode = root.items.find((p) => keyOf(p) === 'consent')?.key as YamlNode | undefined;
    const at = keyNode ? span(keyNode)! : (span(consent.range ? consent : null) ?? model.anchor);
    model.consent = { at, fields, source: 'campaign' };
  }

  // Edits: JSON files through jsonc-parser, YAML through the document model (comments kept).
  const setIn = (path: ReadonlyArray<string | number>, value: unknown): TextEdit => {
    if (isJson) return jsonSet(text, [...path], value);
    const copy = parseDocument(text);
    copy.setIn(path, value);
    return minimalEdit(text, copy.toString(YAML_OUT));
  };
  const insertHeaders: SendEditor['insertHeaders'] = (fields) => {
    if (isJson) {
      const existing = Object.fromEntries(model.headers.map((h) => [h.name, h.value]));
      return jsonSet(text, ['headers'], { ...existing, ...Object.fromEntries(fields) });
    }
    const copy = parseDocument(text);
    for (const [name, value] of fields) copy.setIn(['headers', name], value);
    return minimalEdit(text, copy.toString(YAML_OUT));
  };
  const insertConsent: SendEditor['insertConsent'] = (fields) => {
    if (isJson) {
      const existing = Object.fromEntries(Object.entries(model.consent?.fields ?? {}).map(([k, v]) => [k, v.value]));
      return jsonSet(text, ['consent'], { ...existing, ...fields });
    }
    const copy = parseDocument(text);
    for (const [k, v] of Object.entries(fields)) copy.setIn(['consent', k], v);
    return minimalEdit(text, copy.toString(YAML_OUT));
  };
  model.edits = sendEditor({ setValue: (path, value) => setIn(path, value), insertHeaders, insertConsent });
  if (configurationSet || model.esp === 'ses') {
    model.ses = { bulk: false, configurationSet, listManagement: model.campaign.listManagement?.value ? model.campaign.listManagement : undefined };
  }
  return model;
}
