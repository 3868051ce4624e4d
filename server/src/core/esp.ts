// What each ESP puts in a template for "unsubscribe here" and "our postal address", and what a
// quick fix inserts for it. Sources: each ESP's template-tag documentation (see the rules catalog).

import type { Esp } from './types';

export interface TagSyntax {
  label: string;
  /** Matches the unsubscribe or preference-centre tags, wherever they stand. */
  unsubscribe: RegExp;
  /** Matches the sender-address tags, when there are any. */
  address?: RegExp;
}

export interface EspTokens extends TagSyntax {
  esp: Esp;
  /** The tag a fix writes into an href; it expands to a URL. */
  insert: string;
}

// Spaces inside the braces are allowed where the template language allows them.
export const ESP_TOKENS: readonly EspTokens[] = [
  { esp: 'ses', label: 'Amazon SES', unsubscribe: /\{\{\s*amazonSESUnsubscribeUrl\s*\}\}/, insert: '{{amazonSESUnsubscribeUrl}}' },
  {
    esp: 'sendgrid',
    label: 'SendGrid',
    unsubscribe: /<%\s*asm_(?:group_unsubscribe|global_unsubscribe|preferences)(?:_raw)?_url\s*%>|\{\{\{?\s*unsubscribe(?:_preferences)?\s*\}?\}\}|\[unsubscribe(?:_preferences)?\]|<%\s*%>|<%(?!=?\s*(?:if|unless|elsif|else|case|cond|for|while|until|end)\b)[^%<>]*(?:unsubscribe|opt.?out)[^%<>]*%>/i,
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

/**
 * Newsletter platforms and self-hosted list managers whose tags are recognised but which are not an
 * `esp` setting (the quick fix has no tag of theirs to insert). Sources: each project's template
 * documentation; see the rules catalog.
 */
export const PLATFORM_TOKENS: readonly TagSyntax[] = [
  // Go templates: {{ UnsubscribeURL }}, {{ ManageURL }}, also with the context dot.
  { label: 'listmonk', unsubscribe: /\{\{\s*(?:UnsubscribeURL|ManageURL)(?:\s+\.)?\s*\}\}/ },
  // {unsubscribe_text} renders a whole link, {unsubscribe_url} the URL.
  { label: 'Mautic', unsubscribe: /(?<![{$#@%])\{unsubscribe_(?:text|url)\}(?!\})/ },
  { label: 'Keila', unsubscribe: /\{\{\s*unsubscribe_link\s*\}\}/ },
  // Ghost's newsletter replacements, and the Mailgun recipient variable Ghost turns them into.
  { label: 'Ghost', unsubscribe: /%%\{\s*unsubscribe_url\s*\}%%|%recipient\.unsubscribe_url%/ },
  // [[UNSUB_LINK_EN]], [[UNSUB_LINK_FR]] ...; [[DELIVERY_INFO]] prints "sent to ..., unsubscribe" with the link.
  {
    label: 'Mailjet',
    unsubscribe: /\[\[\s*(?:UNSUB_LINK(?:_[A-Z]{2}(?:_[A-Z]{2})?)?|DELIVERY_INFO)\s*\]\]/,
    address: /\[\[\s*POSTAL_ADDRESS\s*\]\]/,
  },
  // [unsubscribe] is the URL; <unsubscribe>text</unsubscribe> becomes a link.
  { label: 'Sendy', unsubscribe: /\[unsubscribe\]|<unsubscribe>/ },
  { label: 'phpList', unsubscribe: /\[(?:UNSUBSCRIBE|PREFERENCES)(?:URL)?\]/ },
  { label: 'Mailtrain', unsubscribe: /\[LINK_(?:UNSUBSCRIBE|PREFERENCES)\]/ },
  // Up to v5 ::unsubscribeUrl:: and ::unsubscribeTag::name::; from v6 Twig-like {{ unsubscribeUrl }}.
  {
    label: 'Mailcoach',
    unsubscribe: /::(?:unsubscribeUrl|preferencesUrl|unsubscribeTag::[^:<>"]*)::|\{\{\s*(?:unsubscribeUrl|preferencesUrl|unsubscribeTag\[[^\]{}]*\])\s*\}\}/,
  },
];

/** Every syntax whose tags are recognised: the ESPs, then the platforms. */
export const ALL_TAG_SYNTAXES: readonly TagSyntax[] = [...ESP_TOKENS, ...PLATFORM_TOKENS];

// One alternation over every syntax: a single pass over a large template instead of twenty.
export const ANY_UNSUBSCRIBE_TOKEN = new RegExp(ALL_TAG_SYNTAXES.map((t) => `(?:${t.unsubscribe.source})`).join('|'), 'gi');

const ADDRESS_SOURCES = ALL_TAG_SYNTAXES.filter((t) => t.address).map((t) => `(?:${t.address!.source})`);
// Generic address tags the ESP-specific list misses: {{company_address}}, {{ sender.address }} ...
ADDRESS_SOURCES.push(String.raw`(?:\{\{\{?\s*[\w.]*(?:address|addr|住所)[\w.]*\s*\}?\}\})`);
export const ANY_ADDRESS_TOKEN = new RegExp(ADDRESS_SOURCES.join('|'), 'gi');

export function espTokens(esp: Esp): EspTokens | undefined {
  return ESP_TOKENS.find((t) => t.esp === esp);
}

/** Which ESP or platform a tag belongs to, for messages ("Mailchimp's *|UNSUB|*"). */
export function espOfToken(token: string): TagSyntax | undefined {
  return ALL_TAG_SYNTAXES.find((t) => t.unsubscribe.test(token));
}
