// Terraform files (`.tf`) read into the infrastructure model through the HCL reader (hcl.ts):
// the SES v2 resources of the AWS provider and SendGrid's event webhook. A resource's id is
// `type.name`, as Terraform references it; a reference such as
// `aws_sesv2_configuration_set.main.configuration_set_name` links an event destination to its set.

import { TF_KEYS, type InfraModel, type InfraResource, type SetRef } from '../../infra/model';
import { parseHcl } from './hcl';
import { get, str, type IMap, type INode } from './tree';

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
  return model;
}

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
        bodyPath: [],
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
    case 'sendgrid_event_webhook':
      model.webhooks.push({ res, enabled: get(body, 'enabled'), bounce: get(body, 'bounce'), spamReport: get(body, 'spam_report') });
      return;
  }
}
