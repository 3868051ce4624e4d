// Realistic benchmark inputs, generated at bench time (never committed): marketing HTML emails as
// ESP template builders and hand-coders write them (nested layout tables, inline styles on every
// cell, Outlook conditional comments with VML buttons, merge tags of the ESP), MJML templates,
// and the send configurations that point at them (SES v2 and SendGrid v3 payloads, campaign
// files, raw .eml messages). Deterministic: a seeded generator, so every run lints the same bytes.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const WORDS =
  'trail summit ridge alpine weatherproof merino layer insulated breathable waterproof lightweight packable durable recycled organic cotton wool down fleece shell jacket boot sneaker sandal pack duffel tent stove lantern bottle mug season collection arrivals favourites bestsellers members weekend adventure journey explore discover outdoors morning evening coffee roast blend origin harvest flavour notes chocolate citrus berry caramel subscription delivery shipping returns exchange warranty repair guide story journal community event workshop'.split(
    ' ',
  );
const JA_SENTENCES = [
  '秋の新作コレクションが入荷しました。',
  '会員様限定で送料無料キャンペーンを実施中です。',
  '今週末までのお得なセール情報をお届けします。',
  '人気のアウトドアギアを特別価格でご用意しました。',
  'ご不明な点はカスタマーサポートまでお問い合わせください。',
];
const CITIES = [
  ['2200 Alder Street', 'Eugene, OR 97405'],
  ['500 Pier Street, Suite 300', 'Portland, OR 97209'],
  ['1600 Harbor Blvd', 'Oakland, CA 94607'],
  ['77 Market Square', 'Boston, MA 02109'],
] as const;

function sentence(r: Rand, words = int(r, 8, 18)): string {
  const w: string[] = [];
  for (let i = 0; i < words; i++) w.push(pick(r, WORDS));
  const s = w.join(' ');
  return s[0]!.toUpperCase() + s.slice(1) + '.';
}

function paragraph(r: Rand, sentences = int(r, 2, 4)): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(r));
  return out.join(' ');
}

export type Esp = 'sendgrid' | 'mailchimp' | 'ses' | 'klaviyo';

interface Tags {
  first: string;
  unsubscribe: string;
  preferences: string;
  ifMember: [string, string];
  address: string | undefined;
}

const TAGS: Record<Esp, Tags> = {
  sendgrid: {
    first: '{{first_name}}',
    unsubscribe: '<%asm_group_unsubscribe_raw_url%>',
    preferences: '<%asm_preferences_raw_url%>',
    ifMember: ['{{#if member}}', '{{/if}}'],
    address: undefined,
  },
  mailchimp: { first: '*|FNAME|*', unsubscribe: '*|UNSUB|*', preferences: '*|UPDATE_PROFILE|*', ifMember: ['*|IF:MEMBER|*', '*|END:IF|*'], address: '*|LIST:ADDRESSLINE|*' },
  ses: { first: '{{first_name}}', unsubscribe: '{{amazonSESUnsubscribeUrl}}', preferences: 'https://trailhead.example.com/preferences?u={{user_id}}', ifMember: ['{{#if member}}', '{{/if}}'], address: undefined },
  klaviyo: {
    first: "{{ first_name|default:'there' }}",
    unsubscribe: '{% unsubscribe_url %}',
    preferences: '{% manage_preferences_url %}',
    ifMember: ["{% if person|lookup:'member' %}", '{% endif %}'],
    address: '{{ organization.full_address }}',
  },
};

export interface TemplateOptions {
  /** Approximate size of the result in bytes. */
  bytes: number;
  esp?: Esp;
  seed?: number;
  /** Japanese marketing mail (特定電子メール法 footer). */
  japanese?: boolean;
  /** Leave the unsubscribe link out (a real problem the linter must find). */
  withoutUnsubscribe?: boolean;
  /** An http: preferences link and a half-typed merge tag (findings). */
  withProblems?: boolean;
}

const FONT = "font-family:'Helvetica Neue',Helvetica,Arial,sans-serif";

/** A VML "bulletproof" button for Outlook, with the HTML button for everyone else. */
function button(href: string, label: string, color: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:16px 0;">
                  <tr>
                    <td align="center" bgcolor="${color}" style="border-radius:4px;">
                      <!--[if mso]>
                      <v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w="urn:schemas-microsoft-com:office:word" href="${href}" style="height:44px;v-text-anchor:middle;width:220px;" arcsize="10%" strokecolor="${color}" fillcolor="${color}">
                        <w:anchorlock/>
                        <center style="color:#ffffff;${FONT};font-size:16px;font-weight:bold;">${label}</center>
                      </v:roundrect>
                      <![endif]-->
                      <!--[if !mso]><!-- -->
                      <a href="${href}" target="_blank" style="display:inline-block;padding:12px 28px;${FONT};font-size:16px;font-weight:bold;line-height:20px;color:#ffffff;text-decoration:none;border-radius:4px;background-color:${color};">${label}</a>
                      <!--<![endif]-->
                    </td>
                  </tr>
                </table>`;
}

function productCell(r: Rand, t: Tags, n: number, utm: string): string {
  const name = `${pick(r, WORDS)} ${pick(r, WORDS)}`.replace(/^./, (c) => c.toUpperCase());
  const price = (int(r, 1500, 29900) / 100).toFixed(2);
  const href = `https://trailhead.example.com/p/${n}-${name.replace(/\s+/g, '-').toLowerCase()}?${utm}&amp;pos=${n}`;
  return `<td class="stack" width="50%" valign="top" style="padding:8px;">
              <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#ffffff;border:1px solid #e3e6e8;border-radius:6px;">
                <tr>
                  <td style="padding:0;">
                    <a href="${href}" target="_blank"><img src="https://cdn.trailhead.example.com/email/products/${n}.jpg" width="268" height="268" alt="${name}" style="display:block;width:100%;max-width:268px;height:auto;border:0;border-radius:6px 6px 0 0;"></a>
                  </td>
                </tr>
                <tr>
                  <td style="padding:12px 16px 4px 16px;${FONT};font-size:16px;line-height:22px;font-weight:bold;color:#1f2d1a;">${name}</td>
                </tr>
                <tr>
                  <td style="padding:0 16px;${FONT};font-size:14px;line-height:20px;color:#5b6770;">${sentence(r, int(r, 6, 12))}</td>
                </tr>
                <tr>
                  <td style="padding:8px 16px 16px 16px;${FONT};font-size:15px;line-height:20px;color:#1f2d1a;">
                    <span style="font-weight:bold;">$${price}</span>
                    ${t.ifMember[0]}<span style="color:#2f6b2f;"> &middot; members $${(Number(price) * 0.9).toFixed(2)}</span>${t.ifMember[1]}
                    <br><a href="${href}" target="_blank" style="color:#2f6b2f;text-decoration:underline;">Shop now &rsaquo;</a>
                  </td>
                </tr>
              </table>
            </td>`;
}

