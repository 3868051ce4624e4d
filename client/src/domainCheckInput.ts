// What the active document says about its sender, found cheaply with a few regular expressions:
// the From domain (a From: header, or the "from"/"FromEmailAddress" of a JSON send payload), the
// DKIM selectors and signing domains of DKIM-Signature headers, and the Return-Path domain. Used to
// prefill the domain check's inputs; nothing here touches the network. No vscode import.

/** The part of a document worth scanning: headers and payloads sit at the top. */
const SCAN_LIMIT = 200_000;

function domainOfAddress(text: string): string | undefined {
  const m = /@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)/i.exec(text);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** Header fields with their folded continuation lines unfolded. */
function headerFields(text: string, name: string): string[] {
  const re = new RegExp(`^${name}:[^\\n]*(?:\\r?\\n[ \\t][^\\n]*)*`, 'gim');
  return [...text.slice(0, SCAN_LIMIT).matchAll(re)].map((m) => m[0].replace(/\r?\n[ \t]+/g, ' '));
}

export function senderDomainFromText(text: string): string | undefined {
  const head = text.slice(0, SCAN_LIMIT);
  for (const field of headerFields(head, 'From')) {
    const d = domainOfAddress(field);
    if (d) return d;
  }
  // JSON payloads: SES FromEmailAddress / Source, SendGrid {"from": {"email": ...}}, Postmark "From", Mailgun "from".
  const json = /"(?:from|From|FromEmailAddress|fromEmailAddress|Source|from_email|sender)"\s*:\s*"([^"]*)"/.exec(head) ?? /"from"\s*:\s*\{[^}]*?"email"\s*:\s*"([^"]*)"/i.exec(head);
  if (json) return domainOfAddress(json[1]!);
  // Campaign files (YAML): a top-level `from:` key.
  const yaml = /^from:[ \t]*(.+)$/m.exec(head);
  return yaml ? domainOfAddress(yaml[1]!) : undefined;
}

function tagValues(text: string, tag: string): string[] {
  const out: string[] = [];
  for (const field of headerFields(text, 'DKIM-Signature')) {
    const m = new RegExp(`(?:^|;|:)\\s*${tag}\\s*=\\s*([^;\\s]+)`, 'i').exec(field.replace(/^DKIM-Signature:/i, ';'));
    if (m) out.push(m[1]!.toLowerCase());
  }
  return [...new Set(out)];
}

/** `dkim: { selector, domain }` and `mailFrom:` of a YAML campaign file. */
function campaignValue(text: string, key: 'selector' | 'domain' | 'mailFrom'): string[] {
  const head = text.slice(0, SCAN_LIMIT);
  const re = key === 'mailFrom' ? /^mailFrom:[ \t]*["']?([\w.@-]+)/m : new RegExp(`^dkim:[^\\n]*\\n(?:[ \\t]+[^\\n]*\\n)*?[ \\t]+${key}:[ \\t]*["']?([\\w.-]+)`, 'm');
  const m = re.exec(head);
  return m ? [m[1]!.replace(/^.*@/, '').toLowerCase()] : [];
}

export function dkimSelectorsFromText(text: string): string[] {
  return [...new Set([...tagValues(text, 's'), ...campaignValue(text, 'selector')])];
}

export function dkimDomainsFromText(text: string): string[] {
  return [...new Set([...tagValues(text, 'd'), ...campaignValue(text, 'domain')])];
}

export function mailFromDomainsFromText(text: string): string[] {
  const fromHeaders = headerFields(text, 'Return-Path').map(domainOfAddress).filter((d): d is string => !!d);
  return [...new Set([...fromHeaders, ...campaignValue(text, 'mailFrom')])];
}

/** The configured sender domain, else the host of the configured unsubscribe URL (or mailto domain). */
export function senderDomainFromSettings(domain: string | undefined, unsubscribeUrl: string | undefined): string | undefined {
  if (domain?.trim()) return domain.trim();
  const url = unsubscribeUrl?.trim();
  if (!url) return undefined;
  if (/^mailto:/i.test(url)) return domainOfAddress(url);
  const host = /^https?:\/\/([^/?#:]+)/i.exec(url)?.[1];
  return host && !host.includes('{') ? host.toLowerCase() : undefined;
}

/** "s1, s2 s3" -> ["s1", "s2", "s3"], duplicates dropped. */
export function splitSelectors(input: string): string[] {
  return [...new Set(input.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))];
}
