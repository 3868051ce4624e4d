import { describeJudgement } from '../core/classify';
import { findPostalAddress } from '../core/detect/address';
import { hasUnsubscribeToken, isUnsubscribeWording, unsubscribeSignal } from '../core/detect/unsubscribe';
import { term } from '../core/messages';
import type { Rule } from '../core/rule';

// 特定電子メール法 第4条 and 施行規則 第9条: the mail must show the sender's name, that the recipient
// may refuse further mail and where, the sender's address, and a contact for complaints and questions.
const NAME_PATTERN =
  /株式会社|（株）|\(株\)|有限会社|合同会社|合資会社|一般(?:社団|財団)法人|特定非営利活動法人|送信者|発行者|発行元|配信元|運営会社|運営者|\b(?:Inc|Corp|Corporation|LLC|Ltd|Limited|GmbH|K\.K\.|Co\.,?\s?Ltd)\b|\{\{\{?\s*(?:company|organization|sender)[_.]?name\s*\}?\}\}|\*\|\s*LIST:COMPANY\s*\|\*|\{\{\{?\s*Sender_Name\s*\}?\}\}/i;
const CONTACT_WORDS = /お問い?合わ?せ|問合せ|苦情|ご意見|連絡先|窓口|サポート|\bcontact\b|\bsupport\b|\binquir|\bTEL\b|電話|\{\{\{?\s*(?:support|contact)[_.]?\w*\s*\}?\}\}/i;
const EMAIL_ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/i;
/**
 * Words or an address that show a contact. The address pattern backtracks through every word of a
 * text, so it only runs on text that has an @ (profiled: 4% of linting a 1 MB template that has none).
 */
const showsContact = (s: string) => CONTACT_WORDS.test(s) || (s.includes('@') && EMAIL_ADDRESS.test(s));

// Kana are Japanese only (kanji are shared with Chinese): a mail with a few dozen of them in its
// opening is written in Japanese.
const KANA = /[\u3041-\u3096\u30a1-\u30fa]/g;
const MIN_KANA = 20;

export function isJapanese(text: string): boolean {
  const head = text.length > 4000 ? text.slice(0, 4000) : text;
  let n = 0;
  KANA.lastIndex = 0;
  while (KANA.exec(head)) if (++n >= MIN_KANA) return true;
  return false;
}

export const rule: Rule = {
  meta: {
    id: 'sender-identity-missing',
    description: 'Under the Japanese profile, the footer must show what 特定電子メール法 requires of a sender.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'error',
    group: 'compliance',
    fixable: false,
    marketingOnly: true,
    wholeMessage: true,
    messages: {
      missing:
        'The Act on Regulation of Transmission of Specified Electronic Mail (特定電子メール法) requires the footer to show: {missing}. {category}',
      missingInJapanese:
        'The Act on Regulation of Transmission of Specified Electronic Mail (特定電子メール法) requires the footer to show: {missing}. Checked because this marketing mail is written in Japanese; set "jurisdictions" in the configuration to choose the laws that apply. {category}',
    },
  },
  check(ctx) {
    const { model, config } = ctx;
    if (ctx.composition.unresolved.length) return;
    const text = ctx.included.text ? `${model.bodyText}\n${ctx.included.text}` : model.bodyText;
    // With no jurisdictions chosen, Japanese-language mail is taken to go to people in Japan.
    const inferred = !config.jurisdictions.includes('jp') && !config.jurisdictionsSet && isJapanese(text);
    if (!config.jurisdictions.includes('jp') && !inferred) return;
    const links = [...model.links, ...ctx.included.links];
    const missing: string[] = [];

    const name = config.sender.name;
    if (!(name && text.includes(name)) && !NAME_PATTERN.test(text)) {
      missing.push(term('jp.name', 'the sender\'s name (送信者の氏名又は名称)', ctx.locale));
    }
    const unsubscribeLinks = links.filter((l) => unsubscribeSignal(l, model.text) !== undefined);
    const hasWhere = unsubscribeLinks.length > 0 || hasUnsubscribeToken(model.text);
    // The few unsubscribe links first: the body text can be hundreds of kilobytes.
    const hasNotice = unsubscribeLinks.some((l) => isUnsubscribeWording(`${l.text} ${l.labels}`)) || isUnsubscribeWording(text);
    if (!hasWhere || !hasNotice) {
      missing.push(term('jp.optout', 'a notice that the recipient can refuse further mail, with where to do it (受信拒否の通知先)', ctx.locale));
    }
    if (!findPostalAddress(model, config.sender, ctx.included.text)) {
      missing.push(term('jp.address', 'the sender\'s address (送信者の住所)', ctx.locale));
    }
    // Cheapest evidence first; the link texts are only read when nothing else shows a contact.
    const contactLink = () => links.some((l) => /^mailto:|^tel:/i.test(l.href ?? '') || showsContact(l.text));
    if (!(config.sender.contact && text.includes(config.sender.contact)) && !contactLink() && !showsContact(text)) {
      missing.push(term('jp.contact', 'a contact for complaints and questions (苦情・問合せ先)', ctx.locale));
    }
    if (!missing.length) return;
    ctx.report({
      messageId: inferred ? 'missingInJapanese' : 'missing',
      start: model.body?.tagStart ?? 0,
      end: model.body?.tagEnd ?? 0,
      data: { missing: missing.join(ctx.locale === 'ja' ? '、' : '; '), category: describeJudgement(ctx.category, ctx.composition.role, ctx.locale) },
    });
  },
};
