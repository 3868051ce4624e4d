// The contract every rule file implements: `meta` describes it, `check` reports findings.

import type { SendModel } from './parse/send';
import type { InfraModel } from './infra/model';
import type { InfraEdits } from './infra/edit';
import type { ConfigurationSetIndex } from './infra/sets';
import type { IncludeInfo, LinkInfo, TemplateModel } from './parse/template';
import type { Composition } from './compose';
import type { LintResult } from './types';
import type { CategoryDecision, DocumentKind, Fix, Locale, RelatedPlace, ResolvedConfig, RuleSetting, Severity } from './types';
import { VERSION } from './version';

/**
 * Where the rule pages of this version live: the release tag `v<version>`, so a link in a
 * diagnostic, a SARIF log or the CLI describes the rule as this build checks it, not as `main`
 * does today (docs/rules/ ships in the .vsix too, for reading offline).
 */
export const DOCS_BASE = `https://github.com/deliverlint/deliverlint/blob/v${VERSION}/docs/rules/`;

export type RuleGroup = 'unsubscribe' | 'compliance' | 'correctness' | 'accessibility' | 'rendering' | 'infrastructure';

/** Groups whose rules judge the quality of the markup rather than what the law or the providers demand. */
export const QUALITY_GROUPS: ReadonlySet<RuleGroup> = new Set(['accessibility', 'rendering']);

export interface RuleMeta {
  id: string;
  description: string;
  appliesTo: readonly DocumentKind[];
  defaultSeverity: RuleSetting;
  /**
   * The kind of obligation the rule checks; not to be confused with a mail's category (marketing or
   * transactional). `accessibility` and `rendering` are about how the mail reads and shows, not
   * whether it may be sent.
   */
  group: RuleGroup;
  /** Whether the rule offers fixes that repair the problem (suppressions aside). */
  fixable: boolean;
  /** English message templates by messageId; `{name}` placeholders come from report data. */
  messages: Record<string, string>;
  /** Rules that concern marketing mail only; on transactional mail they stay silent. */
  marketingOnly?: boolean;
  /**
   * Rules that judge a whole message (is there an unsubscribe link, an address ...): they run on
   * emails only, composed with their layouts and partials, never on a partial or a web page alone,
   * and give no error on a file that cannot be told apart from a web page.
   */
  wholeMessage?: boolean;
}

export interface Report {
  messageId: string;
  start: number;
  end: number;
  data?: Record<string, string | number>;
  /** Overrides the rule's severity for this finding (still overridden by user config). */
  severity?: Severity;
  fixes?: Fix[];
  /** Places in layouts or partials the finding is about (Composition.place gives them). */
  related?: RelatedPlace[];
}

export interface RuleContext {
  model: TemplateModel;
  config: ResolvedConfig;
  category: CategoryDecision;
  locale: Locale;
  /** Text and links of the layouts and partials the message is built from, for rules that look for presence. */
  included: Included;
  /** The message as composed: what the file is, its layouts and partials, what could not be followed. */
  composition: Composition;
  report(report: Report): void;
}

/** What a template's layouts, partials and mj-include elements pull in. */
export interface Included {
  /** Body text of the included files, one per line. */
  readonly text: string;
  /** Their links, each with `includedFrom` set. */
  readonly links: readonly LinkInfo[];
  /** The absolute path each of the template's own includes resolves to (when the template has a path). */
  readonly resolved: ReadonlyMap<IncludeInfo, string>;
}

/** What a send-configuration rule sees: the send model and the lint of what it sends. */
export interface SendContext {
  send: SendModel;
  config: ResolvedConfig;
  category: CategoryDecision;
  locale: Locale;
  /** The HTML bodies, parsed (for links and tokens). */
  bodies: TemplateModel[];
  /**
   * A campaign's template: its resolved path and lint result (undefined when it cannot be read);
   * `outside`: it is there, but outside the workspace, so it was not read.
   */
  template?: { path: string; text: string; result?: LintResult; outside?: boolean };
  /** The send date: a campaign's `sendAt`, else the request's `now`, else today. */
  now: Date;
  /** The configuration sets the workspace's infrastructure defines, when the host knows them. */
  configurationSets?: ConfigurationSetIndex;
  report(report: Report): void;
}

/** What an infrastructure rule sees: the model of the file and the editor for its fixes. */
export interface InfraContext {
  infra: InfraModel;
  text: string;
  config: ResolvedConfig;
  locale: Locale;
  edits: InfraEdits;
  report(report: Report): void;
}

/** A rule checks templates (`check`), send configurations (`checkSend`), infrastructure (`checkInfra`), or is raised by the engine (none). */
export interface Rule {
  meta: RuleMeta;
  check?(ctx: RuleContext): void;
  checkSend?(ctx: SendContext): void;
  checkInfra?(ctx: InfraContext): void;
}

/** The page of a rule for the installed version (see DOCS_BASE). */
export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}