function productRow(r: Rand, t: Tags, n: number, utm: string): string {
  return `
        <!-- products ${n} -->
        <tr>
          <td style="padding:8px 16px;background-color:#f7f8f6;">
            <!--[if mso]><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td width="50%" valign="top"><![endif]-->
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
              <tr>
            ${productCell(r, t, n, utm)}
            <!--[if mso]></td><td width="50%" valign="top"><![endif]-->
            ${productCell(r, t, n + 1, utm)}
              </tr>
            </table>
            <!--[if mso]></td></tr></table><![endif]-->
          </td>
        </tr>`;
}

function articleRow(r: Rand, t: Tags, n: number, utm: string, japanese: boolean): string {
  const body = japanese ? `${pick(r, JA_SENTENCES)}${pick(r, JA_SENTENCES)} ${paragraph(r, 1)}` : `${t.first}, ${paragraph(r)}`;
  return `
        <tr>
          <td style="padding:24px 32px;background-color:#ffffff;">
            <h2 style="margin:0 0 12px 0;${FONT};font-size:22px;line-height:28px;color:#1f2d1a;">${sentence(r, int(r, 3, 7)).replace(/\.$/, '')}</h2>
            <p style="margin:0 0 12px 0;${FONT};font-size:16px;line-height:24px;color:#333333;">${body}</p>
            <p style="margin:0;${FONT};font-size:16px;line-height:24px;color:#333333;">${paragraph(r, int(r, 1, 3))} <a href="https://trailhead.example.com/journal/${n}?${utm}" target="_blank" style="color:#2f6b2f;">Read the story</a>.</p>
          </td>
        </tr>`;
}

function footer(r: Rand, esp: Esp, t: Tags, opts: TemplateOptions): string {
  const [street, city] = pick(r, CITIES);
  const address = t.address && r() < 0.5 ? t.address : `Trailhead Supply Co., ${street}, ${city}`;
  const unsub = opts.withoutUnsubscribe ? '' : ` &middot; <a href="${t.unsubscribe}" target="_blank" style="color:#6b7780;text-decoration:underline;">${opts.japanese ? '配信停止' : 'Unsubscribe'}</a>`;
  const prefs = opts.withProblems ? 'http://trailhead.example.com/preferences' : t.preferences;
  const jp = opts.japanese
    ? `<p style="margin:0 0 8px 0;">送信者: 株式会社トレイルヘッド 〒150-0002 東京都渋谷区渋谷2-21-1 お問い合わせ: support@trailhead.example.jp</p>`
    : '';
  return `
        <!-- footer -->
        <tr>
          <td align="center" style="padding:24px 32px;background-color:#1f2d1a;">
            <table role="presentation" cellpadding="0" cellspacing="0" border="0">
              <tr>
                ${['instagram', 'facebook', 'youtube', 'pinterest']
                  .map((s) => `<td style="padding:0 6px;"><a href="https://www.${s}.com/trailheadsupply" target="_blank"><img src="https://cdn.trailhead.example.com/email/icons/${s}.png" width="28" height="28" alt="${s}" style="display:block;border:0;"></a></td>`)
                  .join('\n                ')}
              </tr>
            </table>
          </td>
        </tr>
        <tr>
          <td style="padding:24px 32px;${FONT};font-size:12px;line-height:18px;color:#6b7780;text-align:center;background-color:#f2f4f6;">
            ${jp}<p style="margin:0 0 8px 0;">You are receiving this email because you signed up at trailhead.example.com or bought from us. ${esp === 'mailchimp' ? '*|LIST:DESCRIPTION|*' : ''}</p>
            <p style="margin:0 0 8px 0;">${address}</p>
            <p style="margin:0;"><a href="${prefs}" target="_blank" style="color:#6b7780;text-decoration:underline;">Email preferences</a>${unsub} &middot; <a href="https://trailhead.example.com/privacy" target="_blank" style="color:#6b7780;text-decoration:underline;">Privacy</a></p>
          </td>
        </tr>`;
}

