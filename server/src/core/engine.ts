// The lint pipeline: text -> model -> category -> rules -> directives -> findings.
// Pure: no file system except through the injected reader, no LSP types, and no rules of its own:
// they arrive through createLinter (server/src/linter.ts is the one place the registry meets it).

import * as path from 'node:path';
import { fixText, type FixOutcome } from './autofix';
import { classify } from './classify';
import { applyDirectives, parseDirectives, type CommentLike, type Directive } from './directives';
import { message as formatMessage, term } from './messages';
import { parseTemplate, type LinkInfo, type TemplateModel } from './parse/template';
import { parseIncluded } from './includedModels';
import { parseCampaign, type CampaignModel } from './parse/campaign';
import { parseEml } from './parse/eml';
import { parseSendGrid, parseSes } from './parse/payload';
import { isDataFile, resolveKind, unreadableReason } from './input';
import type { EmbeddedBody, SendModel } from './parse/send';
import type { Report, Rule, SendContext } from './rule';
import { isSendKind, type CategoryDecision, type DocumentKind, type Finding, type LintRequest, type LintResult, type Locale, type ResolvedConfig, type RuleSetting, type SendKind, type Severity } from './types';

/** The rules a linter runs, in registry order, and the same rules by id. */
interface Registry {
  rules: readonly Rule[];
  byId: ReadonlyMap<string, Rule>;
}

export interface Linter {
  readonly rules: readonly Rule[];
  ruleById(id: string): Rule | undefined;
  lint(req: LintRequest): LintResult;
  /** Lints, applies all safe fixes, lints again, until nothing changes. */
  fixText(req: LintRequest): FixOutcome;
  /** The one finding for a file that cannot be linted: binary, not UTF-8, or not readable at all ('io'). */
  unreadableResult(kind: DocumentKind, reason: 'binary' | 'encoding' | 'io', config: ResolvedConfig, locale: Locale, detail?: string): LintResult;
}

/** A linter over `rules`. Rules the engine raises itself (file-unreadable ...) stay silent when absent. */
export function createLinter(rules: readonly Rule[]): Linter {
  const reg: Registry = { rules, byId: new Map(rules.map((r) => [r.meta.id, r])) };
  const run = (req: LintRequest) => lint(reg, req);
  return {
    rules,
    ruleById: (id) => reg.byId.get(id),
    lint: run,
    fixText: (req) => fixText(run, req),
    unreadableResult: (kind, reason, config, locale, detail = '') => unreadableResult(reg, kind, reason, config, locale, detail),
  };
}

export function effectiveSetting(rule: Rule, config: ResolvedConfig): RuleSetting {
  return config.rules[rule.meta.id] ?? rule.meta.defaultSeverity;
}

function lint(reg: Registry, req: LintRequest): LintResult {
  const locale: Locale = req.locale ?? 'en';
  const reason = unreadableReason(req.text);
  const detected = resolveKind(req);
  const kind = detected ?? 'html';
  if (reason) return unreadableResult(reg, kind, reason, req.config, locale, '');
  // JSON or YAML that is no send payload or campaign (package.json, tsconfig ...) is not ours.
  if (!detected && isDataFile(req.filePath)) return { kind, category: { category: 'marketing', signal: 'default' }, findings: [] };
  if (isSendKind(kind)) return lintSend(reg, req, kind, locale);

  return lintTemplate(reg, req, kind, locale, parseTemplate(req.text, kind));
}

/** The template rules over a parsed template (`lint` parses it; send configs pass their bodies' models). */
function lintTemplate(reg: Registry, req: LintRequest, kind: DocumentKind, locale: Locale, model: TemplateModel): LintResult {
  if (req.wholeMessage) model.fragment = false;
  const directives = parseDirectives(model.comments);
  const category = classify(req, model, directives);
  const included = kind === 'mjml' ? readIncludes(model, req) : { text: '', links: [] };
  const findings: Finding[] = [];
  runRules(reg, kind, category, req.config, locale, findings, (rule, report) => {
    rule.check?.({ model, config: req.config, category, locale, included, report });
  });
  return finish(reg, req, kind, category, directives, findings, locale);
}

/**
 * Runs every rule that applies to `kind` and is not off, with the user's severity winning over the
 * one a rule picks per finding. A rule that throws becomes one finding, never a crash.
 */
function runRules(
  reg: Registry,
  kind: DocumentKind,
  category: CategoryDecision,
  config: ResolvedConfig,
  locale: Locale,
  findings: Finding[],
  invoke: (rule: Rule, report: (r: Report) => void) => void,
): void {
  for (const rule of reg.rules) {
    if (!rule.meta.appliesTo.includes(kind)) continue;
    const setting = effectiveSetting(rule, config);
    if (setting === 'off') continue;
    if (rule.meta.marketingOnly && category.category === 'transactional') continue;
    const userSeverity = config.rules[rule.meta.id] as Severity | undefined;
    try {
      invoke(rule, (r: Report) => findings.push(toFinding(rule, r, userSeverity ?? r.severity ?? (setting as Severity), locale)));
    } catch (err) {
      findings.push({
        ruleId: rule.meta.id,
        messageId: 'internal',
        message: `Rule ${rule.meta.id} failed on this file: ${err instanceof Error ? err.message : String(err)}`,
        severity: 'warning',
        start: 0,
        end: 0,
        fixes: [],
      });
    }
  }
}

