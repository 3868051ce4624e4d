// What each ESP puts in a template for "unsubscribe here" and "our postal address", and what a
// quick fix inserts for it. Sources: each ESP's template-tag documentation (see the rules catalog).

import type { Esp } from './types';

export interface EspTokens {
  esp: Esp;
  label: string;
  /** Matches the ESP's unsubscribe or preference-centre tags, wherever they stand. */
  unsubscribe: RegExp;
  /** Matches the ESP's sender-address tags, when it has any. */
  address?: RegExp;
  /** The tag a fix writes into an href; it expands to a URL. */
  insert: string;
}

// Spaces inside the braces are allowed where the template language allows them.
export const ESP_TOKENS: readonly EspTokens[] = [
  { esp: 'ses', label: 'Amazon SES', unsubscribe: /\{\{\s*amazonSESUnsubscribeUrl\s*\}\}/, insert: '{{amazonSESUnsubscribeUrl}}' },
  {
    esp: 'sendgrid',
    label: 'SendGrid',
    unsubscribe: /<%\s*asm_(?:group_unsubscribe|global_unsubscribe|preferences)(?:_raw)?_url\s*%>|\{\{\{?\s*unsubscribe(?:_preferences)?\s*\}?\}\}|\[unsubscribe(?:_preferences)?\]|<%\s*%>|<%[^%<>]*(?:unsubscribe|opt.?out)[^%<>]*%>/i,
    address: /\{\{\{?\s*Sender_(?:Address|City|State|Zip|Name)\s*\}?\}\}|\[Sender_(?:Address|City|State|Zip)\]/,
    insert: '{{{unsubscribe}}}',
  },
  {
    esp: 'mailchimp',
    label: 'Mailchimp',
    unsubscribe: /\*\|\s*(?:UNSUB|UPDATE_PROFILE)(?::[^|]*)?\s*\|\*/,
    address: /\*\|\s*(?:LIST:ADDRESS|HTML:LIST_ADDRESS_HTML|LIST:ADDRESSLINE|LIST_ADDRESS)\s*\|\*/,
    insert: '*|UNSUB|*',
  },
  { esp: 'mailgun', label: 'Mailgun', unsubscribe: /%(?:tag_|mailing_list_)?unsubscribe_url%/, insert: '%unsubscribe_url%' },
  { esp: 'postmark', label: 'Postmark', unsubscribe: /\{\{\{?\s*pm:unsubscribe\s*\}?\}\}/, insert: '{{{ pm:unsubscribe }}}' },
  { esp: 'brevo', label: 'Brevo', unsubscribe: /\{\{\s*unsubscribe\s*\}\}|\[UNSUBSCRIBE\]/, insert: '{{ unsubscribe }}' },
  {
    esp: 'klaviyo',
    label: 'Klaviyo',
    unsubscribe: /\{%\s*(?:unsubscribe(?:_link|_url)?|manage_preferences(?:_link|_url)?)\b[^%]*%\}/,
    address: /\{\{\s*organization\.(?:full_address|address)\s*\}\}/,
    insert: '{% unsubscribe_link %}',
  },
  {
    esp: 'hubspot',
    label: 'HubSpot',
    unsubscribe: /\{\{\s*unsubscribe_(?:link(?:_all)?|section|anchor)\b[^}]*\}\}/,
    address: /site_settings\.company_(?:street_address_[12]|city|state|zip|country|name)/,
    insert: '{{ unsubscribe_link }}',
  },
  {
    esp: 'customerio',
    label: 'Customer.io',
    unsubscribe: /\{%\s*(?:unsubscribe_url|manage_subscription_preferences_url)\s*%\}/,
    insert: '{% unsubscribe_url %}',
  },
  {
    esp: 'braze',
    label: 'Braze',
    unsubscribe: /\{\{\s*\$\{\s*(?:set_user_to_unsubscribed_url|unsubscribe_url)\s*\}\s*\}\}/,
    insert: '{{${set_user_to_unsubscribed_url}}}',
  },
  {
    esp: 'iterable',
    label: 'Iterable',
    unsubscribe: /\{\{\s*(?:unsubscribeUrl|unsubscribeMessageTypeUrl|hostedUnsubscribeUrl)\s*\}\}/,
    insert: '{{unsubscribeUrl}}',
  },
  {
    esp: 'sfmc',
    label: 'Salesforce Marketing Cloud',
    unsubscribe: /%%\s*(?:unsub_center_url|profile_center_url|subscription_center_url|=\s*RedirectTo\(\s*@?unsub[^)]*\)\s*=)\s*%%/i,
    address: /%%\s*Member_(?:Addr|City|State|PostalCode|Country|Busname)\s*%%/i,
    insert: '%%unsub_center_url%%',
  },
];

// One alternation over every ESP: a single pass over a large template instead of twelve.
export const ANY_UNSUBSCRIBE_TOKEN = new RegExp(ESP_TOKENS.map((t) => `(?:${t.unsubscribe.source})`).join('|'), 'gi');

const ADDRESS_SOURCES = ESP_TOKENS.filter((t) => t.address).map((t) => `(?:${t.address!.source})`);
// Generic address tags the ESP-specific list misses: {{company_address}}, {{ sender.address }} ...
ADDRESS_SOURCES.push(String.raw`(?:\{\{\{?\s*[\w.]*(?:address|addr|住所)[\w.]*\s*\}?\}\})`);
export const ANY_ADDRESS_TOKEN = new RegExp(ADDRESS_SOURCES.join('|'), 'gi');

export function espTokens(esp: Esp): EspTokens | undefined {
  return ESP_TOKENS.find((t) => t.esp === esp);
}

/** Which ESP a tag belongs to, for messages ("Mailchimp's *|UNSUB|*"). */
export function espOfToken(token: string): EspTokens | undefined {
  return ESP_TOKENS.find((t) => t.unsubscribe.test(token));
}
