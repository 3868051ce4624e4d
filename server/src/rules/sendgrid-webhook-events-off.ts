import { bool } from '../core/parse/infra/tree';
import { term } from '../core/messages';
import type { Rule } from '../core/rule';
import type { TextEdit } from '../core/types';

// SendGrid's community Terraform provider: every event flag of `sendgrid_event_webhook` defaults to false.
export const rule: Rule = {
  meta: {
    id: 'sendgrid-webhook-events-off',
    description: 'A SendGrid event webhook that does not receive bounce and spam report events.',
    appliesTo: ['infra'],
    defaultSeverity: 'error',
    group: 'infrastructure',
    fixable: true,
    messages: {
      eventsOff: 'This SendGrid event webhook does not receive {missing} events (each flag defaults to false), so bounces and spam reports reach no one and nobody acts on them. Set {flags}.',
      disabled: 'This SendGrid event webhook is disabled (enabled = false): no event reaches it.',
    },
  },
  checkInfra(ctx) {
    for (const w of ctx.infra.webhooks) {
      if (bool(w.enabled) === false) {
        ctx.report({ messageId: 'disabled', start: w.enabled!.start, end: w.enabled!.end });
        continue;
      }
      const flags: Array<[string, typeof w.bounce]> = [
        ['bounce', w.bounce],
        ['spam_report', w.spamReport],
      ];
      const off = flags.filter(([, node]) => {
        const b = bool(node);
        return b === false || b === undefined;
      });
      if (!off.length) continue;
      const edits: TextEdit[] = [];
      const add: Array<[string, boolean]> = [];
      for (const [key, node] of off) {
        if (node) {
          const e = ctx.edits.replaceScalar(node, true);
          if (e) edits.push(e);
        } else add.push([key, true]);
      }
      if (add.length && w.res.props) {
        const e = ctx.edits.addEntries(w.res.props, w.res.path, add);
        if (e) edits.push(e);
      }
      const first = off.map(([, n]) => n).find((n) => n);
      const at = first ?? w.res.at;
      ctx.report({
        messageId: 'eventsOff',
        start: at.start,
        end: at.end,
        data: { missing: off.map(([k]) => k).join(', '), flags: off.map(([k]) => `${k} = true`).join(', ') },
        fixes: edits.length ? [{ title: term('fix.webhookEvents', 'Receive bounce and spam report events', ctx.locale), safe: true, edits }] : [],
      });
    }
  },
};
