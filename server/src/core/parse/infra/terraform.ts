// Terraform files (`.tf`) read into the infrastructure model through the HCL reader (hcl.ts):
// the SES v2 resources of the AWS provider and SendGrid's event webhook. A resource's id is
// `type.name`, as Terraform references it; a reference such as
// `aws_sesv2_configuration_set.main.configuration_set_name` links an event destination to its set.

import { dnsName, TF_KEYS, type InfraModel, type InfraResource, type SetRef } from '../../infra/model';
import { parseHcl } from './hcl';
import { jsonTooDeep } from '../json';
import { MAX_TREE_DEPTH, toTree } from './tree';
import { get, str, type IMap, type INode } from './tree';

let yamlModule: typeof import('yaml') | undefined;
const yaml = () => (yamlModule ??= require('yaml') as typeof import('yaml'));

/** The destinations a v2 event destination may name; exactly one of them. */
export const TF_DESTINATION_KEYS = ['sns_destination', 'cloud_watch_destination', 'event_bridge_destination', 'kinesis_firehose_destination', 'pinpoint_destination'];

export function parseTerraform(text: string): InfraModel {
  const model: InfraModel = { source: 'terraform', json: false, keys: TF_KEYS, webhooks: [], resources: [], configurationSets: [], eventDestinations: [], identities: [], zones: [], records: [], unknownRecords: false, problems: [] };
  const file = parseHcl(text);
  model.problems.push(...file.problems);
  for (const b of file.blocks) {
    if (b.type !== 'resource' || b.labels.length < 2) continue;
    const [type, name] = b.labels as [string, string];
    const res: InfraResource = { id: `${type}.${name}`, type, at: b.at, node: b.body, props: b.body, path: [] };
    model.resources.push(res);
    readResource(model, res, b.body);
  }
  link(model);
  return model;
}

/**
 * Terraform's JSON syntax (`.tf.json`): `{"resource": {"<type>": {"<name>": {...}}}}`, a nested
 * block written as an object or as a list of objects (the first is read). References are strings
 * with `${...}` there: they stay unknown.
 */
export function parseTerraformJson(text: string): InfraModel {
  const model: InfraModel = { source: 'terraform', json: true, keys: TF_KEYS, webhooks: [], resources: [], configurationSets: [], eventDestinations: [], identities: [], zones: [], records: [], unknownRecords: false, problems: [] };
  if (jsonTooDeep(text, MAX_TREE_DEPTH) !== undefined) {
    model.problems.push({ start: 0, end: 0, message: `The file nests more than ${MAX_TREE_DEPTH} levels deep; it was not read.` });
    return model;
  }
  const doc = yaml().parseDocument(text, { prettyErrors: false, uniqueKeys: false, strict: false });
  for (const e of doc.errors) model.problems.push({ start: e.pos[0], end: e.pos[1], message: e.message.split('\n')[0]! });
  const root = interpolations(toTree(yaml(), doc.contents));
  const resources = get(root, 'resource');
  if (resources?.t !== 'map') return model;
  for (const t of resources.entries) {
    if (t.value?.t !== 'map') continue;
    for (const n of t.value.entries) {
      const body = firstMap(n.value);
      if (!body) continue;
      const res: InfraResource = { id: `${t.key}.${n.key}`, type: t.key, at: { start: n.keyStart, end: n.keyEnd }, node: body, props: body, path: ['resource', t.key, n.key] };
      model.resources.push(res);
      readResource(model, res, body);
    }
  }
  link(model);
  return model;
}

function firstMap(node: INode | undefined): IMap | undefined {
  if (node?.t === 'map') return node;
  if (node?.t === 'list' && node.items[0]?.t === 'map') return node.items[0];
  return undefined;
}

/** `"${aws_x.y.z}"` in Terraform JSON is an expression: an unknown node with its text, like HCL's. Nested blocks as lists of one object read as that object. */
function interpolations(node: INode | undefined): INode | undefined {
  if (!node) return node;
  if (node.t === 'scalar' && typeof node.value === 'string' && node.value.includes('${')) {
    const m = /^\$\{([^{}]*)\}$/.exec(node.value);
    return { t: 'unknown', fn: 'expression', ref: m ? m[1]!.trim() : node.value, start: node.start, end: node.end };
  }
  if (node.t === 'map') return { ...node, entries: node.entries.map((e) => ({ ...e, value: nested(interpolations(e.value)) })) };
  if (node.t === 'list') return { ...node, items: node.items.map((i) => interpolations(i)!) };
  return node;
}

const nested = (v: INode | undefined): INode | undefined => (v?.t === 'list' && v.items.length === 1 && v.items[0]!.t === 'map' ? v.items[0] : v);

function setRef(node: INode | undefined): SetRef | undefined {
  if (!node) return undefined;
  const name = str(node);
  if (name !== undefined) return { name, node };
  const m = node.t === 'unknown' ? /^(aws_sesv2_configuration_set\.[A-Za-z0-9_-]+)\.(?:configuration_set_name|id)$/.exec(node.ref ?? '') : null;
  return m ? { resourceId: m[1]!, node } : { unknown: true, node };
}

