// Header fixes shared by the send-configuration rules: adding header fields in the send's own format.

import { unsubscribeSignal } from '../../core/detect/unsubscribe';
import { headerUnsubscribeUrl } from '../../core/detect/listUnsubscribe';
import { term } from '../../core/messages';
import type { SendContext } from '../../core/rule';
import type { Fix } from '../../core/types';
import { PLACEHOLDER_UNSUBSCRIBE_URL } from './footer';

/** The one-click header pair, with the URL from the configuration or the body's own unsubscribe link. */
export function oneClickFix(ctx: SendContext, fields: (url: string) => Array<[string, string]>): Fix | undefined {
  const bodyHrefs = ctx.bodies.flatMap((m) => m.links.filter((l) => unsubscribeSignal(l, m.text)).map((l) => l.href));
  const url = headerUnsubscribeUrl(ctx.config.sender.unsubscribeUrl, bodyHrefs);
  const edit = ctx.send.edits.insertHeaders(fields(url ?? PLACEHOLDER_UNSUBSCRIBE_URL));
  if (!edit) return undefined;
  return {
    title: url ? term('fix.insertListUnsubscribe', 'Add List-Unsubscribe and List-Unsubscribe-Post (one-click)', ctx.locale) : term('fix.insertListUnsubscribePlaceholder', 'Add List-Unsubscribe and List-Unsubscribe-Post with a placeholder URL', ctx.locale),
    safe: !!url,
    edits: [edit],
  };
}

/**
 * SES list management for a SendEmail request: with ListManagementOptions, SES adds List-Unsubscribe
 * and List-Unsubscribe-Post itself and handles the unsubscribes. The contact list and topic are
 * placeholders only a person can fill in, so the fix is never safe. Undefined where the request
 * cannot carry the options (SendBulkEmail, CreateEmailTemplate, other formats).
 */
export function listManagementFix(ctx: SendContext, title: string): Fix | undefined {
  const { send } = ctx;
  if (send.kind !== 'ses' || send.ses?.bulk || send.ses?.template || send.ses?.listManagement) return undefined;
  const edit = send.edits.insertListManagement();
  return edit ? { title, safe: false, edits: [edit] } : undefined;
}
