// The lint engine's vocabulary. Nothing here knows about LSP or VS Code: findings carry
// [start, end) offsets into the text they were found in, and fixes are plain edits.

import type { Composition } from './compose';
import type { ConfigurationSetIndex } from './infra/sets';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type RuleSetting = Severity | 'off';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** Templates. */
export type TemplateKind = 'html' | 'mjml';
/** Send configurations and messages: SES and SendGrid payloads, raw .eml, campaign files. */
export type SendKind = 'ses' | 'sendgrid' | 'eml' | 'campaign';
/** Sending infrastructure as code: CloudFormation and SAM templates, the templates the AWS CDK synthesizes. */
export type InfraKind = 'infra';
/** The input kinds the engine understands. */
export type DocumentKind = TemplateKind | SendKind | InfraKind;
export const SEND_KINDS: readonly SendKind[] = ['ses', 'sendgrid', 'eml', 'campaign'];
export const isSendKind = (k: DocumentKind): k is SendKind => (SEND_KINDS as readonly string[]).includes(k);

export type Category = 'marketing' | 'transactional';

export const ESPS = [
  'none',
  'ses',
  'sendgrid',
  'mailchimp',
  'mailgun',
  'postmark',
  'brevo',
  'klaviyo',
  'hubspot',
  'customerio',
  'braze',
  'iterable',
  'sfmc',
] as const;
export type Esp = (typeof ESPS)[number];

export const JURISDICTIONS = ['us', 'eu', 'ca', 'jp'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export type Locale = 'en' | 'ja';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Safe fixes are applied by `--fix` and fix-all; unsafe ones only when a person picks them. */
  safe: boolean;
  /**
   * The fix the editor offers as preferred (first in the menu, applied by "auto fix"). Unset: the
   * safe fixes are, unless another fix of the finding is marked.
   */
  preferred?: boolean;
  /**
   * The file the edits apply to when it is not the linted one: a layout or partial that holds the
   * footer (absolute path; offsets in that file's text). Such a fix changes every email using the
   * file, so it is never safe and never applied by `--fix` or fix-all, only offered in the editor.
   */
  filePath?: string;
}

export interface Finding {
  ruleId: string;
  messageId: string;
  message: string;
  severity: Severity;
  start: number;
  end: number;
  /** Fixes that repair the problem. Suppression edits are computed separately (see suppress.ts). */
  fixes: Fix[];
  data?: Record<string, unknown>;
  /** Places in other files the finding is about (the hidden link in a footer partial), 0-based. */
  related?: RelatedPlace[];
}

export interface RelatedPlace {
  filePath: string;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  message: string;
}

export interface SenderConfig {
  name?: string;
  postalAddress?: string;
  unsubscribeUrl?: string;
  contact?: string;
}

export interface ConsentConfig {
  /** Key prefix of consent entries in SES EmailTags and SendGrid custom_args. */
  tagPrefix: string;
  /** Require a consent record in every marketing payload, not only check it when present. */
  requireInPayloads: boolean;
}

/** Configuration after defaults, the rc file and editor settings have been layered. */
export interface ResolvedConfig {
  rules: Record<string, RuleSetting>;
  esp: Esp;
  jurisdictions: Jurisdiction[];
  /** Whether a configuration layer (or a campaign) chose the jurisdictions; when not, Japanese-language mail gets the Japanese checks too. */
  jurisdictionsSet?: boolean;
  /** Globs (relative to `root`) of files that are transactional mail. */
  transactional: string[];
  /** Globs (relative to `root`) of files that are whole emails, whatever their content looks like. */
  emails: string[];
  /** Globs (relative to `root`) of layouts, partials and components: judged through the emails that use them. */
  parts: string[];
  /** Folders (relative to `root`) where layouts and partials are looked up besides each engine's usual places. */
  templatePaths: string[];
  /**
   * Folders (relative to `root`) outside the workspace that layouts, partials, mj-include files and
   * campaign templates may be read from. Only honoured where the configuration is trusted.
   */
  includeRoots?: string[];
  /** Globs (relative to `root`) of files that are marketing mail, winning over the heuristic. */
  marketing: string[];
  sender: SenderConfig;
  /** Globs of files to lint when a folder is walked or the workspace scanned. */
  files: string[];
  /** Globs never linted when walking folders. */
  ignore: string[];
  /** Folder the globs are relative to: the rc file's folder, else the workspace folder. */
  root?: string;
  /** Domains the team sends from; a From outside them is an error. Empty: not checked. */
  senderDomains: string[];
  /** Globs of JSON files that are SES or SendGrid payloads whatever their content looks like. */
  payloads: { ses: string[]; sendgrid: string[] };
  consent: ConsentConfig;
  /** Email clients client-unsupported checks against: client ids and groups (core/caniemail). */
  targets: string[];
  /** Whether client-unsupported also reports features the targets support only partly. */
  targetsPartial?: boolean;
}

export interface CategoryDecision {
  category: Category;
  /** Which signal decided: directive, config glob, send config, the file's or folder's name, the mailer code that sends it, content heuristic or default. */
  signal: 'directive' | 'config' | 'send-config' | 'name' | 'mailer' | 'heuristic' | 'default';
  /** Human detail: the glob, the send config path, the phrase that matched. */
  detail?: string;
}

/** Host I/O the engine may need; injected so the core never touches the file system itself. */
export interface FileReader {
  readFile(absolutePath: string): string | undefined;
  /**
   * The names of a folder's files, when the host can list them: the composition checks there
   * before reading a candidate partial, and finds Go template definitions beside a template.
   */
  listDir?(absolutePath: string): ReadonlySet<string> | undefined;
  /** The files do not change while this reader is in use (one CLI run): lookups may be remembered. */
  stable?: boolean;
  /**
   * True when a file is at `absolutePath` but the host refuses to read it because it lies outside
   * the folders the lint may read (the workspace); readFile gives undefined for it.
   */
  outside?(absolutePath: string): boolean;
  /**
   * The reader for the lint of the file at `filePath` with `config`: the host narrows what may be
   * read to that file's workspace folder (and the folders its configuration adds). Called once per
   * lint by the engine; a reader already narrowed gives itself.
   */
  forFile?(filePath: string, config: ResolvedConfig): FileReader;
}

export interface LintRequest {
  text: string;
  /** Absolute path when the text has one; used for globs and for resolving includes. */
  filePath?: string;
  /** Forced kind; otherwise detected from the path, then the content. */
  kind?: DocumentKind;
  /** The editor's language for the text, when it has one ('mjml' decides the kind). */
  languageId?: string;
  config: ResolvedConfig;
  locale?: Locale;
  reader?: FileReader;
  /** A send config or campaign that points at this template and says what it is. */
  categoryHint?: { category: Category; detail: string };
  /** A decision already made by the send config holding this body; skips classification. */
  categoryDecision?: CategoryDecision;
  /** The text is a whole message even without <body> (an HTML part of a payload). */
  wholeMessage?: boolean;
  /** Date the mail would be sent; rules that depend on time use it. Defaults to now. */
  now?: Date;
  /**
   * The configuration sets the workspace's infrastructure files define (core/infra/sets.ts), when
   * the host knows them; undefined: unknown, and configuration-set-unknown stays silent.
   */
  configurationSets?: ConfigurationSetIndex;
}

export interface LintResult {
  kind: DocumentKind;
  category: CategoryDecision;
  findings: Finding[];
  /** For templates: what the file is and the layouts and partials the message is built from. */
  composition?: Composition;
}