function readResource(model: InfraModel, res: InfraResource, body: IMap): void {
  switch (res.type) {
    case 'aws_sesv2_configuration_set':
      model.configurationSets.push({ res, name: str(get(body, 'configuration_set_name')), reputation: get(body, 'reputation_options'), suppression: get(body, 'suppression_options') });
      return;
    case 'aws_sesv2_configuration_set_event_destination': {
      const dest = get(body, 'event_destination');
      const map = dest?.t === 'map' ? dest : undefined;
      model.eventDestinations.push({
        res,
        set: setRef(get(body, 'configuration_set_name')) ?? { unknown: true },
        body: map,
        bodyPath: [...res.path, 'event_destination'],
        enabled: get(map, 'enabled'),
        types: get(map, 'matching_event_types'),
        destinations: (map?.entries ?? []).filter((e) => TF_DESTINATION_KEYS.includes(e.key)).map((e) => ({ key: e.key, at: { start: e.keyStart, end: e.keyEnd } })),
      });
      return;
    }
    case 'aws_sesv2_email_identity': {
      const signing = get(body, 'dkim_signing_attributes');
      model.identities.push({
        res,
        identity: get(body, 'email_identity'),
        set: setRef(get(body, 'configuration_set_name')),
        dkimSigning: signing?.t === 'map' ? signing : undefined,
        // The MAIL FROM domain is a resource of its own in Terraform (aws_sesv2_email_identity_mail_from_attributes): not judged here.
        mailFrom: { t: 'unknown', fn: 'resource', start: res.at.start, end: res.at.end },
      });
      return;
    }
    // The v1 API's domain identity: no default configuration set (v1 names one per send) and its
    // Easy DKIM is a resource of its own (aws_ses_domain_dkim): both left unknown, never judged.
    case 'aws_ses_domain_identity':
      model.identities.push({ res, identity: get(body, 'domain'), set: { unknown: true }, mailFrom: { t: 'unknown', fn: 'resource', start: res.at.start, end: res.at.end } });
      return;
    case 'sendgrid_event_webhook':
      model.webhooks.push({ res, enabled: get(body, 'enabled'), bounce: get(body, 'bounce'), spamReport: get(body, 'spam_report') });
      return;
  }
}

/** The resources that `link` reads once every resource of the file is known. */
const MAIL_FROM_TYPES: Record<string, { key: string; identityType: string }> = {
  aws_sesv2_email_identity_mail_from_attributes: { key: 'email_identity', identityType: 'aws_sesv2_email_identity' },
  aws_ses_domain_mail_from: { key: 'domain', identityType: 'aws_ses_domain_identity' },
};

/**
 * What Terraform spreads over several resources, joined: an identity's MAIL FROM domain (a resource
 * of its own, linked by reference or by the literal identity), and the Route 53 zones and records
 * (`aws_route53_zone`, `aws_route53_record`, linked through `zone_id`). A name Terraform computes
 * (`"_dmarc.${var.domain}"`) makes the record checks silent, as in CloudFormation.
 */
function link(model: InfraModel): void {
  const zonesById = new Map<string, INode | undefined>();
  for (const res of model.resources) {
    if (res.type !== 'aws_route53_zone') continue;
    const name = get(res.props, 'name');
    model.zones.push({ res, name });
    zonesById.set(res.id, name);
  }
  for (const res of model.resources) {
    const body = res.props;
    if (!body) continue;
    const mailFrom = MAIL_FROM_TYPES[res.type];
    if (mailFrom) {
      const target = get(body, mailFrom.key);
      const literal = str(target);
      const ref = target?.t === 'unknown' ? new RegExp(`^(${mailFrom.identityType}\\.[A-Za-z0-9_-]+)\\.(?:${mailFrom.key}|id)$`).exec(target.ref ?? '')?.[1] : undefined;
      for (const id of model.identities) {
        if (id.res.type !== mailFrom.identityType) continue;
        if ((ref && id.res.id === ref) || (literal !== undefined && str(id.identity) === literal)) id.mailFrom = body;
      }
      continue;
    }
    if (res.type === 'aws_route53_record') readRecord(model, res, body, zonesById);
  }
}

function readRecord(model: InfraModel, res: InfraResource, body: IMap, zonesById: Map<string, INode | undefined>): void {
  const zoneRef = get(body, 'zone_id');
  const zoneId = zoneRef?.t === 'unknown' ? /^(aws_route53_zone\.[A-Za-z0-9_-]+)\.(?:zone_id|id)$/.exec(zoneRef.ref ?? '')?.[1] : undefined;
  const zoneName = zoneId ? zonesById.get(zoneId) : undefined;
  const type = get(body, 'type');
  let name = get(body, 'name');
  const zone = str(zoneName);
  const literal = str(name);
  // The AWS provider takes a name relative to its zone (`_dmarc` in example.com): the full name is what the rules compare.
  if (name && literal !== undefined && zone !== undefined) {
    const full = dnsName(literal);
    const z = dnsName(zone);
    if (full !== z && !full.endsWith(`.${z}`)) name = { t: 'scalar', value: `${full}.${z}`, start: name.start, end: name.end };
  }
  // Easy DKIM records are named from the identity's tokens: computed, but never an MX, SPF or DMARC record.
  const dkim = name?.t === 'unknown' && /_domainkey|dkim/i.test(name.ref ?? '') && /^cname$/i.test(str(type) ?? '');
  if ((literal === undefined && !dkim) || str(type) === undefined) model.unknownRecords = true;
  model.records.push({ at: res.at, name, type, values: get(body, 'records'), zoneName });
}
