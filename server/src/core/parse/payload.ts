// Amazon SES v2 (SendEmail, SendBulkEmail, CreateEmailTemplate) and SendGrid v3 mail-send
// payloads, read with jsonc-parser so every value keeps its place in the file.

import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { TextEdit } from '../types';
import { jsonAppend, jsonBody, jsonSet, nodeSpan, stringAt } from './json';
import { minimalEdit } from '../text';
import { PLACEHOLDERS } from '../placeholders';
import { sendEditor, type ConsentRecord, type Draft, type EmbeddedBody, type HeaderField, type Located, type SendEditor, type SendModel, type Span } from './send';

export type PayloadKind = 'ses' | 'sendgrid';

/** jsonc-parser may report one broken spot several times; once is enough. */
export function dedupe<T extends { start: number; message: string }>(problems: T[]): T[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(`${p.start}:${p.message}`) && !!seen.add(`${p.start}:${p.message}`));
}

/** Which payload a JSON text is, from its keys; undefined for JSON that is no send payload. */
export function detectPayload(text: string): PayloadKind | undefined {
  const head = text.slice(0, 200_000);
  if (!/^\s*\{/.test(head)) return undefined;
  if (/"(?:FromEmailAddress|TemplateContent|BulkEmailEntries|DefaultContent)"\s*:/.test(head) || /"Content"\s*:\s*\{\s*"(?:Simple|Template|Raw)"/.test(head)) return 'ses';
  if (/"personalizations"\s*:/.test(head)) return 'sendgrid';
  return undefined;
}

export interface PayloadOptions {
  /** Key prefix of consent entries in SES EmailTags / SendGrid custom_args. */
  consentPrefix: string;
}

function parseJson(text: string): { root?: Node; problems: Draft<SendModel>['problems'] } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  return {
    root: root?.type === 'object' ? root : undefined,
    problems: dedupe(errors.map((e) => ({ start: e.offset, end: e.offset + Math.max(1, e.length), message: `Invalid JSON: ${printParseErrorCode(e.error)}`, fatal: true }))),
  };
}

/** Edits every JSON payload can make, parsed or not. */
function jsonEdits(text: string): Partial<SendEditor> {
  return { setValue: (path, value) => jsonSet(text, [...path], value) };
}

function base(kind: PayloadKind, text: string, problems: Draft<SendModel>['problems']): Draft<SendModel> {
  return { kind, text, esp: kind, anchor: { start: 0, end: Math.min(1, text.length) }, dkim: [], headers: [], bodies: [], problems, edits: sendEditor(jsonEdits(text)) };
}

/** `{Name, Value}` entries of an SES Headers / EmailTags array. */
function nameValueEntries(arr: Node | undefined): Array<{ name: string; value: string; node: Node; valueNode?: Node }> {
  if (!arr || arr.type !== 'array') return [];
  return (arr.children ?? []).flatMap((node) => {
    const name = findNodeAtLocation(node, ['Name']);
    const value = findNodeAtLocation(node, ['Value']);
    if (typeof name?.value !== 'string') return [];
    return [{ name: name.value, value: typeof value?.value === 'string' ? value.value : '', node, valueNode: value }];
  });
}

function headerFrom(name: string, value: string, node: Node, valueNode: Node | undefined): HeaderField {
  const v = valueNode ?? node;
  return { name, value, start: node.offset, end: node.offset + node.length, valueStart: v.offset, valueEnd: v.offset + v.length };
}

export function parseSes(text: string, options: PayloadOptions): SendModel {
  const { root, problems } = parseJson(text);
  const model = base('ses', text, problems);
  if (!root) return model;
  const from = stringAt(text, root, ['FromEmailAddress']);
  if (from) {
    model.from = { ...from, value: addressOf(from.value) };
    model.anchor = from;
  }
  const replyTo = stringAt(text, root, ['ReplyToAddresses', 0]);
  if (replyTo) model.replyTo = replyTo;
  model.recipients = ['ToAddresses', 'CcAddresses', 'BccAddresses'].reduce((n, k) => n + (findNodeAtLocation(root, ['Destination', k])?.children?.length ?? 0), 0);
  const bulk = findNodeAtLocation(root, ['BulkEmailEntries']);
  const lmo = findNodeAtLocation(root, ['ListManagementOptions']);
  const configurationSet = stringAt(text, root, ['ConfigurationSetName']);
  const templateContent = findNodeAtLocation(root, ['TemplateContent']);
  model.ses = {
    bulk: !!bulk && (bulk.children?.length ?? 0) > 0,
    listManagement: lmo ? nodeSpan(lmo) : undefined,
    configurationSet,
    template: !!templateContent,
  };
  const edits = jsonEdits(text);
  edits.insertListManagement = () => jsonSet(text, ['ListManagementOptions'], { ContactListName: PLACEHOLDERS.contactList, TopicName: PLACEHOLDERS.topic });
  if (bulk) model.recipients = Math.max(model.recipients ?? 0, bulk.children?.length ?? 0);

  // The content in use: Simple, Template, or (bulk) DefaultContent.Template; CreateEmailTemplate's TemplateContent.
  const simple = findNodeAtLocation(root, ['Content', 'Simple']);
  const template = findNodeAtLocation(root, ['Content', 'Template']) ?? findNodeAtLocation(root, ['DefaultContent', 'Template']);
  const contentPath = simple ? ['Content', 'Simple'] : template ? (findNodeAtLocation(root, ['Content', 'Template']) ? ['Content', 'Template'] : ['DefaultContent', 'Template']) : undefined;
  const bodies: EmbeddedBody[] = [];
  const addBody = (path: Array<string | number>, type: 'html' | 'text') => {
    const n = findNodeAtLocation(root, path);
    if (n?.type === 'string') bodies.push(jsonBody(text, n, type, path.join('.')));
  };
  if (simple) {
    addBody(['Content', 'Simple', 'Body', 'Html', 'Data'], 'html');
    addBody(['Content', 'Simple', 'Body', 'Text', 'Data'], 'text');
  }
  if (templateContent) {
    addBody(['TemplateContent', 'Html'], 'html');
    addBody(['TemplateContent', 'Text'], 'text');
  }
  // An inline template (TemplateContent inside Content.Template) is linted like a stored one.
  if (template) {
    addBody([...contentPath!, 'TemplateContent', 'Html'], 'html');
    addBody([...contentPath!, 'TemplateContent', 'Text'], 'text');
  }
  model.bodies = bodies;

  if (contentPath) {
    const headersPath = [...contentPath, 'Headers'];
    const entries = nameValueEntries(findNodeAtLocation(root, headersPath));
    model.headers = entries.map((e) => headerFrom(e.name, e.value, e.node, e.valueNode));
    edits.insertHeaders = (fields) => jsonAppend(text, headersPath, entries.length, fields.map(([Name, Value]) => ({ Name, Value })));
  }

  const tags = nameValueEntries(findNodeAtLocation(root, ['EmailTags']));
  model.consent = consentFromEntries(tags.map((t) => ({ key: t.name, value: t.value, node: t.node, valueNode: t.valueNode })), options.consentPrefix, findNodeAtLocation(root, ['EmailTags']));
  edits.insertConsent = (fields) => {
    // SES tag values allow only [A-Za-z0-9_-]; the skeleton's placeholders respect that.
    const key = consentKeyStyle(tags.map((t) => t.name), options.consentPrefix);
    return jsonAppend(text, ['EmailTags'], tags.length, Object.entries(fields).map(([k, v]) => ({ Name: key(k), Value: v })));
  };
  model.edits = sendEditor(edits);
  return model;
}

export function parseSendGrid(text: string, options: PayloadOptions): SendModel {
  const { root, problems } = parseJson(text);
  const model = base('sendgrid', text, problems);
  if (!root) return model;
  const fromNode = findNodeAtLocation(root, ['from', 'email']);
  const from = stringAt(text, root, ['from', 'email']);
  if (from && fromNode) {
    model.from = from;
    model.anchor = from;
  }
  const replyTo = stringAt(text, root, ['reply_to', 'email']);
  if (replyTo) model.replyTo = replyTo;
  const personalizations = findNodeAtLocation(root, ['personalizations']);
  model.recipients = (personalizations?.children ?? []).reduce(
    (n, p) => n + ['to', 'cc', 'bcc'].reduce((m, k) => m + (findNodeAtLocation(p, [k])?.children?.length ?? 0), 0),
    0,
  );
  const headersNode = findNodeAtLocation(root, ['headers']);
  const headerEntries = objectEntries(headersNode);
  // Per-personalization headers count as set for that send too.
  const perPerson = (personalizations?.children ?? []).flatMap((p) => objectEntries(findNodeAtLocation(p, ['headers'])));
  model.headers = [...headerEntries, ...perPerson].map((e) => headerFrom(e.key, e.value, e.node, e.valueNode));
  const edits = jsonEdits(text);
  edits.insertHeaders = (fields) => {
    const existing = Object.fromEntries(headerEntries.map((e) => [e.key, e.value]));
    return jsonSet(text, ['headers'], { ...existing, ...Object.fromEntries(fields) });
  };
  const content = findNodeAtLocation(root, ['content']);
  model.bodies = (content?.children ?? []).flatMap((c, i) => {
    const type = findNodeAtLocation(c, ['type'])?.value;
    const value = findNodeAtLocation(c, ['value']);
    if (value?.type !== 'string') return [];
    return [jsonBody(text, value, type === 'text/html' ? 'html' : 'text', `content[${i}].value`)];
  });
  const asm = findNodeAtLocation(root, ['asm']);
  const groupId = findNodeAtLocation(root, ['asm', 'group_id']);
  const tracking = findNodeAtLocation(root, ['tracking_settings', 'subscription_tracking']);
  model.sendgrid = {
    asm: asm ? nodeSpan(asm) : undefined,
    asmGroupId: typeof groupId?.value === 'number' ? { value: groupId.value, ...nodeSpan(groupId) } : undefined,
    subscriptionTracking: tracking
      ? {
          ...nodeSpan(tracking),
          enabled: findNodeAtLocation(tracking, ['enable'])?.value === true,
          substitutionTag: typeof findNodeAtLocation(tracking, ['substitution_tag'])?.value === 'string' ? findNodeAtLocation(tracking, ['substitution_tag'])!.value : undefined,
        }
      : undefined,
  };
  const args = findNodeAtLocation(root, ['custom_args']);
  model.consent = consentFromEntries(objectEntries(args), options.consentPrefix, args);
  edits.insertConsent = (fields) => {
    const existing = objectEntries(args);
    const key = consentKeyStyle(existing.map((e) => e.key), options.consentPrefix);
    let current = text;
    for (const [k, v] of Object.entries(fields)) current = applyEdit(current, jsonSet(current, ['custom_args', key(k)], v));
    return minimalEdit(text, current);
  };
  model.edits = sendEditor(edits);
  return model;
}

function objectEntries(node: Node | undefined): Array<{ key: string; value: string; node: Node; valueNode?: Node }> {
  if (!node || node.type !== 'object') return [];
  return (node.children ?? []).flatMap((prop) => {
    const k = prop.children?.[0];
    const v = prop.children?.[1];
    if (!k) return [];
    const value = v ? getNodeValue(v) : '';
    return [{ key: String(k.value), value: typeof value === 'string' ? value : JSON.stringify(value), node: prop, valueNode: v }];
  });
}

function consentFromEntries(entries: Array<{ key: string; value: string; node: Node; valueNode?: Node }>, prefix: string, container: Node | undefined): ConsentRecord | undefined {
  const mine = entries.filter((e) => e.key.toLowerCase().startsWith(prefix.toLowerCase()));
  if (!mine.length) return undefined;
  const fields: Record<string, Located<string>> = {};
  for (const e of mine) {
    const v = e.valueNode ?? e.node;
    fields[toCamel(e.key.slice(prefix.length))] = { value: e.value, start: v.offset, end: v.offset + v.length };
  }
  const at: Span = container ? nodeSpan(container) : { start: mine[0]!.node.offset, end: mine[0]!.node.offset + mine[0]!.node.length };
  return { at, fields, source: 'tags' };
}

/** Writes new consent keys the way the file already writes them: consent_proof_ref or consent_proofRef. */
function consentKeyStyle(keys: string[], prefix: string): (field: string) => string {
  const snake = keys.some((k) => k.toLowerCase().startsWith(prefix.toLowerCase()) && k.slice(prefix.length).includes('_')) || !keys.some((k) => /[A-Z]/.test(k.slice(prefix.length)));
  return (field) => prefix + (snake ? field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : field);
}

function applyEdit(text: string, e: TextEdit): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

/** proof_ref, proofRef, proof-ref -> proofRef. */
function toCamel(s: string): string {
  return s.replace(/[-_](\w)/g, (_m, c: string) => c.toUpperCase());
}

/** The address of `Name <addr@x>` or a bare `addr@x`. */
export function addressOf(mailbox: string): string {
  const angle = /<([^>]*)>/.exec(mailbox);
  return (angle ? angle[1]! : mailbox).trim();
}

export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  return at === -1 ? undefined : address.slice(at + 1).trim().toLowerCase().replace(/\.$/, '') || undefined;
}

export type { TextEdit };