/** An HTML marketing email of about `opts.bytes` bytes. */
export function htmlTemplate(opts: TemplateOptions): string {
  const r = rng(opts.seed ?? 1);
  const esp = opts.esp ?? 'sendgrid';
  const t = TAGS[esp];
  const campaign = `${pick(r, ['spring', 'summer', 'autumn', 'winter'])}-${pick(r, WORDS)}-${int(r, 1, 52)}`;
  const utm = `utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=${campaign}`;
  const lang = opts.japanese ? 'ja' : 'en';
  const head = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" lang="${lang}">
<head>
  <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <meta http-equiv="X-UA-Compatible" content="IE=edge">
  <meta name="x-apple-disable-message-reformatting">
  <title>${opts.japanese ? '秋の新作コレクション' : sentence(r, 5).replace(/\.$/, '')}</title>
  <!--[if mso]>
  <noscript><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml></noscript>
  <style>table, td, p, a, h1, h2 { font-family: Arial, sans-serif !important; }</style>
  <![endif]-->
  <style type="text/css">
    body { margin:0 !important; padding:0 !important; -webkit-text-size-adjust:100%; -ms-text-size-adjust:100%; }
    table, td { border-collapse:collapse; mso-table-lspace:0pt; mso-table-rspace:0pt; }
    img { border:0; height:auto; line-height:100%; outline:none; text-decoration:none; -ms-interpolation-mode:bicubic; }
    a[x-apple-data-detectors] { color:inherit !important; text-decoration:none !important; }
    @media only screen and (max-width:620px) {
      .stack { display:block !important; width:100% !important; max-width:100% !important; }
      .hide-mobile { display:none !important; max-height:0 !important; overflow:hidden !important; }
      .pad-mobile { padding-left:16px !important; padding-right:16px !important; }
    }
  </style>
</head>
<body style="margin:0;padding:0;background-color:#f2f4f6;">
  <div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;">${t.first}, ${sentence(r, 10)}&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;</div>
  <center style="width:100%;background-color:#f2f4f6;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f2f4f6;">
    <tr>
      <td align="center" style="padding:24px 12px;">
      <!--[if mso]><table role="presentation" align="center" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
      <table role="presentation" class="container" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;margin:0 auto;">
        <tr>
          <td class="pad-mobile" style="padding:16px 32px;background-color:#ffffff;">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
              <tr>
                <td width="50%" valign="middle"><a href="https://trailhead.example.com/?${utm}" target="_blank"><img src="https://cdn.trailhead.example.com/email/logo.png" width="160" height="40" alt="Trailhead Supply Co." style="display:block;border:0;"></a></td>
                <td width="50%" valign="middle" align="right" class="hide-mobile" style="${FONT};font-size:13px;color:#5b6770;">
                  <a href="https://trailhead.example.com/new?${utm}" style="color:#5b6770;text-decoration:none;">New</a> &nbsp;|&nbsp;
                  <a href="https://trailhead.example.com/sale?${utm}" style="color:#5b6770;text-decoration:none;">Sale</a> &nbsp;|&nbsp;
                  <a href="https://trailhead.example.com/account?${utm}" style="color:#5b6770;text-decoration:none;">Account</a>
                </td>
              </tr>
            </table>
          </td>
        </tr>
        <tr>
          <td style="padding:0;background-color:#ffffff;">
            <a href="https://trailhead.example.com/${campaign}?${utm}" target="_blank"><img src="https://cdn.trailhead.example.com/email/${campaign}/hero.jpg" width="600" height="320" alt="${sentence(r, 6)}" style="display:block;width:100%;max-width:600px;height:auto;border:0;"></a>
          </td>
        </tr>
        <tr>
          <td class="pad-mobile" style="padding:32px 32px 8px 32px;background-color:#ffffff;">
            <h1 style="margin:0 0 16px 0;${FONT};font-size:28px;line-height:34px;color:#1f2d1a;">${t.first}, ${sentence(r, 6).toLowerCase()}</h1>
            <p style="margin:0;${FONT};font-size:16px;line-height:24px;color:#333333;">${opts.japanese ? pick(r, JA_SENTENCES) : paragraph(r)}${opts.withProblems ? ' Use code {{ promo_code at checkout.' : ''}</p>
            ${button(`https://trailhead.example.com/${campaign}?${utm}`, opts.japanese ? '今すぐチェック' : 'Shop the collection', '#2f6b2f')}
          </td>
        </tr>`;
  const foot = footer(r, esp, t, opts);
  const tail = `
      </table>
      <!--[if mso]></td></tr></table><![endif]-->
      </td>
    </tr>
  </table>
  </center>
</body>
</html>
`;
  const parts: string[] = [head];
  let size = head.length + foot.length + tail.length;
  let n = 1;
  // Product rows and stories alternate until the size is reached.
  while (size < opts.bytes) {
    const block = n % 3 === 0 ? articleRow(r, t, n, utm, !!opts.japanese) : productRow(r, t, n, utm);
    parts.push(block);
    size += Buffer.byteLength(block);
    n += 2;
  }
  parts.push(foot, tail);
  return parts.join('');
}

/** An MJML template of about `bytes` bytes: sections of columns, images, text, buttons, a social footer. */
export function mjmlTemplate(bytes: number, seed = 7): string {
  const r = rng(seed);
  const head = `<mjml lang="en">
  <mj-head>
    <mj-title>${sentence(r, 5).replace(/\.$/, '')}</mj-title>
    <mj-preview>{{first_name}}, ${sentence(r, 9)}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="16px" line-height="24px" color="#333333" />
      <mj-button background-color="#2f6b2f" color="#ffffff" border-radius="4px" font-size="16px" />
      <mj-class name="muted" color="#6b7780" font-size="12px" line-height="18px" />
    </mj-attributes>
    <mj-style inline="inline">
      .product-name { font-weight: bold; color: #1f2d1a; }
      a { color: #2f6b2f; }
    </mj-style>
    <mj-breakpoint width="480px" />
  </mj-head>
  <mj-body background-color="#f2f4f6" width="600px">
    <mj-section background-color="#ffffff" padding="16px 24px">
      <mj-column width="50%">
        <mj-image src="https://cdn.trailhead.example.com/email/logo.png" alt="Trailhead Supply Co." width="160px" align="left" padding="0" href="https://trailhead.example.com" />
      </mj-column>
      <mj-column width="50%">
        <mj-text align="right" font-size="13px" padding="8px 0"><a href="https://trailhead.example.com/new">New</a> | <a href="https://trailhead.example.com/sale">Sale</a></mj-text>
      </mj-column>
    </mj-section>
    <mj-hero mode="fixed-height" height="320px" background-width="600px" background-height="320px" background-url="https://cdn.trailhead.example.com/email/hero.jpg" padding="40px 24px">
      <mj-text color="#ffffff" font-size="30px" line-height="36px" align="center">{{first_name}}, ${sentence(r, 5).toLowerCase()}</mj-text>
      <mj-button href="https://trailhead.example.com/collection?utm_source=email">Shop the collection</mj-button>
    </mj-hero>`;
  const foot = `
    <mj-section background-color="#1f2d1a" padding="24px">
      <mj-column>
        <mj-social font-size="13px" icon-size="28px" mode="horizontal" align="center">
          <mj-social-element name="instagram" href="https://www.instagram.com/trailheadsupply">Instagram</mj-social-element>
          <mj-social-element name="facebook" href="https://www.facebook.com/trailheadsupply">Facebook</mj-social-element>
          <mj-social-element name="youtube" href="https://www.youtube.com/trailheadsupply">YouTube</mj-social-element>
        </mj-social>
      </mj-column>
    </mj-section>
    <mj-section padding="24px">
      <mj-column>
        <mj-text mj-class="muted" align="center">Trailhead Supply Co., 2200 Alder Street, Eugene, OR 97405</mj-text>
        <mj-text mj-class="muted" align="center"><a href="https://trailhead.example.com/preferences">Email preferences</a> · <a href="<%asm_group_unsubscribe_raw_url%>">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;
  const parts = [head];
  let size = head.length + foot.length;
  let n = 1;
  while (size < bytes) {
    const cols = [n, n + 1]
      .map(
        (i) => `
      <mj-column width="50%" padding="8px">
        <mj-image src="https://cdn.trailhead.example.com/email/products/${i}.jpg" alt="${pick(r, WORDS)} ${pick(r, WORDS)}" href="https://trailhead.example.com/p/${i}?utm_source=email" border-radius="6px" />
        <mj-text css-class="product-name" padding="8px 8px 0 8px">${pick(r, WORDS)} ${pick(r, WORDS)}</mj-text>
        <mj-text font-size="14px" color="#5b6770" padding="4px 8px">${sentence(r, int(r, 6, 12))} {{#if member}}Members save 10%.{{/if}}</mj-text>
        <mj-button href="https://trailhead.example.com/p/${i}?utm_source=email" align="left" padding="8px">Shop now</mj-button>
      </mj-column>`,
      )
      .join('');
    const block =
      n % 3 === 0
        ? `
    <mj-section background-color="#ffffff" padding="24px 32px">
      <mj-column>
        <mj-text font-size="22px" line-height="28px" color="#1f2d1a">${sentence(r, 5).replace(/\.$/, '')}</mj-text>
        <mj-text>{{first_name}}, ${paragraph(r)}</mj-text>
        <mj-divider border-color="#e3e6e8" border-width="1px" />
      </mj-column>
    </mj-section>`
        : `
    <mj-section background-color="#f7f8f6" padding="8px 16px">${cols}
    </mj-section>`;
    parts.push(block);
    size += Buffer.byteLength(block);
    n += 2;
  }
  parts.push(foot);
  return parts.join('');
}

// ---- send configurations -----------------------------------------------------------------------

const CONSENT = {
  basis: 'express',
  source: 'https://trailhead.example.com/signup',
  collectedAt: '2025-09-14',
  method: 'double-opt-in',
  proofRef: 'consent-log/2025/09/14/8f3a9c2e',
};

function sesPayload(r: Rand, html: string, n: number): string {
  const flavour = r();
  const tags = [
    { Name: 'campaign', Value: `digest-${n}` },
    ...Object.entries(CONSENT).map(([k, v]) => ({ Name: `consent_${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`, Value: v.replace(/[^\w.-]/g, '_') })),
  ];
  if (flavour < 0.2) {
    // SendBulkEmail with a stored template.
    return JSON.stringify(
      {
        FromEmailAddress: 'Trailhead Supply Co. <news@trailhead.example.com>',
        ReplyToAddresses: ['help@trailhead.example.com'],
        DefaultContent: { Template: { TemplateName: `digest-${n}`, TemplateData: JSON.stringify({ first_name: 'there' }) } },
        BulkEmailEntries: Array.from({ length: int(r, 3, 12) }, (_, i) => ({
          Destination: { ToAddresses: [`reader${n}-${i}@example.net`] },
          ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify({ first_name: pick(r, ['Sam', 'Riley', 'Kei', 'Ana', 'Noor']) }) } },
        })),
        ConfigurationSetName: 'marketing',
        ListManagementOptions: { ContactListName: 'newsletter', TopicName: 'weekly-digest' },
        DefaultEmailTags: tags,
      },
      null,
      2,
    );
  }
  return JSON.stringify(
    {
      FromEmailAddress: 'Trailhead Supply Co. <news@trailhead.example.com>',
      Destination: { ToAddresses: [`reader${n}@example.net`] },
      ReplyToAddresses: ['help@trailhead.example.com'],
      FeedbackForwardingEmailAddress: 'bounces@trailhead.example.com',
      Content: {
        Simple: {
          Subject: { Data: `The Trailhead journal, issue ${n}`, Charset: 'UTF-8' },
          Body: {
            Html: { Data: html, Charset: 'UTF-8' },
            Text: { Data: `${paragraph(r)}\n\nUnsubscribe: {{amazonSESUnsubscribeUrl}}\nTrailhead Supply Co., 2200 Alder Street, Eugene, OR 97405`, Charset: 'UTF-8' },
          },
          Headers: flavour < 0.6 ? [{ Name: 'X-Campaign', Value: `digest-${n}` }] : undefined,
        },
      },
      ListManagementOptions: { ContactListName: 'newsletter', TopicName: 'weekly-digest' },
      ConfigurationSetName: 'marketing',
      EmailTags: tags,
    },
    null,
    2,
  );
}

