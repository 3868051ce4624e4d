import { headersNamed } from '../core/detect/listUnsubscribe';
import { term } from '../core/messages';
import { PLACEHOLDERS, placeholdersIn } from '../core/placeholders';
import type { Rule } from '../core/rule';

const SES_TOKEN = /\{\{\s*amazonSESUnsubscribeUrl\s*\}\}/g;

export const rule: Rule = {
  meta: {
    id: 'ses-list-management-mismatch',
    description: 'SES list management and the {{amazonSESUnsubscribeUrl}} token must go together, for one recipient, at most twice.',
    appliesTo: ['ses', 'campaign'],
    defaultSeverity: 'error',
    group: 'unsubscribe',
    fixable: true,
    messages: {
      tokenWithoutOptions: 'The body uses {{amazonSESUnsubscribeUrl}} but the request has no ListManagementOptions: SES then sends the token as literal text.',
      optionsWithoutToken: 'ListManagementOptions is set but no body contains {{amazonSESUnsubscribeUrl}}: recipients get SES\'s headers but no visible unsubscribe link from it.',
      tooManyTokens: 'SES replaces only the first two {{amazonSESUnsubscribeUrl}} tokens; this body has {count}.',
      headerWithOptions:
        'This request sets its own {name} and also ListManagementOptions, with which SES adds a {name} of its own; a message may carry {name} only once (SES header fields), and SES does not say which one it keeps. Remove this header and let SES add it, or drop ListManagementOptions and keep your own.',
      placeholder: 'ListManagementOptions still holds {value}, a placeholder a quick fix wrote: replace it with the name of a {what} in your SES account (SES rejects a send naming a list that does not exist).',
      severalRecipients: 'SES replaces {{amazonSESUnsubscribeUrl}} only when the send has one recipient; this one has {count}.',
    },
  },
  checkSend(ctx) {
    const { send } = ctx;
    if (send.kind === 'campaign' && send.esp !== 'ses') return;
    const bodies = send.bodies.length ? send.bodies : [];
    let tokens = 0;
    let firstToken: { start: number; end: number } | undefined;
    for (const b of bodies) {
      SES_TOKEN.lastIndex = 0;
      let m: RegExpExecArray | null;
      let inBody = 0;
      while ((m = SES_TOKEN.exec(b.text))) {
        inBody++;
        firstToken ??= { start: b.toSource(m.index), end: b.toSource(m.index + m[0].length) };
        if (inBody === 3) ctx.report({ messageId: 'tooManyTokens', start: b.toSource(m.index), end: b.toSource(m.index + m[0].length), data: { count: (b.text.match(SES_TOKEN) ?? []).length } });
      }
      tokens += inBody;
    }
    const lmo = send.ses?.listManagement;
    if (tokens && !lmo && send.kind === 'ses' && !send.ses?.template) {
      const insert = send.edits.insertListManagement();
      ctx.report({
        messageId: 'tokenWithoutOptions',
        ...firstToken!,
        fixes: insert ? [{ title: term('fix.addListManagement', 'Add ListManagementOptions (fill in your contact list and topic)', ctx.locale), safe: false, edits: [insert] }] : [],
      });
    }
    if (lmo) {
      // The skeleton's values, reported where they sit until a person names the real list and topic.
      for (const p of placeholdersIn(send.text.slice(lmo.start, lmo.end))) {
        if (p.value !== PLACEHOLDERS.contactList && p.value !== PLACEHOLDERS.topic) continue;
        const what = p.value === PLACEHOLDERS.contactList ? term('ses.contactList', 'contact list', ctx.locale) : term('ses.topic', 'topic of that contact list', ctx.locale);
        ctx.report({ messageId: 'placeholder', start: lmo.start + p.start, end: lmo.start + p.end, data: { value: p.value, what } });
      }
    }
    if (lmo) {
      // SES adds both headers itself under list management: a header of the request's own collides with it.
      for (const h of [...headersNamed(send, 'List-Unsubscribe'), ...headersNamed(send, 'List-Unsubscribe-Post')]) {
        ctx.report({ messageId: 'headerWithOptions', start: h.start, end: h.end, severity: 'warning', data: { name: h.name } });
      }
    }
    if (lmo && !tokens && bodies.length) ctx.report({ messageId: 'optionsWithoutToken', ...lmo, severity: 'warning' });
    if (tokens && (send.recipients ?? 0) > 1) ctx.report({ messageId: 'severalRecipients', ...firstToken!, data: { count: send.recipients! } });
  },
};
