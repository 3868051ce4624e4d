// RFC 2369 List-Unsubscribe values and RFC 8058 one-click, read from a send model's headers.

import type { HeaderField, SendModel } from '../parse/send';

export interface UnsubscribeItem {
  uri: string;
  /** Offsets in the header value (of the whole `<...>` item or the bare text). */
  start: number;
  end: number;
  bracketed: boolean;
}

/** Splits a List-Unsubscribe value into its comma-separated items. */
export function parseListUnsubscribe(value: string): UnsubscribeItem[] {
  const items: UnsubscribeItem[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i]!)) i++;
    if (i >= value.length) break;
    if (value[i] === '<') {
      const close = value.indexOf('>', i);
      const end = close === -1 ? value.length : close + 1;
      items.push({ uri: value.slice(i + 1, close === -1 ? value.length : close).trim(), start: i, end, bracketed: close !== -1 });
      i = end;
    } else {
      const comma = value.indexOf(',', i);
      const end = comma === -1 ? value.length : comma;
      items.push({ uri: value.slice(i, end).trim(), start: i, end, bracketed: false });
      i = end;
    }
  }
  return items;
}

export const headersNamed = (send: SendModel, name: string): HeaderField[] => send.headers.filter((h) => h.name.toLowerCase() === name.toLowerCase());

export const ONE_CLICK_VALUE = 'List-Unsubscribe=One-Click';

/** Whether the ESP itself adds List-Unsubscribe for this very send, and how. */
export function espAddsListUnsubscribe(send: SendModel): string | undefined {
  if (send.ses?.listManagement) return 'SES list management (ListManagementOptions)';
  if (send.sendgrid?.asmGroupId) return 'SendGrid unsubscribe groups (asm.group_id)';
  if (send.sendgrid?.subscriptionTracking?.enabled) return 'SendGrid subscription tracking';
  const campaign = (send as { campaign?: { listManagement?: { value: boolean } } }).campaign;
  if (campaign?.listManagement?.value) return 'the ESP (campaign listManagement: true)';
  return undefined;
}

/** An https: unsubscribe URL to put in the header: configured, else the body's own link. */
export function headerUnsubscribeUrl(configured: string | undefined, bodyHrefs: Array<string | undefined>): string | undefined {
  if (configured && /^https:\/\//i.test(configured)) return configured;
  return bodyHrefs.find((h): h is string => !!h && /^https:\/\//i.test(h) && !/[{}<>%*|]/.test(h));
}
