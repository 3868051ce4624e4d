// The lint pipeline: text -> model -> category -> rules -> directives -> findings.
// Pure: no file system except through the injected reader, no LSP types, and no rules of its own:
// they arrive through createLinter (server/src/linter.ts is the one place the registry meets it).

import * as path from 'node:path';
import { fixText, type FixOutcome } from './autofix';
import { classify } from './classify';
import { applyDirectives, parseDirectives, type CommentLike, type Directive } from './directives';
import { interpolate, message as formatMessage, term } from './messages';
import { compose, knownMail } from './compose';
import { closestName } from './suggest';
import { parseTemplate, type TemplateModel } from './parse/template';
import { campaignIsJson, parseCampaign, type CampaignModel } from './parse/campaign';
import { parseEml } from './parse/eml';
import { parseSendGrid, parseSes } from './parse/payload';
import { isDataFile, resolveKind, unreadableReason } from './input';
import { parseCloudFormation } from './parse/infra/cloudformation';
import { parseTerraform, parseTerraformJson } from './parse/infra/terraform';
import { infraEdits } from './infra/edit';
import type { InfraModel } from './infra/model';
import type { EmbeddedBody, SendModel, SendProblem, ValueType } from './parse/send';
import { QUALITY_GROUPS, type Included, type Report, type Rule, type SendContext } from './rule';
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
  unreadableResult(kind: DocumentKind, reason: 'binary' | 'encoding' | 'io' | 'folder', config: ResolvedConfig, locale: Locale, detail?: string): LintResult;
}

/** A linter over `rules`. Rules the engine raises itself (file-unreadable ...) stay silent when absent. */
export function createLinter(rules: readonly Rule[]): Linter {
  const reg: Registry = { rules, byId: new Map(rules.map((r) => [r.meta.id, r])) };
  // One bad file must never cost the report for the rest: a parser or rule that fails in a way
  // nobody foresaw gives the file one finding instead of a crash. (Deep nesting, the known way to
  // overflow a parser's stack, is refused before parsing: send-config-invalid's tooDeep.)
  const run = (req: LintRequest): LintResult => {
    try {
      return lint(reg, req);
    } catch (err) {
      const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      const f = engineFinding(reg, 'file-unreadable', 'failed', 0, 0, { detail: detail.slice(0, 200) }, req.config, req.locale ?? 'en');
      return { kind: req.kind ?? 'html', category: { category: 'marketing', signal: 'default' }, findings: f ? [f] : [] };
    }
  };
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

function lint(reg: Registry, given: LintRequest): LintResult {
  // The host narrows what this lint may read to the file's workspace (host/files.ts).
  const req = given.filePath && given.reader?.forFile ? { ...given, reader: given.reader.forFile(given.filePath, given.config) } : given;
  const locale: Locale = req.locale ?? 'en';
  const reason = unreadableReason(req.text);
  const detected = resolveKind(req);
  const kind = detected ?? 'html';
  if (reason) return unreadableResult(reg, kind, reason, req.config, locale, '');
  // JSON or YAML that is no send payload or campaign (package.json, tsconfig ...) is not ours.
  if (!detected && isDataFile(req.filePath)) return { kind, category: { category: 'marketing', signal: 'default' }, findings: [] };
  if (isSendKind(kind)) return lintSend(reg, req, kind, locale);
  if (kind === 'infra') return lintInfra(reg, req, locale);

  return lintTemplate(reg, req, kind, locale, parseTemplate(req.text, kind, req.wholeMessage ? WHOLE_MESSAGE : undefined));
}

/** Parse options for a text that is a whole message (a send configuration's body): never a partial. */
const WHOLE_MESSAGE = { wholeMessage: true } as const;

/** The template rules over a parsed template (`lint` parses it; send configs pass their bodies' models). */
function lintTemplate(reg: Registry, req: LintRequest, kind: DocumentKind, locale: Locale, model: TemplateModel): LintResult {
  const directives = parseDirectives(model.comments);
  const category = classify(req, model, directives);
  const composition = compose({ model, kind, filePath: req.filePath, config: req.config, reader: req.reader, wholeMessage: req.wholeMessage });
  const included: Included = { text: composition.text, links: composition.links, resolved: composition.resolved };
  const { role } = composition.role;
  // Web pages and ignored files are not mail: nothing of Deliverlint's applies to them.
  if (role === 'ignored' || role === 'web') return { kind, category, findings: [], composition };
  // Whole-message rules judge emails only, once composed into a whole message.
  const whole = (role === 'email' || role === 'undecided') && (composition.shell || composition.unresolved.length > 0);
  // How a message reads and renders is judged on mail only: not on a file that cannot be told from
  // a web page, nor on a part that nothing says belongs to an email (a web page's partial).
  let quality: boolean | undefined;
  const isMail = () => (quality ??= knownMail(composition.role, model.text, req.filePath, kind === 'mjml'));
  const findings: Finding[] = [];
  runRules(reg, kind, category, req.config, locale, findings, (rule, report) => {
    if (rule.meta.wholeMessage && !whole) return;
    if (QUALITY_GROUPS.has(rule.meta.group) && !isMail()) return;
    rule.check?.({ model, config: req.config, category, locale, included, composition, report });
  });
  // A file nobody can tell from a web page gets no error for what a whole message lacks.
  if (role === 'undecided') {
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i]!;
      if (f.severity === 'error' && reg.byId.get(f.ruleId)?.meta.wholeMessage) findings[i] = { ...f, severity: 'warning' };
    }
  }
  const result = finish(reg, req, kind, category, directives, findings, locale);
  return { ...result, composition };
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
  // A directive naming a rule we do not know is reported as such (a warning unless the user set the
  // rule's severity) and never offered for removal: it may be a typo for a rule that still fires,
  // or mean something we cannot read, and deleting it would lose what its author wrote.
  const unreadable = new Set<Directive>();
  let reported = 0;
  for (const d of directives) {
    for (const id of d.ruleIds) {
      if (reg.byId.has(id)) continue;
      unreadable.add(d);
      // The findings of one rule are capped anyway (capped()); no need to compute more of them.
      if (++reported > MAX_FINDINGS_PER_RULE) continue;
      const suggestion = closestName(id, [...reg.byId.keys()]);
      const severity = (req.config.rules['unused-directive'] as Severity | undefined) ?? 'warning';
      const f = engineFinding(reg, 'unused-directive', suggestion ? 'unknownRule' : 'unknownRuleNoSuggestion', d.start, d.end, suggestion ? { id, suggestion } : { id }, req.config, locale, severity);
      if (f) findings.push(f);
    }
  }
  const { kept, unused } = applyDirectives(req.text, directives, findings);
  for (const d of unused) {
    if (unreadable.has(d)) continue;
    const ids = d.ruleIds.length ? d.ruleIds.join(', ') : term('allRules', 'all rules', locale);
    const f = engineFinding(reg, 'unused-directive', 'unused', d.start, d.end, { ids }, req.config, locale);
    if (f) kept.push({ ...f, fixes: [{ title: term('fix.removeDirective', 'Remove the unused directive', locale), safe: true, edits: [removeCommentEdit(req.text, d.start, d.end)] }] });
  }
  kept.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return { kind, category, findings: capped(kept, locale) };
}

