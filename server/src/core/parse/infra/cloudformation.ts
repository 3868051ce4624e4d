// CloudFormation and SAM templates, in YAML or JSON, read into the infrastructure model
// (core/infra/model.ts) with source offsets. Short-form tags (`!Ref`, `!GetAtt`, `!Sub`, `!If` ...)
// are read as values computed at deploy time, not rejected.

import type { Document } from 'yaml';
import { CFN_KEYS, type ConfigurationSet, type DnsRecord, type EmailIdentity, type EventDestination, type InfraModel, type InfraResource, type SetRef } from '../../infra/model';
import { jsonTooDeep } from '../json';
import { get, MAX_TREE_DEPTH, str, toTree, type IMap, type INode } from './tree';

let yamlModule: typeof import('yaml') | undefined;
const yaml = () => (yamlModule ??= require('yaml') as typeof import('yaml'));

const SNIFF = 65_536;

/**
 * Whether a YAML or JSON text looks like a CloudFormation template: `AWSTemplateFormatVersion`, or
 * a `Resources` section with an `AWS::` type. A cheap look at the head; parseCloudFormation confirms.
 */
export function looksLikeCloudFormation(text: string): boolean {
  const head = text.length > SNIFF ? text.slice(0, SNIFF) : text;
  if (/(?:^|["'{\s])AWSTemplateFormatVersion["']?\s*:/m.test(head)) return true;
  if (!/(?:^|["'{,\s])Resources["']?\s*:/m.test(head)) return false;
  return /["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::/.test(head);
}

export function isJsonText(text: string): boolean {
  return /^\uFEFF?\s*[{[]/.test(text);
}

/** Reads a template; undefined when the text is no CloudFormation template after all. */
export function parseCloudFormation(text: string): InfraModel | undefined {
  const json = isJsonText(text);
  const model: InfraModel = { source: 'cloudformation', json, keys: CFN_KEYS, webhooks: [], resources: [], configurationSets: [], eventDestinations: [], identities: [], zones: [], records: [], unknownRecords: false, problems: [] };
  if (jsonTooDeep(text, MAX_TREE_DEPTH) !== undefined || yamlTooDeep(text)) {
    model.problems.push({ start: 0, end: 0, message: `The template nests more than ${MAX_TREE_DEPTH} levels deep; it was not read.` });
    return model;
  }
  let doc: Document;
  try {
    doc = yaml().parseDocument(text, { prettyErrors: false, uniqueKeys: false, strict: false }) as Document;
  } catch (err) {
    model.problems.push({ start: 0, end: 0, message: err instanceof Error ? err.message : String(err) });
    return model;
  }
  for (const e of doc.errors) model.problems.push({ start: e.pos[0], end: e.pos[1], message: e.message.split('\n')[0]! });
  const root = toTree(yaml(), doc.contents);
  const resources = get(root, 'Resources');
  if (resources?.t !== 'map') return model.problems.length ? model : undefined;
  let aws = false;
  for (const e of resources.entries) {
    if (e.value?.t !== 'map') continue;
    const type = str(get(e.value, 'Type'));
    if (!type) continue;
    if (type.startsWith('AWS::')) aws = true;
    const props = get(e.value, 'Properties');
    const cdkPath = str(get(e.value, 'Metadata', 'aws:cdk:path'));
    model.resources.push({ id: e.key, type, at: { start: e.keyStart, end: e.keyEnd }, node: e.value, props: props?.t === 'map' ? props : undefined, path: ['Resources', e.key, 'Properties'], ...(cdkPath && { cdkPath }) });
  }
  if (!aws && !get(root, 'AWSTemplateFormatVersion')) return undefined;
  for (const res of model.resources) readResource(model, res);
  return model;
}

/** Block YAML nested deeper than the tree reads (indentation only grows a line at a time): a linear look. */
function yamlTooDeep(text: string): boolean {
  // Each level costs at least one column; a line indented past this is deeper than we read.
  const re = /\n( {512,})/g;
  return re.test(text);
}

function setRef(node: INode | undefined): SetRef | undefined {
  if (!node) return undefined;
  const name = str(node);
  if (name !== undefined) return { name, node };
  if (node.t === 'unknown') return node.ref ? { resourceId: node.ref, node } : { unknown: true, node };
  return { unknown: true, node };
}

function readResource(model: InfraModel, res: InfraResource): void {
  const p = res.props;
  switch (res.type) {
    case 'AWS::SES::ConfigurationSet': {
      const set: ConfigurationSet = { res, name: str(get(p, 'Name')), reputation: get(p, 'ReputationOptions'), suppression: get(p, 'SuppressionOptions') };
      model.configurationSets.push(set);
      return;
    }
    case 'AWS::SES::ConfigurationSetEventDestination': {
      const body = get(p, 'EventDestination');
      const dest: EventDestination = {
        res,
        set: setRef(get(p, 'ConfigurationSetName')) ?? { unknown: true },
        body: body?.t === 'map' ? body : undefined,
        bodyPath: [...res.path, 'EventDestination'],
        enabled: get(body, 'Enabled'),
        types: get(body, 'MatchingEventTypes'),
        destinations: [],
      };
      if (body?.t === 'map') {
        for (const e of body.entries) if (DESTINATION_KEYS.includes(e.key)) dest.destinations.push({ key: e.key, at: { start: e.keyStart, end: e.keyEnd } });
      }
      model.eventDestinations.push(dest);
      return;
    }
    case 'AWS::SES::EmailIdentity': {
      const signing = get(p, 'DkimSigningAttributes');
      const id: EmailIdentity = {
        res,
        identity: get(p, 'EmailIdentity'),
        set: setRef(get(p, 'ConfigurationSetAttributes', 'ConfigurationSetName')),
        dkimSigning: signing?.t === 'map' ? signing : undefined,
        dkimEnabled: get(p, 'DkimAttributes', 'SigningEnabled'),
        mailFrom: get(p, 'MailFromAttributes'),
      };
      model.identities.push(id);
      return;
    }
    case 'AWS::Route53::HostedZone':
      model.zones.push({ res, name: get(p, 'Name') });
      return;
    case 'AWS::Route53::RecordSet':
      addRecord(model, p, res.at, get(p, 'HostedZoneName'));
      return;
    case 'AWS::Route53::RecordSetGroup': {
      const sets = get(p, 'RecordSets');
      if (sets?.t !== 'list') {
        if (sets) model.unknownRecords = true;
        return;
      }
      for (const s of sets.items) {
        if (s.t !== 'map') {
          model.unknownRecords = true;
          continue;
        }
        addRecord(model, s, { start: s.start, end: s.start }, get(s, 'HostedZoneName') ?? get(p, 'HostedZoneName'));
      }
      return;
    }
  }
}

function addRecord(model: InfraModel, p: IMap | undefined, at: { start: number; end: number }, zoneName: INode | undefined): void {
  const record: DnsRecord = { at, name: get(p, 'Name'), type: get(p, 'Type'), values: get(p, 'ResourceRecords'), zoneName };
  // A computed name may be any name, except the Easy DKIM records an identity gives (`!GetAtt Identity.DkimDNSTokenName1`).
  const dkim = record.name?.t === 'unknown' && /\.DkimDNSTokenName\d$/.test(record.name.attribute ?? '');
  if ((str(record.name) === undefined && !dkim) || str(record.type) === undefined) model.unknownRecords = true;
  model.records.push(record);
}

/** The destinations an SES event destination may name; exactly one of them. */
export const DESTINATION_KEYS = ['SnsDestination', 'CloudWatchDestination', 'KinesisFirehoseDestination', 'EventBridgeDestination'];

/** The name of a configuration set resource as sends name it (its Name; a Ref to it gives the name too). */
export function setMatches(ref: SetRef, set: ConfigurationSet): boolean {
  if (ref.resourceId) return ref.resourceId === set.res.id;
  if (ref.name !== undefined) return set.name === ref.name;
  return false;
}