/** Directives, unused-directive findings and ordering: the last step for every kind. */
function finish(reg: Registry, req: LintRequest, kind: DocumentKind, category: CategoryDecision, directives: Directive[], findings: Finding[], locale: Locale): LintResult {
  for (const d of directives) {
    const f = d.problem && engineFinding(reg, 'unused-directive', 'badCategory', d.start, d.end, { problem: d.problem }, req.config, locale);
    if (f) findings.push(f);
  }
  const { kept, unused } = applyDirectives(req.text, directives, findings);
  for (const d of unused) {
    const ids = d.ruleIds.length ? d.ruleIds.join(', ') : term('allRules', 'all rules', locale);
    const f = engineFinding(reg, 'unused-directive', 'unused', d.start, d.end, { ids }, req.config, locale);
    if (f) kept.push({ ...f, fixes: [{ title: term('fix.removeDirective', 'Remove the unused directive', locale), safe: true, edits: [removeCommentEdit(req.text, d.start, d.end)] }] });
  }
  kept.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return { kind, category, findings: kept };
}

// ---- send configurations -------------------------------------------------------------------

/** The send model of a send configuration; also read by the domain check for its inputs. */
export function parseSend(req: LintRequest, kind: SendKind): SendModel {
  const options = { consentPrefix: req.config.consent.tagPrefix };
  switch (kind) {
    case 'ses':
      return parseSes(req.text, options);
    case 'sendgrid':
      return parseSendGrid(req.text, options);
    case 'eml':
      return parseEml(req.text);
    case 'campaign':
      return parseCampaign(req.text, /\.json$/i.test(req.filePath ?? '') || /^\s*\{/.test(req.text));
  }
}

function lintSend(reg: Registry, req: LintRequest, kind: SendKind, locale: Locale): LintResult {
  const send = parseSend(req, kind);
  const campaign = kind === 'campaign' ? (send as CampaignModel).campaign : undefined;
  // A campaign's own esp and jurisdictions apply to it and to its template.
  const config: ResolvedConfig = {
    ...req.config,
    // SES replaces its unsubscribe token only with ListManagementOptions: without them a footer
    // fix must not write the token (the placeholder URL then asks for the real one).
    esp: send.kind === 'campaign' && send.esp ? send.esp : send.kind === 'ses' && !send.ses?.listManagement && req.config.esp === 'ses' ? 'none' : req.config.esp,
    jurisdictions: send.jurisdictions?.value ?? req.config.jurisdictions,
  };
  const directives = kind === 'campaign' ? parseDirectives(hashComments(req.text)) : [];
  const htmlBodies = send.bodies.filter((b) => b.type === 'html');
  const bodyModels = htmlBodies.map((b) => parseTemplate(b.text, 'html'));
  const decided = classify({ ...req, config }, bodyModels[0], directives, send.category);
  // JSON and .eml hold no comments, so the default's advice names what they can use instead.
  const category: CategoryDecision = decided.signal === 'default' && kind !== 'campaign' ? { ...decided, detail: 'no-comments' } : decided;
  const findings: Finding[] = [];
  const label = req.filePath ? path.basename(req.filePath) : kind;

  // Bodies are templates: lint them with the send's category, and map findings back into the file.
  htmlBodies.forEach((body, i) => {
    // The body is linted as a template, from the model parsed above (a copy: the nested lint marks
    // it a whole message): parsing each body twice was a quarter of linting a send config.
    const bodyReq: LintRequest = { text: body.text, kind: 'html', config, locale, categoryDecision: category, wholeMessage: true, now: req.now };
    const unreadable = unreadableReason(body.text);
    const nested = unreadable ? unreadableResult(reg, 'html', unreadable, config, locale, '') : lintTemplate(reg, bodyReq, 'html', locale, { ...bodyModels[i]! });
    for (const f of nested.findings) findings.push(mapEmbedded(f, body));
  });

  let template: SendContext['template'];
  if (send.template && req.filePath) {
    const resolved = path.resolve(path.dirname(req.filePath), send.template.value);
    const text = req.reader?.readFile(resolved);
    const decision: CategoryDecision = send.category
      ? { category: send.category.value, signal: 'send-config', detail: label }
      : category;
    template = {
      path: resolved,
      text: text ?? '',
      result: text === undefined ? undefined : lint(reg, { text, filePath: resolved, config, locale, reader: req.reader, categoryDecision: decision, now: req.now }),
    };
  }

  const sendAt = campaign?.sendAt ? new Date(campaign.sendAt.value) : undefined;
  const now = sendAt ?? req.now ?? new Date();
  const clamp = (n: number) => Math.max(0, Math.min(n, req.text.length));
  for (const p of send.problems) {
    const f = engineFinding(reg, 'send-config-invalid', 'problem', clamp(p.start), clamp(p.end), { problem: p.message }, config, locale);
    if (f) findings.push(f);
  }
  // A file that does not parse says nothing reliable about headers or consent: only its syntax is reported.
  if (!send.problems.some((p) => p.fatal)) {
    runRules(reg, kind, category, config, locale, findings, (rule, report) => {
      rule.checkSend?.({ send, config, category, locale, bodies: bodyModels, template, now, report });
    });
  }
  return finish(reg, { ...req, config }, kind, category, directives, findings, locale);
}

/** A finding inside an embedded body, moved to the body's place in the file; fixes kept when they can be written back. */
function mapEmbedded(f: Finding, body: EmbeddedBody): Finding {
  const encode = body.encode;
  const fixes = encode
    ? f.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ start: body.toSource(e.start), end: body.toSource(e.end), text: encode(e.text) })) }))
    : [];
  return { ...f, start: body.toSource(f.start), end: body.toSource(f.end), fixes, data: { ...(f.data ?? {}), part: body.label } };
}

