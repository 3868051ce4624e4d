import type { Rule } from '../core/rule';

const ASM_TAG = /<%\s*asm_\w+\s*%>/g;

export const rule: Rule = {
  meta: {
    id: 'sendgrid-asm-mismatch',
    description: 'SendGrid <%asm_...%> tags need asm.group_id; asm makes SendGrid ignore the subscription-tracking substitution tag.',
    appliesTo: ['sendgrid'],
    defaultSeverity: 'error',
    group: 'unsubscribe',
    fixable: false,
    messages: {
      tagWithoutGroup: 'The body uses {tag}, which SendGrid replaces only when asm.group_id is set; without it recipients see the raw tag.',
      asmIgnoresTracking: 'asm is set, so SendGrid ignores the subscription-tracking substitution tag "{tag}" in this body.',
    },
  },
  checkSend(ctx) {
    const sg = ctx.send.sendgrid;
    for (const b of ctx.send.bodies) {
      if (!sg?.asmGroupId) {
        ASM_TAG.lastIndex = 0;
        const m = ASM_TAG.exec(b.text);
        if (m) ctx.report({ messageId: 'tagWithoutGroup', start: b.toSource(m.index), end: b.toSource(m.index + m[0].length), data: { tag: m[0] } });
      }
      const tag = sg?.subscriptionTracking?.substitutionTag;
      if (sg?.asm && tag) {
        const i = b.text.indexOf(tag);
        if (i !== -1) ctx.report({ messageId: 'asmIgnoresTracking', start: b.toSource(i), end: b.toSource(i + tag.length), data: { tag }, severity: 'warning' });
      }
    }
  },
};
