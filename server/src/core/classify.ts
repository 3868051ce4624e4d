// Marketing or transactional, decided per file in a fixed order so a wrong guess is easy to
// correct: inline directive, config globs, a send config pointing at the template, the content,
// and finally the default (marketing, the category with the most obligations).

import { matchingGlob } from './config';
import { categoryDirective, type Directive } from './directives';
import type { TemplateModel } from './parse/template';
import { interpolate, term } from './messages';
import type { Located } from './parse/send';
import type { Category, CategoryDecision, LintRequest, Locale } from './types';
import { roleReasons, type RoleDecision } from './compose/role';
import { mailerSource, type MailerSource } from './compose/mailer';

// Phrases that mark mail the recipient triggered. Matched in the title and the opening text,
// where such mail states its purpose; a newsletter that mentions an order further down stays marketing.
export const TRANSACTIONAL_PHRASES: readonly RegExp[] = [
  /\b(?:reset|change|forgot(?:ten)?)\s+(?:your\s+)?password\b/i,
  /\bpassword\s+(?:reset|change|recovery)\b/i,
  /\b(?:verify|confirm|activate)\s+(?:your\s+)?(?:e-?mail|email address|address|account|sign-?up|subscription|registration)\b/i,
  /\b(?:e-?mail|address|account)\s+(?:verification|confirmation|activation)\b/i,
  /\b(?:verification|security|login|sign-?in|one[- ]time|authentication)\s+code\b/i,
  /\b(?:your\s+)?receipt\b/i,
  /\binvoice\b/i,
  /\border\s+(?:confirmation|confirmed|#|number|receipt|summary)/i,
  /\b(?:your\s+order|your\s+package|your\s+shipment)\s+(?:has|is|was)\b/i,
  /\bshipping\s+confirmation\b/i,
  /\bpayment\s+(?:received|failed|confirmation|declined)\b/i,
  /\b(?:has|have)\s+invited\s+you\b/i,
  /\binvitation\s+to\s+join\b/i,
  /\b(?:trial|subscription)\s+(?:is\s+)?(?:expir|end)/i,
  /\bnew\s+sign-?in\b|\bsign-?in\s+(?:attempt|alert)\b/i,
  /\bwelcome\s+to\b.*\b(?:confirm|activate|verify|get started|account)\b/i,
  /\b(?:commented|replied|mentioned you)\b|\bview\s+the\s+comment\b|\bnew\s+comment\b/i,
  /パスワード(?:の)?(?:再設定|リセット|変更)/,
  /(?:本|この)メールは(?:自動(?:配信|送信)|送信専用)/,
  /(?:商品|ご注文(?:の)?商品|お荷物)を(?:発送|出荷)(?:いたしました|しました)|(?:発送|出荷)(?:の)?(?:ご案内|ご連絡)/,
  /(?:仮|本)登録(?:が)?(?:完了|のご案内|のお知らせ)|会員登録(?:が|を)?(?:完了|希望|いただき|ありがとう|のご案内)/,
  /お問い合わせ(?:を|の)?(?:受け?付け?|ありがとう)|(?:ご予約|ご注文|お申し込み|お申込み)(?:を|の)?(?:受け?付け?|確認|完了)/,
  /(?:会員情報|登録情報|登録内容|メールアドレス)(?:の)?変更(?:が)?(?:完了|いたしました|しました|のお知らせ)|退会(?:手続き|処理)?(?:が)?(?:完了|を希望)/,
  /(?:メールアドレス|アカウント|会員登録|本登録)(?:の)?(?:確認|認証|有効化)/,
  /(?:認証|確認|ワンタイム)コード/,
  /領収書|請求書|ご請求/,
  /(?:ご)?注文(?:内容)?(?:の)?確認|ご注文ありがとう/,
  /発送(?:の)?(?:お知らせ|完了)|出荷(?:の)?(?:お知らせ|完了)/,
  /お支払い(?:の)?(?:確認|完了)|決済(?:完了|エラー)/,
  /ログイン(?:の)?(?:通知|確認)/,
  /Passwort\s+zurücksetzen|Rechnung|Bestellbestätigung/i,
  /réinitialis(?:er|ation)\s+(?:de\s+)?(?:votre\s+)?mot\s+de\s+passe|facture|confirmation\s+de\s+commande/i,
  /restablecer\s+(?:tu|su)\s+contraseña|factura|confirmación\s+de\s+(?:pedido|compra)/i,
];

const OPENING_CHARS = 3000;

// All the phrases in one pass: at each position the alternatives are tried in list order, and the
// search goes on from the next character after each match (not after the matched text), so the
// smallest phrase index seen over all positions is the first phrase (in list order) that matches
// anywhere, as the loop over TRANSACTIONAL_PHRASES would find. One scan instead of one per phrase
// (measured: 2.5 times faster). The alternatives are not wrapped in a lookahead: a pattern that
// starts with one is searched position by position, twice as slowly (measured). That holds for phrases without capturing
// groups, case-insensitive or without letters; a phrase that is not makes the loop run instead.
const unionable = TRANSACTIONAL_PHRASES.every((re) => {
  const source = re.source.replace(/\\./g, '');
  return !/\((?!\?)/.test(source) && (re.flags === 'i' || (re.flags === '' && !/[A-Za-z]/.test(source)));
});
// Phrases that start with a word boundary (every top-level alternative does) share one `\b`
// check: inside words, where most positions are, one failed check skips them all instead of each
// phrase failing its own (measured: this was most of the union's cost). Capture groups stay in
// list order, so group i + 1 is still phrase i.
const ANY_PHRASE = new RegExp(`${unionSource(TRANSACTIONAL_PHRASES.map((re) => re.source))}`, 'gi');

function unionSource(sources: readonly string[]): string {
  const parts: string[] = [];
  let block: string[] = [];
  const closeBlock = () => {
    if (block.length) parts.push(`\\b(?:${block.join('|')})`);
    block = [];
  };
  for (const source of sources) {
    const alternatives = topLevelAlternatives(source);
    if (alternatives.every((a) => a.startsWith('\\b'))) {
      block.push(`(${alternatives.map((a) => a.slice(2)).join('|')})`);
    } else {
      closeBlock();
      parts.push(`(${source})`);
    }
  }
  closeBlock();
  return parts.join('|');
}

/** The top-level `|` alternatives of a regular expression's source (groups, classes and escapes respected). */
export function topLevelAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

/** The first of TRANSACTIONAL_PHRASES (in list order) that matches `text`, and its match there. */
export function transactionalPhrase(text: string): RegExpExecArray | undefined {
  if (!unionable) {
    for (const re of TRANSACTIONAL_PHRASES) {
      const m = re.exec(text);
      if (m) return m;
    }
    return undefined;
  }
  let best = -1;
  ANY_PHRASE.lastIndex = 0;
  let m: RegExpExecArray | null;
  // Bounded: lastIndex moves forward by at least one character each time.
  while ((m = ANY_PHRASE.exec(text))) {
    let i = 1;
    while (m[i] === undefined) i++;
    if (best === -1 || i - 1 < best) best = i - 1;
    if (best === 0) break;
    ANY_PHRASE.lastIndex = m.index + 1;
  }
  return best === -1 ? undefined : (TRANSACTIONAL_PHRASES[best]!.exec(text) ?? undefined);
}

export function classify(req: LintRequest, model: TemplateModel | undefined, directives: readonly Directive[], declared?: Located<Category>): CategoryDecision {
  const d = categoryDirective(directives);
  if (d?.category) return { category: d.category, signal: 'directive', detail: 'deliverlint-category' };
  if (req.categoryDecision) return req.categoryDecision;
  const { config, filePath } = req;
  if (filePath) {
    const t = matchingGlob(filePath, config.transactional, config.root);
    if (t) return { category: 'transactional', signal: 'config', detail: t };
    const m = matchingGlob(filePath, config.marketing, config.root);
    if (m) return { category: 'marketing', signal: 'config', detail: m };
  }
  if (declared) return { category: declared.value, signal: 'send-config', detail: `category: ${declared.value}` };
  if (req.categoryHint) return { category: req.categoryHint.category, signal: 'send-config', detail: req.categoryHint.detail };
  const named = filePath ? categoryByName(filePath) : undefined;
  if (named) return named;
  // The code that sends it: the mailer class, its method, the subject it sets.
  const sender = filePath && model ? mailerSource(filePath, req.reader) : undefined;
  const bySender = sender && categoryBySender(sender);
  if (bySender) return bySender;
  if (!model) return { category: 'marketing', signal: 'default' };
  const opening = `${model.title ?? ''} ${model.bodyText.slice(0, OPENING_CHARS)}`;
  const m = transactionalPhrase(opening);
  if (m) return { category: 'transactional', signal: 'heuristic', detail: m[0].trim() };
  return { category: 'marketing', signal: 'default' };
}

// What a template's or its mailer folder's name says it is for. Names are split into lower-case
// words (ShippingNotify, order_shipped, password-reset -> shipping notify, order shipped ...) and
// looked up in these lists, the transactional one first: "campaign-status" is a status report.
const TRANSACTIONAL_WORDS = new Set([
  'password', 'passwort', 'forgot', 'reset', 'verify', 'verification', 'confirm', 'confirmation', 'activate', 'activation',
  'receipt', 'invoice', 'order', 'orders', 'shipped', 'shipping', 'shipment', 'carton', 'dispatch', 'refund', 'reimbursement', 'return', 'payment',
  'registration', 'entry', 'signup', 'inquiry', 'enquiry', 'withdraw', 'unregister', 'reservation', 'booking',
  'otp', '2fa', 'mfa', 'login', 'signin', 'magic', 'invite', 'invitation', 'notify', 'notification', 'notifications', 'alert', 'status', 'optin', 'unlock', 'smtp',
]);
const MARKETING_WORDS = new Set(['newsletter', 'newsletters', 'mailmagazine', 'magazine', 'merumaga', 'campaign', 'campaigns', 'promotion', 'promotions', 'promo', 'digest', 'onboarding', 'drip', 'announcement', 'sale', 'offer', 'offers', 'coupon']);
const JAPANESE_NAME = /(発送|出荷|注文|会員登録|仮登録|本登録|受付|お問い合わせ|問合せ|変更|パスワード|退会|予約)|(メルマガ|メールマガジン|ニュースレター|キャンペーン)/;

/** The words of a file or folder name: camelCase and separators split, lower case, extensions off. */
function nameWords(name: string): string[] {
  const stem = name.replace(/\..*$/, '');
  return stem
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

// A person's own data sent at their request (subscriber-data, account_data_export): the GDPR
// access request's answer, never marketing. "data" alone names too much to count.
const DATA_OWNER_WORDS = new Set(['subscriber', 'user', 'account', 'member', 'customer', 'personal', 'export', 'request', 'my', 'your']);
function isDataRequest(words: readonly string[]): boolean {
  return words.includes('data') && words.some((w) => DATA_OWNER_WORDS.has(w));
}

/** Transactional or marketing from the file's name, or the name of the folder it sits in. */
export function categoryByName(filePath: string): CategoryDecision | undefined {
  const segments = filePath.split(/[\\/]/).filter(Boolean);
  // The file, then its folder (user_mailer/, Mail/ReservationReminder/); generic names say nothing.
  for (const name of segments.slice(-2).reverse()) {
    const ja = JAPANESE_NAME.exec(name);
    if (ja) return { category: ja[1] ? 'transactional' : 'marketing', signal: 'name', detail: name };
    const words = nameWords(name).slice(0, 12);
    if (words.some((w) => TRANSACTIONAL_WORDS.has(w)) || isDataRequest(words)) return { category: 'transactional', signal: 'name', detail: name };
    if (words.some((w) => MARKETING_WORDS.has(w))) return { category: 'marketing', signal: 'name', detail: name };
  }
  return undefined;
}

/** Transactional or marketing from what the sending code is called and the subject it sets. */
export function categoryBySender(sender: MailerSource): CategoryDecision | undefined {
  for (const name of sender.names) {
    const words = nameWords(name).slice(0, 12);
    if (words.some((w) => TRANSACTIONAL_WORDS.has(w)) || isDataRequest(words)) return { category: 'transactional', signal: 'mailer', detail: sender.label };
    if (words.some((w) => MARKETING_WORDS.has(w))) return { category: 'marketing', signal: 'mailer', detail: sender.label };
  }
  if (sender.subject) {
    const m = transactionalPhrase(sender.subject);
    if (m) return { category: 'transactional', signal: 'mailer', detail: `${sender.label}, subject "${sender.subject}"` };
  }
  return undefined;
}

/** One sentence saying which signal classified the file, so a wrong guess is easy to correct. */
export function describeCategory(d: CategoryDecision, locale: Locale): string {
  const detail = d.detail ?? '';
  const category = term(`category.${d.category}`, d.category, locale);
  switch (d.signal) {
    case 'directive':
      return interpolate(term('category.directive', 'Classified as {category} by a deliverlint-category comment.', locale), { category });
    case 'config':
      return interpolate(term('category.config', 'Classified as {category} by the glob "{detail}" in the configuration.', locale), { category, detail });
    case 'send-config':
      return interpolate(term('category.sendConfig', 'Classified as {category} by the send configuration {detail}.', locale), { category, detail });
    case 'name':
      return interpolate(term('category.name', 'Classified as {category} by the name "{detail}"; add <!-- deliverlint-category marketing --> (or transactional) if that is wrong.', locale), { category, detail });
    case 'mailer':
      return interpolate(term('category.mailer', 'Classified as {category} by the code that sends it, {detail}; add <!-- deliverlint-category marketing --> (or transactional) if that is wrong.', locale), { category, detail });
    case 'heuristic':
      return interpolate(term('category.heuristic', 'Classified as {category} because the content says "{detail}"; add <!-- deliverlint-category marketing --> if that is wrong.', locale), { category, detail });
    default:
      if (d.detail === 'no-comments') {
        return term('category.defaultNoComments', 'Classified as marketing by default; list transactional sends in the "transactional" globs of the configuration.', locale);
      }
      return term('category.default', 'Classified as marketing by default; mark transactional mail with <!-- deliverlint-category transactional --> or the "transactional" globs.', locale);
  }
}

/** Reasons shown in a message, at most (the hover and --explain list them all). */
const MAX_MESSAGE_REASONS = 3;

/**
 * Why a whole-message finding applies: what the file was taken for and why, then its category and
 * why ("Judged an email because it has layout tables; it has a mail folder. Classified as marketing
 * by the name ..."), so a wrong guess shows where it came from and how to correct it.
 */
export function describeJudgement(d: CategoryDecision, role: RoleDecision | undefined, locale: Locale): string {
  const category = describeCategory(d, locale);
  if (!role || (role.role !== 'email' && role.role !== 'undecided')) return category;
  const all = roleReasons(role, locale);
  const shown = all.slice(0, MAX_MESSAGE_REASONS).join(locale === 'ja' ? '、' : '; ') + (all.length > MAX_MESSAGE_REASONS ? (locale === 'ja' ? ' ほか' : ' ...') : '');
  const judged =
    role.role === 'email'
      ? interpolate(term('judgement.email', 'Judged an email because {reasons}.', locale), { reasons: shown })
      : interpolate(term('judgement.undecided', 'Could not tell an email from a web page: {reasons}.', locale), { reasons: shown });
  return `${judged} ${category}`;
}
