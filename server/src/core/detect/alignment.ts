// DMARC identifier alignment, as far as a send configuration can tell it: the From domain against
// the DKIM signing domain (d=) and the MAIL FROM (Return-Path) domain. Relaxed alignment compares
// organizational domains from the Public Suffix List (core/psl); strict compares the names exactly.

import { pslOrganizationalDomain } from '../psl';
import type { Esp } from '../types';

/** The PSL organizational domain (ICANN section only), or the name itself when it is a public suffix. */
export function organizationalDomain(domain: string): string {
  return pslOrganizationalDomain(domain, { privateSuffixes: false }) ?? domain.toLowerCase();
}

export function aligned(a: string, b: string, mode: 'r' | 's'): boolean {
  const x = a.toLowerCase().replace(/\.$/, '');
  const y = b.toLowerCase().replace(/\.$/, '');
  return mode === 's' ? x === y : organizationalDomain(x) === organizationalDomain(y);
}

/** What an ESP signs with and bounces to when no custom domain is set up. */
export const ESP_DEFAULT_DOMAINS: Partial<Record<Esp, { dkim: string; mailFrom: string; label: string }>> = {
  // SES: Easy DKIM signs as the identity (see from-domain-unaligned); only MAIL FROM defaults to SES's domain.
  ses: { dkim: 'amazonses.com', mailFrom: 'amazonses.com', label: 'Amazon SES' },
  sendgrid: { dkim: 'sendgrid.net', mailFrom: 'sendgrid.net', label: 'SendGrid' },
  mailchimp: { dkim: 'mcsv.net', mailFrom: 'mcsv.net', label: 'Mailchimp' },
  mailgun: { dkim: 'mailgun.org', mailFrom: 'mailgun.org', label: 'Mailgun' },
  postmark: { dkim: 'pm.mtasv.net', mailFrom: 'pm.mtasv.net', label: 'Postmark' },
  brevo: { dkim: 'sendinblue.com', mailFrom: 'sendinblue.com', label: 'Brevo' },
};

/** Mailbox providers' consumer domains: a From there, sent through an ESP, fails their DMARC. */
export const FREEMAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.jp', 'ymail.com', 'rocketmail.com', 'outlook.com', 'hotmail.com',
  'live.com', 'msn.com', 'hotmail.co.jp', 'outlook.jp', 'live.jp', 'aol.com', 'icloud.com', 'me.com', 'mac.com',
  'gmx.de', 'gmx.net', 'web.de', 'yandex.ru', 'mail.ru', 'proton.me', 'protonmail.com', 'zoho.com', 'docomo.ne.jp',
  'ezweb.ne.jp', 'au.com', 'softbank.ne.jp', 'i.softbank.jp', 'nifty.com', 'biglobe.ne.jp', 'naver.com', 'qq.com', '163.com',
]);