function sendgridPayload(r: Rand, html: string, n: number): string {
  return JSON.stringify(
    {
      personalizations: Array.from({ length: int(r, 1, 6) }, (_, i) => ({
        to: [{ email: `reader${n}-${i}@example.net`, name: pick(r, ['Sam Ortiz', 'Riley Chen', 'Kei Tanaka', 'Ana Silva']) }],
        dynamic_template_data: { first_name: pick(r, ['Sam', 'Riley', 'Kei', 'Ana']), member: r() < 0.5 },
      })),
      from: { email: 'news@trailhead.example.com', name: 'Trailhead Supply Co.' },
      reply_to: { email: 'help@trailhead.example.com' },
      subject: `The Trailhead journal, issue ${n}`,
      content: [
        { type: 'text/plain', value: `${paragraph(r)}\n\nUnsubscribe: <%asm_group_unsubscribe_raw_url%>` },
        { type: 'text/html', value: html },
      ],
      asm: { group_id: 18211, groups_to_display: [18211, 18212] },
      categories: ['newsletter', `issue-${n}`],
      custom_args: { consent_basis: CONSENT.basis, consent_source: CONSENT.source, consent_collected_at: CONSENT.collectedAt, consent_method: CONSENT.method, consent_proof_ref: CONSENT.proofRef },
      tracking_settings: { click_tracking: { enable: true, enable_text: false }, open_tracking: { enable: true } },
      mail_settings: { bypass_list_management: { enable: false } },
    },
    null,
    2,
  );
}

function campaignFile(r: Rand, templateRel: string, n: number): string {
  const esp = pick(r, ['sendgrid', 'ses'] as const);
  return `# ${sentence(r, 6)} Reviewed by growth and legal before each send.
name: campaign-${n}
category: marketing
esp: ${esp}
from: "Trailhead Supply Co. <news@trailhead.example.com>"
replyTo: help@trailhead.example.com
mailFrom: em.trailhead.example.com
dkim:
  domain: trailhead.example.com
  selector: s${int(r, 1, 3)}
headers:
  List-Unsubscribe: "<https://trailhead.example.com/unsubscribe/one-click?c=campaign-${n}>, <mailto:unsubscribe@trailhead.example.com?subject=campaign-${n}>"
  List-Unsubscribe-Post: List-Unsubscribe=One-Click
template: ${templateRel}
jurisdictions: [us, ca]${esp === 'ses' ? '\nconfigurationSet: marketing' : ''}
sendAt: 2026-0${int(r, 1, 9)}-1${int(r, 0, 9)}T09:00:00-07:00
consent:
  basis: express
  source: ${CONSENT.source}
  collectedAt: ${CONSENT.collectedAt}
  method: ${CONSENT.method}
  proofRef: ${CONSENT.proofRef}
`;
}

