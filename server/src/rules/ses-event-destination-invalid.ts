import { DESTINATION_KEYS } from '../core/parse/infra/cloudformation';
import { TF_DESTINATION_KEYS } from '../core/parse/infra/terraform';
import { str } from '../core/parse/infra/tree';
import type { Rule } from '../core/rule';
import { term } from '../core/messages';
import { PLACEHOLDERS } from '../core/placeholders';
import { eventType } from './shared/infra';

export const rule: Rule = {
  meta: {
    id: 'ses-event-destination-invalid',
    description: 'An SES event destination SES would refuse or that publishes nothing: no destination, several, or an event type that does not exist.',
    appliesTo: ['infra'],
    defaultSeverity: 'error',
    group: 'infrastructure',
    fixable: true,
    messages: {
      noBody: 'This event destination has no EventDestination: SES has nowhere to publish events.',
      noDestination: 'This event destination names no destination. Give it exactly one of {keys}.',
      severalDestinations: 'An event destination takes exactly one destination; this one also names {key}.',
      noTypes: 'This event destination has no MatchingEventTypes, so it receives no events. List BOUNCE and COMPLAINT at least.',
      enabledMissing: 'This event destination does not say `enabled`, and in Terraform it defaults to false: SES publishes nothing to it. Write enabled = true (or false, on purpose).',
      placeholder: 'The SNS destination still holds {value}, a placeholder a quick fix wrote: replace it with the ARN of the SNS topic that receives the events (SES refuses a destination whose topic does not exist).',
      unknownType: '"{type}" is no SES event type. The types are {types} (CloudFormation also accepts them in lower camel case, such as renderingFailure).',
    },
  },
  checkInfra(ctx) {
    for (const d of ctx.infra.eventDestinations) {
      const body = d.body;
      if (!body) {
        const props = d.res.props;
        if (!props || !props.entries.some((e) => e.key === ctx.infra.keys.EventDestination)) ctx.report({ messageId: 'noBody', ...d.res.at });
        continue;
      }
      const key = body.entries.find((e) => e.key === ctx.infra.keys.EventDestination);
      const bodyKey = d.res.props?.entries.find((e) => e.key === ctx.infra.keys.EventDestination);
      const at = bodyKey ? { start: bodyKey.keyStart, end: bodyKey.keyEnd } : key ? { start: key.keyStart, end: key.keyEnd } : d.res.at;
      const terraform = ctx.infra.source === 'terraform';
      if (!d.destinations.length) {
        // An SNS destination skeleton, offered: the topic is for a person to name (placeholder, reported until replaced).
        // Not in Terraform JSON, whose nested blocks may be lists the path cannot name.
        const [snsKey, arnKey] = terraform ? ['sns_destination', 'topic_arn'] : ['SnsDestination', 'TopicARN'];
        const edit = terraform && ctx.infra.json ? undefined : ctx.edits.addEntries(body, d.bodyPath, [[snsKey, { [arnKey]: PLACEHOLDERS.snsTopicArn }]]);
        const title = term('fix.snsDestination', 'Add an SNS destination (fill in the topic ARN)', ctx.locale);
        ctx.report({ messageId: 'noDestination', ...at, data: { keys: (terraform ? TF_DESTINATION_KEYS : DESTINATION_KEYS).join(', ') }, fixes: edit ? [{ title, safe: false, edits: [edit] }] : [] });
      }
      // The skeleton's topic, where it sits, until a person names the real one.
      for (const dest of body.entries) {
        if (dest.value?.t !== 'map') continue;
        for (const e of dest.value.entries) {
          if (e.value && str(e.value) === PLACEHOLDERS.snsTopicArn) ctx.report({ messageId: 'placeholder', start: e.value.start, end: e.value.end, data: { value: PLACEHOLDERS.snsTopicArn } });
        }
      }
      if (terraform && !d.enabled) ctx.report({ messageId: 'enabledMissing', ...at });
      for (const extra of d.destinations.slice(1)) ctx.report({ messageId: 'severalDestinations', ...extra.at, data: { key: extra.key } });
      if (!d.types) ctx.report({ messageId: 'noTypes', ...at });
      else if (d.types.t === 'list') {
        for (const item of d.types.items) {
          const s = str(item);
          if (s !== undefined && !eventType(s)) ctx.report({ messageId: 'unknownType', start: item.start, end: item.end, data: { type: s, types: 'SEND, REJECT, BOUNCE, COMPLAINT, DELIVERY, OPEN, CLICK, RENDERING_FAILURE, DELIVERY_DELAY, SUBSCRIPTION' } });
        }
      }
    }
  },
};
