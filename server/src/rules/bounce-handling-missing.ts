import type { Rule } from '../core/rule';

export const rule: Rule = {
  meta: {
    id: 'bounce-handling-missing',
    description: 'An SES send with no configuration set: bounces and complaints reach no one.',
    appliesTo: ['ses', 'campaign'],
    defaultSeverity: 'warning',
    group: 'correctness',
    fixable: false,
    messages: {
      noConfigurationSet:
        'This SES send names no configuration set, so no bounce or complaint events reach you. SES reviews accounts at a 5% bounce or 0.1% complaint rate and may pause them at 10% / 0.5%: name a configuration set (ConfigurationSetName in a request, configurationSet in a campaign) that publishes BOUNCE and COMPLAINT events.',
    },
  },
  checkSend(ctx) {
    const { send } = ctx;
    if (send.kind === 'campaign' ? (send.esp ?? ctx.config.esp) !== 'ses' : !send.ses || send.ses.template) return;
    if (send.ses?.configurationSet?.value) return;
    ctx.report({ messageId: 'noConfigurationSet', ...send.anchor });
  },
};
