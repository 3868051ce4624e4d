// Amazon SES v2 (SendEmail, SendBulkEmail, CreateEmailTemplate) and SendGrid v3 mail-send
// payloads, read with jsonc-parser so every value keeps its place in the file.

import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { TextEdit } from '../types';
import { jsonAddProperties, jsonAppend, jsonBody, jsonSet, jsonTooDeep, MAX_JSON_DEPTH, nodeSpan, stringAt, withoutBom } from './json';
import { PLACEHOLDERS } from '../placeholders';
import { sendEditor, type ConsentRecord, type Draft, type EmbeddedBody, type HeaderField, type Located, type SendEditor, type SendModel, type SendProblem, type Span, type ValueType } from './send';

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
  // jsonc-parser recurses per level: a payload nested deeper than any real one is refused, in one pass.
  const deep = jsonTooDeep(text);
  if (deep !== undefined) {
    return { problems: [{ start: deep, end: deep + 1, message: `Objects and arrays are nested more than ${MAX_JSON_DEPTH} deep here; the file was not read further.`, fatal: true, tooDeep: { max: MAX_JSON_DEPTH } }] };
  }
  const errors: ParseError[] = [];
  const root = parseTree(withoutBom(text), errors, { allowTrailingComma: true });
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

/** What a JSON node holds, in the words the messages use. */
function typeOf(node: Node): ValueType {
  switch (node.type) {
    case 'object':
      return 'map';
    case 'array':
      return 'list';
    case 'string':
      return 'text';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'null';
  }
}

function wrongType(node: Node, key: string, expected: ValueType): SendProblem {
  const actual = typeOf(node);
  return { ...nodeSpan(node), message: `"${key}" must be ${expected}, not ${actual}.`, wrongType: { key, expected, actual } };
}

/**
 * `{Name, Value}` entries of an SES Headers / EmailTags array. Anything else there (an object in
 * place of the array, an entry without a Name) is a problem, and `shapeOk` is false when the
 * container itself has the wrong type: fixes must then leave it alone, or they would replace it.
 */
function nameValueEntries(arr: Node | undefined, key: string, problems: SendProblem[]): { entries: Array<{ name: string; value: string; node: Node; valueNode?: Node }>; shapeOk: boolean } {
  // null reads as absent (no fix writes into it: the edit helpers add only to an array).
  if (!arr || arr.type === 'null') return { entries: [], shapeOk: true };
  if (arr.type !== 'array') {
    problems.push(wrongType(arr, key, 'nameValueList'));
    return { entries: [], shapeOk: false };
  }
  const entries = (arr.children ?? []).flatMap((node, i) => {
    const name = node.type === 'object' ? findNodeAtLocation(node, ['Name']) : undefined;
    const value = node.type === 'object' ? findNodeAtLocation(node, ['Value']) : undefined;
    if (typeof name?.value !== 'string') {
      problems.push(wrongType(node, `${key}[${i}]`, 'nameValue'));
      return [];
    }
    return [{ name: name.value, value: typeof value?.value === 'string' ? value.value : '', node, valueNode: value }];
  });
  return { entries, shapeOk: true };
}

/** The fields whose names are not among `existing` (case-insensitive): a fix adds what is missing and never writes a header twice. */
function missingFields<T extends readonly [string, unknown]>(fields: ReadonlyArray<T>, existing: Iterable<string>): T[] {
  const have = new Set([...existing].map((n) => n.toLowerCase()));
  return fields.filter(([name]) => !have.has(name.toLowerCase()));
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
    const { entries, shapeOk } = nameValueEntries(findNodeAtLocation(root, headersPath), headersPath.join('.'), problems);
    model.headers = entries.map((e) => headerFrom(e.name, e.value, e.node, e.valueNode));
    // Headers written as an object (not SES's array) get no fix: appending would replace them.
    if (shapeOk) {
      edits.insertHeaders = (fields) => {
        const add = missingFields(fields, entries.map((e) => e.name));
        return add.length ? jsonAppend(text, headersPath, entries.length, add.map(([Name, Value]) => ({ Name, Value }))) : undefined;
      };
    }
  }

  const tagsNode = findNodeAtLocation(root, ['EmailTags']);
  const { entries: tags, shapeOk: tagsOk } = nameValueEntries(tagsNode, 'EmailTags', problems);
  model.consent = consentFromEntries(tags.map((t) => ({ key: t.name, value: t.value, node: t.node, valueNode: t.valueNode })), options.consentPrefix, tagsNode);
  if (tagsOk) {
    edits.insertConsent = (fields) => {
      // SES tag values allow only [A-Za-z0-9_-]; the skeleton's placeholders respect that.
      const key = consentKeyStyle(tags.map((t) => t.name), options.consentPrefix);
      const add = missingFields(Object.entries(fields).map(([k, v]) => [key(k), v] as const), tags.map((t) => t.name));
      return add.length ? jsonAppend(text, ['EmailTags'], tags.length, add.map(([Name, Value]) => ({ Name, Value }))) : undefined;
    };
  }
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
  const headerEntries = objectEntries(headersNode, 'headers', problems);
  // Per-personalization headers count as set for that send too.
  const perPerson = (personalizations?.children ?? []).flatMap((p, i) => objectEntries(findNodeAtLocation(p, ['headers']), `personalizations[${i}].headers`, problems));
  model.headers = [...headerEntries, ...perPerson].map((e) => headerFrom(e.key, e.value, e.node, e.valueNode));
  const edits = jsonEdits(text);
  // Headers written as an array (not SendGrid's object) get no fix: setting a key would replace them.
  if (!headersNode || headersNode.type === 'object') {
    edits.insertHeaders = (fields) => {
      const add = missingFields(fields, headerEntries.map((e) => e.key));
      return add.length ? jsonAddProperties(text, ['headers'], add) : undefined;
    };
  }
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
  const argEntries = objectEntries(args, 'custom_args', problems);
  model.consent = consentFromEntries(argEntries, options.consentPrefix, args);
  if (!args || args.type === 'object') {
    edits.insertConsent = (fields) => {
      const key = consentKeyStyle(argEntries.map((e) => e.key), options.consentPrefix);
      const add = missingFields(Object.entries(fields).map(([k, v]) => [key(k), v] as const), argEntries.map((e) => e.key));
      return add.length ? jsonAddProperties(text, ['custom_args'], add) : undefined;
    };
  }
  model.edits = sendEditor(edits);
  return model;
}

/** The members of a SendGrid object of strings (headers, custom_args); another type there is a problem. */
function objectEntries(node: Node | undefined, key: string, problems: SendProblem[]): Array<{ key: string; value: string; node: Node; valueNode?: Node }> {
  if (!node || node.type === 'null') return [];
  if (node.type !== 'object') {
    problems.push(wrongType(node, key, 'map'));
    return [];
  }
  return (node.children ?? []).flatMap((prop) => {
    const k = prop.children?.[0];
    const v = prop.children?.[1];
    if (!k) return [];
    if (v && v.type !== 'string') problems.push(wrongType(v, `${key}.${String(k.value)}`, 'text'));
    // Depth is bounded (parseJson), so reading a nested value cannot overflow.
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