/** Quoted-printable (RFC 2045) of UTF-8 text, soft line breaks at 76 columns. */
function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let cur = '';
    for (const byte of Buffer.from(line, 'utf8')) {
      const enc = byte === 61 || byte > 126 || (byte < 32 && byte !== 9) ? `=${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte);
      if (cur.length + enc.length > 75) {
        out.push(cur + '=');
        cur = '';
      }
      cur += enc;
    }
    out.push(cur);
  }
  return out.join('\r\n');
}

function emlMessage(r: Rand, html: string, n: number): string {
  const boundary = `----=_Part_${n}_${int(r, 1e8, 9e8)}.1714550400123`;
  const id = `0100018f2b7c${n.toString(16).padStart(4, '0')}-9a3f5e21-6c4b-4d8e-b1a7-3f9e2c5d8a10-000000`;
  const b64 = (len: number) => Buffer.from(Array.from({ length: len }, () => int(r, 0, 255))).toString('base64');
  const headers = [
    `Return-Path: <${id}@mail.trailhead.example.com>`,
    'Received: from a8-30.smtp-out.amazonses.com (a8-30.smtp-out.amazonses.com [54.240.8.30])',
    ' by mx.example.net with ESMTPS id 4VTq2Z3kXbz1x',
    ` for <reader${n}@example.net>; Wed, 01 May 2024 08:00:01 +0000 (UTC)`,
    'DKIM-Signature: v=1; a=rsa-sha256; q=dns/txt; c=relaxed/simple;',
    '\ts=k7r2m4xq5v6t3w8y9z1a2b3c4d5e6f7g; d=trailhead.example.com; t=1714550400;',
    '\th=From:To:Subject:MIME-Version:Content-Type:List-Unsubscribe:List-Unsubscribe-Post:Message-ID:Date;',
    `\tbh=${b64(32)};`,
    `\tb=${b64(256).replace(/(.{70})/g, '$1\r\n\t ')}`,
    'From: Trailhead Supply Co. <news@trailhead.example.com>',
    'Reply-To: "Trailhead Support" <help@trailhead.example.com>',
    `To: reader${n}@example.net`,
    `Subject: The Trailhead journal, issue ${n}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    `List-Unsubscribe: <https://trailhead.example.com/u/${id.slice(0, 12)}?list=journal>,`,
    ` <mailto:unsubscribe@trailhead.example.com?subject=unsubscribe-${n}>`,
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    `Message-ID: <${id}@email.amazonses.com>`,
    'Date: Wed, 1 May 2024 08:00:00 +0000',
    'Feedback-ID: 1.us-east-1.Qm5zT2x2cG9zZXZlcnl0aGluZw==:AmazonSES',
  ];
  return [
    ...headers,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(`${paragraph(r)}\n\nTrailhead Supply Co., 2200 Alder Street, Eugene, OR 97405\nUnsubscribe: https://trailhead.example.com/u/${n}`),
    '',
    `--${boundary}`,
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    quotedPrintable(html),
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

// ---- a workspace ---------------------------------------------------------------------------------

export interface WorkspaceSpec {
  templates: number;
  sendConfigs: number;
}

export interface WorkspaceInfo {
  root: string;
  files: number;
  bytes: number;
}

/** Template sizes: most between 13 and 31 KB, a tail of large digests (mean about 26 KB). */
function templateSize(r: Rand): number {
  const u = r();
  if (u < 0.15) return int(r, 6_000, 12_000);
  if (u < 0.85) return int(r, 13_000, 31_000);
  if (u < 0.97) return int(r, 36_000, 70_000);
  return int(r, 80_000, 140_000);
}

/**
 * A repository of email templates and the send configurations that use them, as a team that sends
 * through several ESPs keeps it: templates/<team>/<campaign>.html (and .mjml), sends/ with SES and
 * SendGrid payloads, campaign files and archived .eml messages, an rc file at the root.
 */
export function writeWorkspace(root: string, spec: WorkspaceSpec, seed = 42): WorkspaceInfo {
  const r = rng(seed);
  fs.rmSync(root, { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  const write = (rel: string, content: string) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    bytes += Buffer.byteLength(content);
    if (!rel.endsWith('.deliverlintrc.json')) files++;
  };
  write(
    '.deliverlintrc.json',
    JSON.stringify(
      {
        esp: 'sendgrid',
        jurisdictions: ['us', 'ca'],
        transactional: ['templates/transactional/**'],
        sender: { name: 'Trailhead Supply Co.', postalAddress: '2200 Alder Street, Eugene, OR 97405', contact: 'help@trailhead.example.com' },
        senderDomains: ['trailhead.example.com'],
      },
      null,
      2,
    ) + '\n',
  );
  const teams = ['lifecycle', 'newsletter', 'promotions', 'retention', 'product', 'jp', 'transactional'];
  const templatePaths: string[] = [];
  for (let i = 0; i < spec.templates; i++) {
    const team = teams[i % teams.length]!;
    const esp = pick(r, ['sendgrid', 'sendgrid', 'mailchimp', 'ses', 'klaviyo'] as const);
    // One in ten templates has a real problem; one in fifty has no unsubscribe link at all.
    const problem = r();
    const html = htmlTemplate({ bytes: templateSize(r), esp, seed: seed * 100_003 + i, japanese: team === 'jp', withProblems: problem < 0.1, withoutUnsubscribe: problem > 0.98 });
    const rel = `templates/${team}/${2020 + (i % 7)}/${pick(r, ['spring', 'summer', 'autumn', 'winter'])}-${i}.html`;
    write(rel, html);
    templatePaths.push(rel);
  }
  for (let i = 0; i < spec.sendConfigs; i++) {
    const kind = i % 10;
    const html = htmlTemplate({ bytes: int(r, 8_000, 30_000), esp: kind < 3 ? 'ses' : 'sendgrid', seed: seed * 7_919 + i });
    if (kind < 3) write(`sends/ses/${2024 + (i % 3)}/send-${i}.json`, sesPayload(r, html, i));
    else if (kind < 6) write(`sends/sendgrid/${2024 + (i % 3)}/send-${i}.json`, sendgridPayload(r, html, i));
    else if (kind < 8) {
      const target = templatePaths.length ? templatePaths[int(r, 0, templatePaths.length - 1)]! : undefined;
      write(`sends/campaigns/campaign-${i}.campaign.yaml`, campaignFile(r, target ? path.posix.relative('sends/campaigns', target) : '../../templates/missing.html', i));
    } else write(`sends/archive/${2024 + (i % 3)}/message-${i}.eml`, emlMessage(r, html, i));
  }
  return { root, files, bytes };
}

// ---- an MJML repository: templates that share partials through mj-include ------------------------

export interface MjmlCorpusSpec {
  templates: number;
}

interface MjmlBrand {
  slug: string;
  name: string;
  site: string;
  color: string;
  address: string;
  /** The ESP's merge tags, as the templates write them. */
  tags: Tags;
}

const MJML_BRANDS: MjmlBrand[] = [
  { slug: 'trailhead', name: 'Trailhead Supply Co.', site: 'https://trailhead.example.com', color: '#2f6b2f', address: 'Trailhead Supply Co., 2200 Alder Street, Eugene, OR 97405', tags: TAGS.sendgrid },
  { slug: 'roastery', name: 'Harbor Roastery', site: 'https://harbor-roastery.example.com', color: '#7a4a2a', address: 'Harbor Roastery, 1600 Harbor Blvd, Oakland, CA 94607', tags: TAGS.mailchimp },
  { slug: 'outfitters', name: 'Pier Street Outfitters', site: 'https://pierstreet.example.com', color: '#1d4f7a', address: 'Pier Street Outfitters, 500 Pier Street, Suite 300, Portland, OR 97209', tags: TAGS.klaviyo },
];

/** The brand's shared mj-head: attributes, classes, fonts, styles; included by every template. */
function mjmlHeadPartial(b: MjmlBrand): string {
  return `<mjml>
  <mj-head>
    <mj-font name="Source Sans Pro" href="https://fonts.googleapis.com/css?family=Source+Sans+Pro:400,700" />
    <mj-attributes>
      <mj-all font-family="'Source Sans Pro', Helvetica, Arial, sans-serif" />
      <mj-section background-color="#ffffff" padding="0px" />
      <mj-column padding="0px" />
      <mj-text font-size="16px" line-height="24px" color="#333333" padding="8px 24px" />
      <mj-button background-color="${b.color}" color="#ffffff" border-radius="4px" font-size="16px" font-weight="bold" inner-padding="12px 28px" />
      <mj-image padding="0px" border="0" />
      <mj-divider border-color="#e3e6e8" border-width="1px" padding="16px 24px" />
      <mj-class name="muted" color="#6b7780" font-size="12px" line-height="18px" />
      <mj-class name="headline" font-size="26px" line-height="32px" color="#1f2d1a" font-weight="bold" />
      <mj-class name="price" font-size="15px" color="#1f2d1a" font-weight="bold" padding="0px 24px" />
    </mj-attributes>
    <mj-style inline="inline">
      .product-name div { font-weight: bold !important; color: #1f2d1a !important; }
      .footer-links a { color: #6b7780; text-decoration: underline; }
    </mj-style>
    <mj-style>
      @media only screen and (max-width:480px) {
        .hide-mobile { display: none !important; }
        .stack-pad { padding: 0 12px !important; }
      }
    </mj-style>
    <mj-breakpoint width="480px" />
    <mj-raw>
      <meta name="x-apple-disable-message-reformatting" />
    </mj-raw>
  </mj-head>
</mjml>
`;
}

function mjmlHeaderPartial(b: MjmlBrand): string {
  return `<mj-section padding="16px 24px" css-class="header">
  <mj-group>
    <mj-column width="40%" vertical-align="middle">
      <mj-image src="https://cdn.${b.slug}.example.com/email/logo.png" alt="${b.name}" width="160px" align="left" href="${b.site}/?utm_source=email&amp;utm_medium=header" />
    </mj-column>
    <mj-column width="60%" vertical-align="middle" css-class="hide-mobile">
      <mj-text align="right" font-size="13px" padding="0px">
        <a href="${b.site}/new?utm_source=email" style="color:#5b6770;text-decoration:none;">New</a> &nbsp;|&nbsp;
        <a href="${b.site}/sale?utm_source=email" style="color:#5b6770;text-decoration:none;">Sale</a> &nbsp;|&nbsp;
        <a href="${b.site}/account?utm_source=email" style="color:#5b6770;text-decoration:none;">Account</a>
      </mj-text>
    </mj-column>
  </mj-group>
</mj-section>
`;
}

function mjmlSocialPartial(b: MjmlBrand): string {
  return `<mj-section background-color="#1f2d1a" padding="24px">
  <mj-column>
    <mj-social font-size="13px" icon-size="28px" mode="horizontal" align="center" color="#ffffff">
      <mj-social-element name="instagram" href="https://www.instagram.com/${b.slug}">Instagram</mj-social-element>
      <mj-social-element name="facebook" href="https://www.facebook.com/${b.slug}">Facebook</mj-social-element>
      <mj-social-element name="youtube" href="https://www.youtube.com/${b.slug}">YouTube</mj-social-element>
      <mj-social-element name="pinterest" href="https://www.pinterest.com/${b.slug}">Pinterest</mj-social-element>
    </mj-social>
  </mj-column>
</mj-section>
`;
}

/** The footer: includes the social row (an include inside an include), address and opt-out links. */
function mjmlFooterPartial(b: MjmlBrand): string {
  return `<mj-include path="./social.mjml" />
<mj-section background-color="#f2f4f6" padding="24px 16px">
  <mj-column>
    <mj-text mj-class="muted" align="center">You are receiving this email because you signed up at ${b.site.replace('https://', '')} or bought from us.</mj-text>
    <mj-text mj-class="muted" align="center">${b.address}</mj-text>
    <mj-text mj-class="muted" align="center" css-class="footer-links">
      <a href="${b.tags.preferences}">Email preferences</a> &middot; <a href="${b.tags.unsubscribe}">Unsubscribe</a> &middot; <a href="${b.site}/privacy">Privacy</a>
    </mj-text>
  </mj-column>
</mj-section>
`;
}

function mjmlPromoPartial(b: MjmlBrand): string {
  return `<mj-section background-color="${b.color}" padding="12px 24px">
  <mj-column>
    <mj-text align="center" color="#ffffff" font-size="14px" padding="0px">${b.tags.ifMember[0]}Members: free shipping on every order this week.${b.tags.ifMember[1]} <a href="${b.site}/shipping" style="color:#ffffff;">Details</a></mj-text>
  </mj-column>
</mj-section>
`;
}

/** One block of a campaign's body: a product pair, a story, a hero, a coupon, a banner. */
function mjmlBlock(r: Rand, b: MjmlBrand, n: number, utm: string, problem: boolean): string {
  const t = b.tags;
  const kind = n % 5;
  if (kind === 0) {
    return `
    <mj-hero mode="fixed-height" height="300px" background-width="600px" background-height="300px" background-url="https://cdn.${b.slug}.example.com/email/hero-${n}.jpg" background-color="#2a2a2a" padding="40px 24px">
      <mj-text color="#ffffff" font-size="28px" line-height="34px" align="center">${t.first}, ${sentence(r, 5).toLowerCase()}</mj-text>
      <mj-button href="${b.site}/collection/${n}?${utm}">Shop the collection</mj-button>
    </mj-hero>`;
  }
  if (kind === 3) {
    return `
    <mj-section padding="24px 8px">
      <mj-column>
        <mj-text mj-class="headline">${sentence(r, int(r, 3, 7)).replace(/\.$/, '')}</mj-text>
        <mj-text>${t.first}, ${paragraph(r)}</mj-text>
        <mj-text>${paragraph(r, int(r, 1, 3))} <a href="${b.site}/journal/${n}?${utm}" style="color:${b.color};">Read the story</a>.</mj-text>
        <mj-divider />
      </mj-column>
    </mj-section>`;
  }
  if (kind === 4) {
    return `
    <mj-raw>${t.ifMember[0]}</mj-raw>
    <mj-section background-color="#fff8e6" padding="16px 24px" border="1px dashed #e0b84c">
      <mj-column>
        <mj-text align="center" font-size="18px" color="#1f2d1a">Your member code: <strong>{{coupon_code}}</strong></mj-text>
        <mj-button href="${b.site}/redeem?code={{coupon_code}}&amp;${utm}" background-color="#e0b84c" color="#1f2d1a">Redeem now</mj-button>
      </mj-column>
    </mj-section>
    <mj-raw>${t.ifMember[1]}</mj-raw>`;
  }
  const cols = [n, n + 1]
    .map((i) => {
      const name = `${pick(r, WORDS)} ${pick(r, WORDS)}`;
      const price = (int(r, 1500, 29900) / 100).toFixed(2);
      const href = `${b.site}/p/${i}-${name.replace(/\s+/g, '-')}?${utm}&amp;pos=${i}`;
      // The problems real templates have: a misspelt attribute, an invalid value.
      const extra = problem && i === n ? pick(r, [' colour="#333333"', ' padding="8px 8"', ' align="centre"']) : '';
      return `
      <mj-column width="50%" padding="8px" css-class="stack-pad">
        <mj-image src="https://cdn.${b.slug}.example.com/email/products/${i}.jpg" alt="${name}" href="${href}" border-radius="6px" width="268px" />
        <mj-text css-class="product-name" padding="8px 8px 0 8px"${extra}>${name}</mj-text>
        <mj-text font-size="14px" color="#5b6770" padding="4px 8px">${sentence(r, int(r, 6, 12))}</mj-text>
        <mj-text mj-class="price">$${price} ${t.ifMember[0]}<span style="color:${b.color};">&middot; members $${(Number(price) * 0.9).toFixed(2)}</span>${t.ifMember[1]}</mj-text>
        <mj-button href="${href}" align="left" padding="8px">Shop now</mj-button>
      </mj-column>`;
    })
    .join('');
  return `
    <mj-section background-color="#f7f8f6" padding="8px 16px">${cols}
    </mj-section>`;
}

/** Campaign sizes, 5 to 40 KB: most between 8 and 25 KB. */
function mjmlSize(r: Rand): number {
  const u = r();
  if (u < 0.2) return int(r, 5_000, 8_000);
  if (u < 0.85) return int(r, 8_000, 25_000);
  return int(r, 25_000, 40_000);
}

function mjmlCampaign(r: Rand, b: MjmlBrand, bytes: number, n: number, opts: { problem: boolean; promo: boolean; cssInclude: boolean }): string {
  const campaign = `${pick(r, ['spring', 'summer', 'autumn', 'winter'])}-${pick(r, WORDS)}-${n}`;
  const utm = `utm_source=email&amp;utm_medium=newsletter&amp;utm_campaign=${campaign}`;
  const head = `<mjml lang="en">
  <mj-head>
    <mj-include path="../../../partials/${b.slug}/head.mjml" />${opts.cssInclude ? `\n    <mj-include path="../../../partials/${b.slug}/extra.css" type="css" css-inline="inline" />` : ''}
    <mj-title>${sentence(r, 5).replace(/\.$/, '')}</mj-title>
    <mj-preview>${b.tags.first}, ${sentence(r, 9)}</mj-preview>
  </mj-head>
  <mj-body background-color="#f2f4f6" width="600px">
    <mj-include path="../../../partials/${b.slug}/header.mjml" />${opts.promo ? `\n    <mj-include path="../../../partials/${b.slug}/promo" />` : ''}`;
  const foot = `
    <mj-include path="../../../partials/${b.slug}/footer.mjml" />
  </mj-body>
</mjml>
`;
  const parts = [head];
  let size = head.length + foot.length;
  let k = 0;
  while (size < bytes) {
    const block = mjmlBlock(r, b, k * 2, utm, opts.problem && k === 1);
    parts.push(block);
    size += Buffer.byteLength(block);
    k++;
  }
  if (opts.problem && r() < 0.5) parts.push(`\n    <mj-section><mj-column><mj-text>Use code {{ promo_code at checkout.</mj-text></mj-column></mj-section>`);
  parts.push(foot);
  return parts.join('');
}

/**
 * A repository of MJML campaigns as a team keeps it: campaigns/<brand>/<year>/<name>.mjml, each
 * including its brand's shared head (mj-attributes, mj-style), header, footer (which includes the
 * social row) and sometimes a promo banner and a CSS file, under partials/<brand>/. One campaign in
 * ten has a problem mjml or the linter reports (a misspelt attribute, a bad value, a half-typed tag).
 */
export function mjmlCorpusFiles(spec: MjmlCorpusSpec, seed = 11): Array<{ rel: string; text: string }> {
  const r = rng(seed);
  const out: Array<{ rel: string; text: string }> = [];
  const add = (rel: string, text: string) => out.push({ rel, text });
  add('.deliverlintrc.json', JSON.stringify({ esp: 'sendgrid', jurisdictions: ['us'], sender: { name: 'Trailhead Supply Co.' } }, null, 2) + '\n');
  for (const b of MJML_BRANDS) {
    add(`partials/${b.slug}/head.mjml`, mjmlHeadPartial(b));
    add(`partials/${b.slug}/header.mjml`, mjmlHeaderPartial(b));
    add(`partials/${b.slug}/social.mjml`, mjmlSocialPartial(b));
    add(`partials/${b.slug}/footer.mjml`, mjmlFooterPartial(b));
    add(`partials/${b.slug}/promo.mjml`, mjmlPromoPartial(b));
    add(`partials/${b.slug}/extra.css`, `.header img { max-width: 160px; }\n.product-name { letter-spacing: 0.01em; }\n`);
  }
  for (let i = 0; i < spec.templates; i++) {
    const b = MJML_BRANDS[i % MJML_BRANDS.length]!;
    const text = mjmlCampaign(r, b, mjmlSize(r), i, { problem: r() < 0.1, promo: r() < 0.3, cssInclude: r() < 0.2 });
    add(`campaigns/${b.slug}/${2022 + (i % 4)}/campaign-${i}.mjml`, text);
  }
  return out;
}

/** Writes mjmlCorpusFiles under `root` (emptied first); `files` counts the .mjml files, `bytes` every file. */
export function writeMjmlCorpus(root: string, spec: MjmlCorpusSpec, seed = 11): WorkspaceInfo {
  fs.rmSync(root, { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  for (const { rel, text } of mjmlCorpusFiles(spec, seed)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    bytes += Buffer.byteLength(text);
    if (rel.endsWith('.mjml')) files++;
  }
  return { root, files, bytes };
}

export interface CompositionSpec {
  emails: number;
  layouts: number;
  partials: number;
}

const COMPOSITION_WORDS = ['trail', 'summit', 'lantern', 'waterproof', 'shell', 'stove', 'ridge', 'canyon', 'harbor', 'coffee', 'wool', 'boots', 'river', 'campfire', 'season', 'members', 'weekend', 'repair', 'guide', 'route'];

function compositionParagraph(r: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(COMPOSITION_WORDS[Math.floor(r() * COMPOSITION_WORDS.length)]!);
  return `<p style="margin:0 0 16px;font-size:15px;line-height:1.6;color:#333333;">${out.join(' ')}.</p>`;
}

/**
 * An application's mail as teams keep it: Handlebars emails (emails/<team>/<name>.hbs) that pick one
 * of `layouts` layouts ({{#> layouts/brandN}} ... {{/...}}) and pull in a few of `partials` shared
 * partials (header, product grid, footer with the unsubscribe link and the postal address). Layouts
 * and partials live in emails/layouts/ and emails/partials/, as Handlebars projects lay them out.
 */
export function compositionFiles(spec: CompositionSpec, seed = 23): Array<{ rel: string; text: string }> {
  const r = rng(seed);
  const out: Array<{ rel: string; text: string }> = [];
  for (let i = 0; i < spec.layouts; i++) {
    out.push({
      rel: `emails/layouts/brand${i}.hbs`,
      text: `<!DOCTYPE html>
<html lang="en" xmlns:v="urn:schemas-microsoft-com:vml">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="x-apple-disable-message-reformatting">
  <title>{{subject}}</title>
  <!--[if mso]><noscript><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml></noscript><![endif]-->
  <style>@media only screen and (max-width:620px){.container{width:100% !important;}}</style>
</head>
<body style="margin:0;padding:0;background-color:#f2f2f2;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
    <tr>
      <td align="center" style="padding:16px;">
        <table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0" style="background-color:#ffffff;">
          <tr><td>{{> header${i % 5}}}</td></tr>
          <tr><td style="padding:24px 32px;font-family:Helvetica,Arial,sans-serif;">{{{@content}}}</td></tr>
          <tr><td>{{> footer${i % 3}}}</td></tr>
        </table>
      </td>
    </tr>
  </table>
</body>
</html>
`,
    });
  }
  for (let i = 0; i < spec.partials; i++) {
    let rel: string;
    let text: string;
    if (i < 3) {
      rel = `emails/partials/footer${i}.hbs`;
      text = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
  <tr>
    <td style="padding:16px 32px;font-family:Helvetica,Arial,sans-serif;font-size:12px;line-height:1.6;color:#777777;">
      Trailhead Supply Co., 2200 Alder Street, Eugene, OR 97405<br>
      You are receiving this because you joined the Trailhead list.
      <a href="{{unsubscribe_url}}" style="color:#777777;text-decoration:underline;">Unsubscribe</a> &middot;
      <a href="{{preferences_url}}" style="color:#777777;text-decoration:underline;">Email preferences</a>
    </td>
  </tr>
</table>
`;
    } else if (i < 8) {
      rel = `emails/partials/header${i - 3}.hbs`;
      text = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td style="padding:20px 32px;border-bottom:1px solid #eeeeee;"><a href="https://trailhead.example.com/?utm_source=email"><img src="https://cdn.trailhead.example.com/logo-${i}.png" width="140" alt="Trailhead Supply Co." style="display:block;border:0;"></a></td></tr></table>\n`;
    } else {
      rel = `emails/partials/block${i}.hbs`;
      const cells: string[] = [];
      for (let c = 0; c < 3; c++) cells.push(`<td width="33%" style="padding:8px;vertical-align:top;"><img src="https://cdn.trailhead.example.com/p/${i}-${c}.jpg" width="160" alt="{{products.${c}.name}}" style="display:block;width:100%;"><p style="margin:8px 0 0;font-size:14px;">{{products.${c}.name}}</p><p style="margin:4px 0 0;font-size:14px;font-weight:bold;">{{products.${c}.price}}</p></td>`);
      text = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>${cells.join('')}</tr></table>\n${compositionParagraph(r, 30)}\n`;
    }
    out.push({ rel, text });
  }
  const teams = ['growth', 'lifecycle', 'newsletter', 'product', 'retail'];
  for (let i = 0; i < spec.emails; i++) {
    const layout = Math.floor(r() * spec.layouts);
    const parts: string[] = [`{{#> brand${layout} subject="Trailhead ${i}"}}`, `<h1 style="margin:0 0 16px;font-size:24px;color:#1f2a1f;">{{first_name}}, ${COMPOSITION_WORDS[i % COMPOSITION_WORDS.length]} season is here</h1>`];
    const paragraphs = 4 + Math.floor(r() * 20);
    for (let p = 0; p < paragraphs; p++) {
      parts.push(compositionParagraph(r, 40 + Math.floor(r() * 60)));
      if (p % 5 === 2 && spec.partials > 8) parts.push(`{{> block${8 + Math.floor(r() * (spec.partials - 8))}}}`);
    }
    parts.push(`<p style="margin:24px 0;"><a href="https://trailhead.example.com/c/${i}?utm_campaign=${i}" style="display:inline-block;padding:12px 24px;background-color:#2f6b3a;color:#ffffff;text-decoration:none;border-radius:4px;">Shop now</a></p>`);
    parts.push(`{{/brand${layout}}}`);
    out.push({ rel: `emails/${teams[i % teams.length]}/campaign-${i}.hbs`, text: parts.join('\n') + '\n' });
  }
  return out;
}

/** Writes compositionFiles under `root` (emptied first); `files` counts the emails, `bytes` every file (unique bytes). */
export function writeCompositionWorkspace(root: string, spec: CompositionSpec, seed = 23): WorkspaceInfo {
  fs.rmSync(root, { recursive: true, force: true });
  let bytes = 0;
  for (const { rel, text } of compositionFiles(spec, seed)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    bytes += Buffer.byteLength(text);
  }
  return { root, files: spec.emails + spec.layouts + spec.partials, bytes };
}