/** `# comment` runs of YAML, as directive candidates. */
function hashComments(text: string): CommentLike[] {
  const out: CommentLike[] = [];
  const re = /(^|[ \t])#([^\r\n]*)/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[1]!.length;
    out.push({ start, end: start + 1 + m[2]!.length, data: m[2]! });
  }
  return out;
}

function toFinding(rule: Rule, r: Report, severity: Severity, locale: Locale): Finding {
  const english = rule.meta.messages[r.messageId] ?? r.messageId;
  return {
    ruleId: rule.meta.id,
    messageId: r.messageId,
    message: formatMessage(rule.meta.id, r.messageId, english, r.data, locale),
    severity,
    start: r.start,
    end: r.end,
    fixes: r.fixes ?? [],
    data: r.data,
  };
}

/** Findings the engine itself raises, for rules whose logic lives here (directives, unreadable files). */
function engineFinding(
  reg: Registry,
  ruleId: string,
  messageId: string,
  start: number,
  end: number,
  data: Record<string, string>,
  config: ResolvedConfig,
  locale: Locale,
): Finding | undefined {
  const rule = reg.byId.get(ruleId);
  if (!rule) return undefined;
  const setting = effectiveSetting(rule, config);
  if (setting === 'off') return undefined;
  return toFinding(rule, { messageId, start, end, data }, setting as Severity, locale);
}

function unreadableResult(reg: Registry, kind: DocumentKind, reason: 'binary' | 'encoding' | 'io', config: ResolvedConfig, locale: Locale, detail: string): LintResult {
  const f = engineFinding(reg, 'file-unreadable', reason, 0, 0, { detail }, config, locale);
  return { kind, category: { category: 'marketing', signal: 'default' }, findings: f ? [f] : [] };
}

/** Removes a whole-line comment with its line break, or just the comment when it shares a line. */
function removeCommentEdit(text: string, start: number, end: number) {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nl = text.indexOf('\n', end);
  const lineEnd = nl === -1 ? text.length : nl + 1;
  if (/^\s*$/.test(text.slice(lineStart, start)) && /^\s*$/.test(text.slice(end, nl === -1 ? text.length : nl))) {
    return { start: lineStart, end: lineEnd, text: '' };
  }
  return { start, end, text: '' };
}

const MAX_INCLUDE_DEPTH = 8;

/**
 * Text of files pulled in with mj-include (footers often live there), recursively with a depth
 * bound and a cycle guard. Only presence checks use it; findings stay in the file that has them.
 */
function readIncludes(model: TemplateModel, req: LintRequest): { text: string; links: LinkInfo[] } {
  const parts: string[] = [];
  const links: LinkInfo[] = [];
  if (!req.reader || !req.filePath || !model.includes.length) return { text: '', links };
  const seen = new Set<string>([path.resolve(req.filePath)]);
  const visit = (m: TemplateModel, fromFile: string, depth: number) => {
    for (const inc of m.includes) {
      if (!inc.path) continue;
      let target = path.resolve(path.dirname(fromFile), inc.path);
      if (!path.extname(target)) target += '.mjml';
      if (m === model) inc.resolved = target;
      if (seen.has(target) || depth >= MAX_INCLUDE_DEPTH) continue;
      seen.add(target);
      const text = req.reader!.readFile(target);
      if (text === undefined) continue;
      const isHtml = /\.html?$/i.test(target);
      const sub = parseIncluded(target, text, isHtml ? 'html' : 'mjml');
      parts.push(sub.bodyText);
      for (const l of sub.links) links.push({ ...(l as LinkInfo & { toJSON(): LinkInfo }).toJSON(), includedFrom: target });
      visit(sub, target, depth + 1);
    }
  };
  visit(model, req.filePath, 0);
  return { text: parts.join('\n'), links };
}

export type { CategoryDecision };
