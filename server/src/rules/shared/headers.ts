// Header fixes shared by the send-configuration rules: adding header fields in the send's own format.

import { unsubscribeSignal } from '../../core/detect/unsubscribe';
import { headerUnsubscribeUrl } from '../../core/detect/listUnsubscribe';
import { term } from '../../core/messages';
import type { SendModel } from '../../core/parse/send';
import type { SendContext } from '../../core/rule';
import type { Fix, TextEdit } from '../../core/types';
import { PLACEHOLDER_UNSUBSCRIBE_URL } from './footer';

/** The edit adding headers in the send's own format, merged into one edit where the format inserts them one by one. */
export function headerEdit(send: SendModel, fields: Array<[string, string]>): TextEdit | undefined {
  if (send.insertHeaders) return send.insertHeaders(fields);
  if (!send.insertHeader) return undefined;
  const edits = fields.map(([n, v]) => send.insertHeader!(n, v));
  return { start: edits[0]!.start, end: edits[0]!.end, text: edits.map((e) => e.text).join('') };
}

/** The one-click header pair, with the URL from the configuration or the body's own unsubscribe link. */
export function oneClickFix(ctx: SendContext, fields: (url: string) => Array<[string, string]>): Fix | undefined {
  const bodyHrefs = ctx.bodies.flatMap((m) => m.links.filter((l) => unsubscribeSignal(l, m.text)).map((l) => l.href));
  const url = headerUnsubscribeUrl(ctx.config.sender.unsubscribeUrl, bodyHrefs);
  const edit = headerEdit(ctx.send, fields(url ?? PLACEHOLDER_UNSUBSCRIBE_URL));
  if (!edit) return undefined;
  return {
    title: url ? term('fix.insertListUnsubscribe', 'Add List-Unsubscribe and List-Unsubscribe-Post (one-click)', ctx.locale) : term('fix.insertListUnsubscribePlaceholder', 'Add List-Unsubscribe and List-Unsubscribe-Post with a placeholder URL', ctx.locale),
    safe: !!url,
    edits: [edit],
  };
}
