// Who a send configuration says it sends as: the From domain, the DKIM signing domains (d=) and
// selectors (s=), and the MAIL FROM (Return-Path) domain, read from the parsed send model the rules
// see (SES and SendGrid payloads, raw messages, campaign files). The domain check in the language
// server asks DNS about these; nothing here touches the network.

import { parseSend } from './engine';
import { resolveKind } from './input';
import type { CampaignModel } from './parse/campaign';
import { domainOf } from './parse/payload';
import type { SendModel } from './parse/send';
import { isSendKind, type LintRequest } from './types';
import { isSelector, normalizeDomain } from './domainName';

export interface SendIdentity {
  /** The domain of the From address. */
  fromDomain?: string;
  /** s= of every DKIM signature (a campaign's dkim.selector), lower case, first seen first. */
  dkimSelectors: string[];
  /** d= of every DKIM signature (a campaign's dkim.domain), lower case. */
  dkimDomains: string[];
  /** The Return-Path / MAIL FROM domain. */
  mailFromDomains: string[];
}

const EMPTY: SendIdentity = { dkimSelectors: [], dkimDomains: [], mailFromDomains: [] };

/** The identity of the document `req` describes; empty for templates and files that are not ours. */
export function sendIdentityOf(req: LintRequest): SendIdentity {
  const kind = resolveKind(req);
  if (!kind || !isSendKind(kind)) return { ...EMPTY };
  return sendIdentity(parseSend(req, kind));
}

/** Values that are not a domain name or a selector (a placeholder, a typo) are left out. */
export function sendIdentity(send: SendModel): SendIdentity {
  const domains = (values: Array<string | undefined>) => unique(values.map((v) => (v ? normalizeDomain(v) : undefined)));
  const from = send.from?.value;
  const campaignSelector = send.kind === 'campaign' ? (send as CampaignModel).campaign.dkimSelector?.value : undefined;
  const selectors = [...send.dkim.map((d) => d.selector), campaignSelector].map((s) => s?.trim().toLowerCase());
  return {
    fromDomain: from ? normalizeDomain(domainOf(from) ?? '') : undefined,
    dkimSelectors: unique(selectors.filter((s) => s !== undefined && isSelector(s))),
    dkimDomains: domains(send.dkim.map((d) => d.domain?.value)),
    mailFromDomains: domains([send.mailFrom?.value]),
  };
}

function unique(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}
