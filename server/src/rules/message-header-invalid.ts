import { headersNamed } from '../core/detect/listUnsubscribe';
import { parseAddressList } from '../core/parse/eml';
import type { Rule } from '../core/rule';

const MAX_LINE = 998;

export const rule: Rule = {
  meta: {
    id: 'message-header-invalid',
    description: 'RFC 5322 basics of a raw message: one From with one mailbox, Date and Message-ID present, no line over 998 characters.',
    appliesTo: ['eml'],
    defaultSeverity: 'error',
    group: 'correctness',
    fixable: false,
    messages: {
      fromCount: 'A message must have exactly one From field; this one has {count}. Gmail rejects mail that breaks RFC 5322.',
      fromMailboxes: 'The From field holds {count} mailboxes; bulk mail must come from exactly one (RFC 5322 §3.6.2 otherwise requires a Sender field, which receivers distrust).',
      dateMissing: 'The message has no Date field (RFC 5322 §3.6 requires one).',
      messageIdMissing: 'The message has no Message-ID field; RFC 5322 says it should, and Gmail counts its absence against the sender.',
      duplicate: 'The {name} field appears {count} times; RFC 5322 allows it once.',
      lineTooLong: 'Line of {length} characters: RFC 5322 limits lines to 998 characters, and servers may break or reject it.',
    },
  },
  checkSend(ctx) {
    const { send, text } = { send: ctx.send, text: ctx.send.text };
    const froms = headersNamed(send, 'From');
    if (froms.length !== 1) ctx.report({ messageId: 'fromCount', ...(froms[1] ?? send.anchor), data: { count: froms.length } });
    if (froms.length === 1) {
      const mailboxes = parseAddressList(text, froms[0]!.valueStart, froms[0]!.valueEnd).length;
      if (mailboxes > 1) ctx.report({ messageId: 'fromMailboxes', start: froms[0]!.start, end: froms[0]!.end, data: { count: mailboxes } });
    }
    if (!headersNamed(send, 'Date').length) ctx.report({ messageId: 'dateMissing', ...send.anchor });
    if (!headersNamed(send, 'Message-ID').length) ctx.report({ messageId: 'messageIdMissing', ...send.anchor, severity: 'warning' });
    for (const name of ['Subject', 'Date', 'Reply-To', 'Message-ID', 'To']) {
      const all = headersNamed(send, name);
      if (all.length > 1) ctx.report({ messageId: 'duplicate', start: all[1]!.start, end: all[1]!.end, data: { name, count: all.length } });
    }
    let reported = 0;
    let lineStart = 0;
    while (lineStart < text.length && reported < 20) {
      const nl = text.indexOf('\n', lineStart);
      const end = nl === -1 ? text.length : nl;
      const length = end - lineStart - (text[end - 1] === '\r' ? 1 : 0);
      if (length > MAX_LINE) {
        ctx.report({ messageId: 'lineTooLong', start: lineStart + MAX_LINE, end: lineStart + length, data: { length } });
        reported++;
      }
      lineStart = end + 1;
    }
  },
};
