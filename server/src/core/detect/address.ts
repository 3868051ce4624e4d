// Recognising a sender postal address in the visible text: ESP address tags, an <address> element,
// the configured address, or lines shaped like addresses in the US, UK, EU, Canada and Japan.
// Shapes, not a geocoder: the aim is "a reader can see where the sender is", as CAN-SPAM asks.

import { ANY_ADDRESS_TOKEN } from '../esp';
import type { TemplateModel } from '../parse/template';
import type { SenderConfig } from '../types';

const STREET_WORDS =
  'Street|St\\.?|Avenue|Ave\\.?|Road|Rd\\.?|Boulevard|Blvd\\.?|Drive|Dr\\.?|Lane|Ln\\.?|Way|Court|Ct\\.?|Place|Pl\\.?|Parkway|Pkwy\\.?|Highway|Hwy\\.?|Square|Sq\\.?|Terrace|Circle|Plaza|Row|Suite|Ste\\.?|Floor|Fl\\.?';

const SHAPES: Array<{ name: string; re: RegExp }> = [
  // 123 Main Street / 1600 Amphitheatre Pkwy
  { name: 'street', re: new RegExp(`\\b\\d{1,6}[A-Za-z]?\\s+(?:[A-Z0-9][\\w.'-]*\\s+){0,5}(?:${STREET_WORDS})(?=[\\s,.]|$)`) },
  // Springfield, IL 62704 / CA 94103-1234. The city is at most 100 letters and spaces: unbounded, a
  // body of 100,000 capitalised words was tried from each word to the end of the text (quadratic).
  { name: 'us-zip', re: /\b[A-Z][a-zA-Z .'-]{1,100},?\s+(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY])\s+\d{5}(?:-\d{4})?\b/ },
  { name: 'po-box', re: /\bP\.?\s?O\.?\s+Box\s+\d+/i },
  // UK postcode: SW1A 1AA, EC1V 9HX
  { name: 'uk-postcode', re: /\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s+\d[ABD-HJLNP-UW-Z]{2}\b/ },
  // Canada: K1A 0B1
  { name: 'ca-postcode', re: /\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d\b/ },
  // EU: "10115 Berlin", "75008 Paris", "28013 Madrid", "1012 AB Amsterdam"
  // (after a comma or a country prefix, and never a year: "© 2026 Acme" is no address).
  { name: 'eu-postcode', re: /(?:,\s*|\b(?:D|F|E|NL|A|B|L|CH|I|P)-)(?!(?:19|20)\d\d\s)\d{4,5}(?:\s?[A-Z]{2})?\s+[A-ZÄÖÜÉ][a-zäöüßéèêàç]+/ },
  // European street forms: Hauptstraße 5, Musterstr. 12, 12 rue de la Paix, Calle Mayor 3, Via Roma 1
  {
    name: 'eu-street',
    re: /\b[A-ZÄÖÜ][a-zäöüß-]*(?:straße|strasse|str\.|weg|platz|gasse|allee)\s+\d+|\b\d{1,4}(?:\s?bis)?,?\s+(?:rue|avenue|boulevard|place|chemin|allée|quai)\s|\b(?:Calle|Avenida|Plaza|Paseo|Via|Viale|Piazza)\s+[A-Z][\w.'-]*(?:\s+[\w.'-]+){0,3},?\s+\d+/,
  },
  // Japan: 〒100-0005, or a prefecture followed by a city/ward/town
  { name: 'jp-postcode', re: /〒\s?\d{3}-?\d{4}/ },
  {
    name: 'jp-address',
    re: /(?:東京都|北海道|(?:京都|大阪)府|(?:青森|岩手|宮城|秋田|山形|福島|茨城|栃木|群馬|埼玉|千葉|神奈川|新潟|富山|石川|福井|山梨|長野|岐阜|静岡|愛知|三重|滋賀|兵庫|奈良|和歌山|鳥取|島根|岡山|広島|山口|徳島|香川|愛媛|高知|福岡|佐賀|長崎|熊本|大分|宮崎|鹿児島|沖縄)県)[^\s、。]{1,12}?[市区町村郡]/,
  },
];

export interface AddressEvidence {
  kind: 'token' | 'element' | 'configured' | 'shape';
  detail: string;
}

const SEPARATORS = /[\s,、]+/;
const wordsOf = (s: string) => s.split(SEPARATORS).filter(Boolean);

/**
 * A pattern that finds `address` in a text whatever its case and however its words are separated
 * (spaces, line breaks, commas): "1 Main St,\nSpringfield" is found as "1 main st springfield".
 * Searching the body text with it avoids making a lower-cased, re-spaced copy of the whole text.
 */
function addressPattern(address: string): RegExp | undefined {
  const words = wordsOf(address);
  if (!words.length) return undefined;
  return new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('[\\s,、]+'), 'i');
}

const patterns = new Map<string, RegExp | null>();
function cachedPattern(address: string): RegExp | undefined {
  let re = patterns.get(address);
  if (re === undefined) {
    if (patterns.size > 100) patterns.clear();
    re = addressPattern(address) ?? null;
    patterns.set(address, re);
  }
  return re ?? undefined;
}

// Two rules (postal-address-missing, sender-identity-missing) ask the same question of one model.
const lastAnswer = new WeakMap<TemplateModel, { sender: SenderConfig; extraText: string; evidence: AddressEvidence | undefined }>();

export function findPostalAddress(model: TemplateModel, sender: SenderConfig, extraText = ''): AddressEvidence | undefined {
  const last = lastAnswer.get(model);
  if (last && last.sender === sender && last.extraText === extraText) return last.evidence;
  const evidence = searchPostalAddress(model, sender, extraText);
  lastAnswer.set(model, { sender, extraText, evidence });
  return evidence;
}

function searchPostalAddress(model: TemplateModel, sender: SenderConfig, extraText: string): AddressEvidence | undefined {
  const text = extraText ? `${model.bodyText}\n${extraText}` : model.bodyText;
  // Tags are searched in the raw text too: they often sit inside attributes or comments-free partials.
  ANY_ADDRESS_TOKEN.lastIndex = 0;
  const tag = ANY_ADDRESS_TOKEN.exec(model.text) ?? (ANY_ADDRESS_TOKEN.lastIndex = 0, ANY_ADDRESS_TOKEN.exec(extraText));
  if (tag) return { kind: 'token', detail: tag[0] };
  for (const el of model.addressElements) {
    if (el.hasChildren) return { kind: 'element', detail: '<address>' };
  }
  if (sender.postalAddress) {
    if (cachedPattern(sender.postalAddress)?.test(text)) return { kind: 'configured', detail: sender.postalAddress };
    // A configured address written over several lines: its first line is enough evidence.
    const first = (sender.postalAddress.split(/\n|,/)[0] ?? '').trim();
    if (wordsOf(first).join(' ').length >= 8 && cachedPattern(first)?.test(text)) return { kind: 'configured', detail: sender.postalAddress };
  }
  for (const shape of SHAPES) {
    const m = shape.re.exec(text);
    if (m) return { kind: 'shape', detail: m[0] };
  }
  return undefined;
}

/** The first piece of `text` shaped like a postal address (street, postcode, PO box ...), if any. */
export function addressShapeIn(text: string): string | undefined {
  for (const shape of SHAPES) {
    const m = shape.re.exec(text);
    if (m) return m[0];
  }
  return undefined;
}