/** Findings one rule reports in one file at most, and all rules together; past them, one summary finding. */
export const MAX_FINDINGS_PER_RULE = 100;
export const MAX_FINDINGS_PER_FILE = 500;

/**
 * A message with 100,000 parts gave 200,001 findings and 181 MB of SARIF: nobody reads past the
 * first hundred of one kind. Keeps the first findings (in text order) of each rule, and says how
 * many more there were, at the first one left out. Linear in the findings.
 */
function capped(findings: Finding[], locale: Locale): Finding[] {
  if (findings.length <= MAX_FINDINGS_PER_RULE) return findings;
  const perRule = new Map<string, number>();
  const out: Finding[] = [];
  const more = new Map<string, { first: Finding; count: number }>();
  let total = 0;
  for (const f of findings) {
    const n = (perRule.get(f.ruleId) ?? 0) + 1;
    perRule.set(f.ruleId, n);
    if (n <= MAX_FINDINGS_PER_RULE && total < MAX_FINDINGS_PER_FILE) {
      out.push(f);
      total++;
      continue;
    }
    const m = more.get(f.ruleId);
    if (m) m.count++;
    else more.set(f.ruleId, { first: f, count: 1 });
  }
  for (const [ruleId, { first, count }] of more) {
    out.push({
      ruleId,
      messageId: 'truncated',
      message: interpolate(term('findings.truncated', '{count} more {ruleId} findings in this file are not shown (at most {max} a rule, {total} a file).', locale), { count, ruleId, max: MAX_FINDINGS_PER_RULE, total: MAX_FINDINGS_PER_FILE }),
      severity: first.severity,
      start: first.start,
      end: first.end,
      fixes: [],
      data: { count },
    });
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return out;
}

// ---- sending infrastructure as code -----------------------------------------------------------

const INFRA_CATEGORY: CategoryDecision = { category: 'marketing', signal: 'default' };

/** A CloudFormation or SAM template: the infrastructure rules over its model. Other YAML and JSON: nothing. */
function lintInfra(reg: Registry, req: LintRequest, locale: Locale): LintResult {
  const terraform = !!req.filePath && /\.tf$/i.test(req.filePath);
  const terraformJson = !!req.filePath && /\.tf\.json$/i.test(req.filePath);
  const infra = terraform ? parseTerraform(req.text) : terraformJson ? parseTerraformJson(req.text) : parseCloudFormation(req.text);
  if (!infra) return { kind: 'infra', category: INFRA_CATEGORY, findings: [] };
  if ((terraform || terraformJson) && req.filePath) moduleOf(infra, req.filePath, req.reader);
  const directives = infra.json ? [] : parseDirectives(hashComments(req.text));
  const findings: Finding[] = [];
  const clamp = (n: number) => Math.max(0, Math.min(n, req.text.length));
  for (const p of infra.problems) {
    const f = engineFinding(reg, 'send-config-invalid', 'problem', clamp(p.start), clamp(p.end), { problem: p.message }, req.config, locale);
    if (f) findings.push(f);
  }
  if (!infra.problems.length) {
    const edits = infraEdits(req.text, infra.json, terraform);
    runRules(reg, 'infra', INFRA_CATEGORY, req.config, locale, findings, (rule, report) => {
      rule.checkInfra?.({ infra, text: req.text, config: req.config, locale, edits, report });
    });
    // In a template the AWS CDK synthesized, a finding names the construct it comes from (`aws:cdk:path`),
    // which is where the change is made: the template is regenerated on every synth.
    const cdk = infra.resources.filter((r) => r.cdkPath);
    // Edits to cdk.out/ are lost on the next synth: no fix there, the message says where to change it.
    const synthesized = !!req.filePath && /(?:^|[\\/])cdk\.out[\\/]/.test(req.filePath);
    if (synthesized) for (let i = 0; i < findings.length; i++) findings[i] = { ...findings[i]!, fixes: [] };
    if (cdk.length) {
      for (let i = 0; i < findings.length; i++) {
        const f = findings[i]!;
        const res = cdk.find((r) => f.start >= r.at.start && f.start <= r.node.end);
        if (!res) continue;
        const note = interpolate(term('infra.cdkConstruct', ' (CDK construct {path}: change it in the app, the template is regenerated)', locale), { path: res.cdkPath! });
        findings[i] = { ...f, message: f.message + note, data: { ...(f.data ?? {}), construct: res.cdkPath! } };
      }
    }
  }
  return finish(reg, req, 'infra', INFRA_CATEGORY, directives, findings, locale);
}

/** How many other files of a Terraform module are read, and how large each may be. */
const MODULE_FILES = 100;
const MODULE_FILE_CHARS = 2 * 1024 * 1024;

/**
 * The zones and records of the other `.tf` / `.tf.json` files of the folder (Terraform's module):
 * a zone in dns.tf with its records in records.tf and the SES identity in ses.tf is one
 * configuration, and reading ses.tf alone would call its records missing.
 */
function moduleOf(infra: InfraModel, filePath: string, reader: LintRequest['reader']): void {
  const dir = path.dirname(filePath);
  const names = reader?.listDir?.(dir);
  if (!reader || !names) return;
  const own = path.basename(filePath);
  const module: NonNullable<InfraModel['module']> = { zones: [], records: [] };
  let read = 0;
  for (const name of [...names].sort()) {
    if (name === own || !/\.tf(?:\.json)?$/i.test(name)) continue;
    if (++read > MODULE_FILES) break;
    const text = reader.readFile(path.join(dir, name));
    if (text === undefined || text.length > MODULE_FILE_CHARS) continue;
    const other = /\.json$/i.test(name) ? parseTerraformJson(text) : parseTerraform(text);
    if (!other) continue;
    module.zones.push(...other.zones);
    module.records.push(...other.records);
    if (other.unknownRecords) infra.unknownRecords = true;
  }
  if (module.zones.length || module.records.length) infra.module = module;
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
      // Edited as JSON only when it is JSON: a flow-style YAML campaign (`{category: marketing}`) is YAML, whatever its name.
      return parseCampaign(req.text, campaignIsJson(req.text));
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
    jurisdictions: send.jurisdictions ? [...send.jurisdictions.value] : req.config.jurisdictions,
    jurisdictionsSet: req.config.jurisdictionsSet || !!send.jurisdictions,
  };
  const directives = kind === 'campaign' ? parseDirectives(hashComments(req.text)) : [];
  const htmlBodies = send.bodies.filter((b) => b.type === 'html');
  const bodyModels = htmlBodies.map((b) => parseTemplate(b.text, 'html', WHOLE_MESSAGE));
  const decided = classify({ ...req, config }, bodyModels[0], directives, send.category);
  // JSON and .eml hold no comments, so the default's advice names what they can use instead.
  const category: CategoryDecision = decided.signal === 'default' && kind !== 'campaign' ? { ...decided, detail: 'no-comments' } : decided;
  const findings: Finding[] = [];
  const label = req.filePath ? path.basename(req.filePath) : kind;

  // Bodies are templates: lint them with the send's category, and map findings back into the file.
  htmlBodies.forEach((body, i) => {
    // The body is linted as a template, from the model parsed above (as a whole message, so never a
    // partial): parsing each body twice was a quarter of linting a send config.
    const bodyReq: LintRequest = { text: body.text, kind: 'html', config, locale, categoryDecision: category, wholeMessage: true, now: req.now };
    const unreadable = unreadableReason(body.text);
    const nested = unreadable ? unreadableResult(reg, 'html', unreadable, config, locale, '') : lintTemplate(reg, bodyReq, 'html', locale, bodyModels[i]!);
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
      ...(text === undefined && req.reader?.outside?.(resolved) && { outside: true }),
    };
  }

  const sendAt = campaign?.sendAt ? new Date(campaign.sendAt.value) : undefined;
  const now = sendAt ?? req.now ?? new Date();
  const clamp = (n: number) => Math.max(0, Math.min(n, req.text.length));
  for (const p of send.problems) {
    const [messageId, data] = problemMessage(p, locale);
    const f = engineFinding(reg, 'send-config-invalid', messageId, clamp(p.start), clamp(p.end), data, config, locale);
    if (f) findings.push(f);
  }
  // A file that does not parse says nothing reliable about headers or consent: only its syntax is reported.
  if (!send.problems.some((p) => p.fatal)) {
    runRules(reg, kind, category, config, locale, findings, (rule, report) => {
      rule.checkSend?.({ send, config, category, locale, bodies: bodyModels, template, now, configurationSets: req.configurationSets, report });
    });
  }
  return finish(reg, { ...req, config }, kind, category, directives, findings, locale);
}

