// Email client support from caniemail.com's data, taken into the bundle at build time
// (test/tools/caniemail-data.mjs writes data.json from the caniemail package): nothing is read from
// the network or from node_modules at run time. This module names the clients, resolves the
// configured `targets`, and indexes the features some target lacks, once per set of targets.

import data from './data.json';

export type Support = 'y' | 'n' | 'a' | 'u';
export type FeatureKind = 'property' | 'value' | 'function' | 'at-rule' | 'custom-property' | 'element' | 'attribute';

export interface FeatureData {
  id: string;
  title: string;
  kind: FeatureKind;
  names: string[];
  values?: string[];
  /** One character per client of `clients`: the current version's support. */
  support: string;
}

interface CaniemailData {
  source: string;
  updated: string;
  clients: string[];
  features: FeatureData[];
}

const DATA = data as CaniemailData;

/** Which caniemail release the table comes from, and the date of its data (for --version and the docs). */
export const CANIEMAIL_SOURCE = DATA.source;
export const CANIEMAIL_UPDATED = DATA.updated;

export const CLIENT_IDS: readonly string[] = DATA.clients;

/** Names shown in messages (product names, the same in every language). */
const CLIENT_NAMES: Record<string, string> = {
  'gmail-web': 'Gmail (web)',
  'gmail-ios': 'Gmail (iOS)',
  'gmail-android': 'Gmail (Android)',
  'gmail-mobile-web': 'Gmail (mobile web)',
  'outlook-windows': 'Outlook for Windows',
  'outlook-windows-mail': 'Windows Mail',
  'outlook-mac': 'Outlook for Mac',
  'outlook-com': 'Outlook.com',
  'outlook-ios': 'Outlook (iOS)',
  'outlook-android': 'Outlook (Android)',
  'apple-mail-mac': 'Apple Mail (macOS)',
  'apple-mail-ios': 'Apple Mail (iOS)',
  'yahoo-web': 'Yahoo Mail (web)',
  'yahoo-ios': 'Yahoo Mail (iOS)',
  'yahoo-android': 'Yahoo Mail (Android)',
  'aol-web': 'AOL (web)',
  'samsung-email': 'Samsung Email',
  thunderbird: 'Thunderbird',
  'protonmail-web': 'Proton Mail (web)',
  fastmail: 'Fastmail',
};

export function clientName(id: string): string {
  return CLIENT_NAMES[id] ?? id;
}

/** Names that stand for several clients in `targets`. */
export const CLIENT_GROUPS: Readonly<Record<string, readonly string[]>> = {
  gmail: ['gmail-web', 'gmail-ios', 'gmail-android'],
  outlook: ['outlook-windows', 'outlook-mac', 'outlook-com', 'outlook-ios', 'outlook-android'],
  'apple-mail': ['apple-mail-mac', 'apple-mail-ios'],
  yahoo: ['yahoo-web', 'yahoo-ios', 'yahoo-android'],
};

/** Gmail web and apps, Outlook for Windows and Mac, Apple Mail on macOS and iOS, Yahoo. */
export const DEFAULT_TARGETS: readonly string[] = ['gmail', 'outlook-windows', 'outlook-mac', 'apple-mail', 'yahoo'];

/** Every name `targets` accepts. */
export const TARGET_NAMES: readonly string[] = [...Object.keys(CLIENT_GROUPS), ...CLIENT_IDS];

/** The client ids a `targets` list names, in the data's order; unknown names are left out (the config check reports them). */
export function resolveTargets(targets: readonly string[]): string[] {
  const wanted = new Set<string>();
  for (const t of targets) {
    for (const id of CLIENT_GROUPS[t] ?? [t]) wanted.add(id);
  }
  return CLIENT_IDS.filter((id) => wanted.has(id));
}

/** A feature some target lacks: which targets lack it and which support it only partly. */
export interface Gap {
  readonly id: string;
  readonly title: string;
  readonly kind: FeatureKind;
  readonly values?: readonly string[];
  /** Targets whose current version does not support it. */
  readonly missing: readonly string[];
  /** Targets that support it partly (only when partial support is asked for). */
  readonly partial: readonly string[];
}

/** The gaps of one set of targets, by how markup names them. */
export interface GapIndex {
  readonly properties: ReadonlyMap<string, Gap>;
  /** Property name -> gaps recognised by the property's value (display:flex ...). */
  readonly values: ReadonlyMap<string, readonly Gap[]>;
  readonly functions: ReadonlyMap<string, Gap>;
  readonly atRules: ReadonlyMap<string, Gap>;
  readonly customProperty?: Gap;
  readonly elements: ReadonlyMap<string, Gap>;
  readonly attributes: ReadonlyMap<string, Gap>;
  readonly empty: boolean;
}

const cache = new Map<string, GapIndex>();

/** The index for `clients` (ids), computed once per distinct set. */
export function gapIndex(clients: readonly string[], partial: boolean): GapIndex {
  const key = `${partial ? 'p' : ''}:${clients.join(',')}`;
  let index = cache.get(key);
  if (!index) {
    index = buildIndex(clients, partial);
    if (cache.size > 32) cache.clear();
    cache.set(key, index);
  }
  return index;
}

function buildIndex(clients: readonly string[], partial: boolean): GapIndex {
  const positions = clients.map((id) => CLIENT_IDS.indexOf(id)).filter((i) => i >= 0);
  const properties = new Map<string, Gap>();
  const values = new Map<string, Gap[]>();
  const functions = new Map<string, Gap>();
  const atRules = new Map<string, Gap>();
  const elements = new Map<string, Gap>();
  const attributes = new Map<string, Gap>();
  let customProperty: Gap | undefined;
  for (const f of DATA.features) {
    const missing: string[] = [];
    const partly: string[] = [];
    for (const p of positions) {
      const s = f.support.charAt(p);
      if (s === 'n') missing.push(CLIENT_IDS[p]!);
      else if (s === 'a' && partial) partly.push(CLIENT_IDS[p]!);
    }
    if (!missing.length && !partly.length) continue;
    const gap: Gap = { id: f.id, title: f.title, kind: f.kind, ...(f.values && { values: f.values }), missing, partial: partly };
    for (const name of f.names) {
      switch (f.kind) {
        case 'property': properties.set(name, gap); break;
        case 'value': (values.get(name) ?? values.set(name, []).get(name)!).push(gap); break;
        case 'function': functions.set(name, gap); break;
        case 'at-rule': atRules.set(name, gap); break;
        case 'custom-property': customProperty = gap; break;
        case 'element': elements.set(name, gap); break;
        case 'attribute': attributes.set(name, gap); break;
      }
    }
  }
  const empty = !properties.size && !values.size && !functions.size && !atRules.size && !customProperty && !elements.size && !attributes.size;
  return { properties, values, functions, atRules, customProperty, elements, attributes, empty };
}

/** Element and attribute names of any feature: what the template builder records (usage.ts), whatever the targets. */
export const FEATURE_ELEMENTS: ReadonlySet<string> = new Set(DATA.features.filter((f) => f.kind === 'element').flatMap((f) => f.names));
export const FEATURE_ATTRIBUTES: readonly string[] = DATA.features.filter((f) => f.kind === 'attribute').flatMap((f) => f.names);