/** The send-config-invalid message of a parser problem: localised where the problem says what it is, else the parser's words. */
function problemMessage(p: SendProblem, locale: Locale): [string, Record<string, string>] {
  if (p.wrongType) return ['wrongType', { key: p.wrongType.key, expected: typeWord(p.wrongType.expected, locale), actual: typeWord(p.wrongType.actual, locale) }];
  if (p.tooDeep) return ['tooDeep', { max: String(p.tooDeep.max) }];
  if (p.duplicateKey) return ['duplicateKey', { key: p.duplicateKey.key }];
  return ['problem', { problem: p.message }];
}

function typeWord(type: ValueType, locale: Locale): string {
  switch (type) {
    case 'text':
      return term('type.text', 'text (a string)', locale);
    case 'number':
      return term('type.number', 'a number', locale);
    case 'boolean':
      return term('type.boolean', 'true or false', locale);
    case 'null':
      return term('type.null', 'empty (null)', locale);
    case 'map':
      return term('type.map', 'a map (object)', locale);
    case 'list':
      return term('type.list', 'a list (array)', locale);
    case 'nameValue':
      return term('type.nameValue', 'an object with a Name and a Value', locale);
    case 'nameValueList':
      return term('type.nameValueList', 'a list (array) of objects with a Name and a Value', locale);
  }
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
    ...(r.related && { related: r.related }),
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
  severity?: Severity,
): Finding | undefined {
  const rule = reg.byId.get(ruleId);
  if (!rule) return undefined;
  const setting = effectiveSetting(rule, config);
  if (setting === 'off') return undefined;
  return toFinding(rule, { messageId, start, end, data }, severity ?? (setting as Severity), locale);
}

function unreadableResult(reg: Registry, kind: DocumentKind, reason: 'binary' | 'encoding' | 'io' | 'folder', config: ResolvedConfig, locale: Locale, detail: string): LintResult {
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

export type { CategoryDecision };
