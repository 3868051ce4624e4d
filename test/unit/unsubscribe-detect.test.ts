// Recognising unsubscribe links the way real codebases write them: the tags of newsletter platforms,
// variables of unknown engines, "click here" links, and links inside layouts that set font-size:0
// on a cell and the size again inside it (compiled MJML, hybrid columns).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hiddenReason } from '../../server/src/core/detect/hidden';
import { findProbableUnsubscribeVariable, hasUnsubscribeToken, unsubscribeSignal } from '../../server/src/core/detect/unsubscribe';
import { findPostalAddress } from '../../server/src/core/detect/address';
import { espOfToken } from '../../server/src/core/esp';
import { parseTemplate } from '../../server/src/core/parse/template';

const html = (body: string) => `<!DOCTYPE html><html lang="en"><body>${body}</body></html>`;

describe('platform unsubscribe tags', () => {
  const tags: Array<[string, string]> = [
    ['{{ UnsubscribeURL }}', 'listmonk'],
    ['{{ UnsubscribeURL . }}', 'listmonk'],
    ['{{ ManageURL }}', 'listmonk'],
    ['{unsubscribe_text}', 'Mautic'],
    ['{unsubscribe_url}', 'Mautic'],
    ['%%{unsubscribe_url}%%', 'Ghost'],
    ['%recipient.unsubscribe_url%', 'Ghost'],
    ['[[UNSUB_LINK_EN]]', 'Mailjet'],
    ['[[UNSUB_LINK_FR]]', 'Mailjet'],
    ['[[DELIVERY_INFO]]', 'Mailjet'],
    ['<unsubscribe>Unsubscribe</unsubscribe>', 'Sendy'],
    ['[UNSUBSCRIBEURL]', 'phpList'],
    ['[PREFERENCES]', 'phpList'],
    ['[LINK_UNSUBSCRIBE]', 'Mailtrain'],
    ['[LINK_PREFERENCES]', 'Mailtrain'],
    ['::unsubscribeUrl::', 'Mailcoach'],
    ['::unsubscribeTag::newsletter::', 'Mailcoach'],
    ["{{ unsubscribeTag['newsletter'] }}", 'Mailcoach'],
    ['{{ preferencesUrl }}', 'Mailcoach'],
  ];
  for (const [tag, label] of tags) {
    test(`${tag} is ${label}'s`, () => {
      assert.ok(hasUnsubscribeToken(`Footer: ${tag}`));
      assert.equal(espOfToken(tag)?.label, label);
    });
  }
  // Tags other ESPs already had, which these platforms share.
  for (const tag of ['{{ unsubscribe_link }}', '[unsubscribe]', '[UNSUBSCRIBE]']) {
    test(`${tag} is recognised`, () => assert.ok(hasUnsubscribeToken(tag)));
  }

  test("Mautic's single braces are not a part of another engine's variable", () => {
    assert.equal(hasUnsubscribeToken('{{unsubscribe_url}}'), false);
    assert.equal(hasUnsubscribeToken('${unsubscribe_url}'), false);
  });

  test("Mailjet's [[POSTAL_ADDRESS]] is a postal address", () => {
    assert.equal(findPostalAddress(parseTemplate(html('<p>[[DELIVERY_INFO]]</p><p>[[POSTAL_ADDRESS]]</p>'), 'html'), {})?.kind, 'token');
  });
});

describe('probable unsubscribe variables', () => {
  for (const v of ['${unsubscribe_url}', '{{unsubscribe_url}}', '{$optout_link}', '[%unsubscribe%]', '#{unsubscribeLink}', '<%= unsubscribe_url %>', '{{ footer.unsubscribe }}']) {
    test(`${v} is one`, () => assert.equal(findProbableUnsubscribeVariable(`<p>${v}</p>`)?.token, v));
  }
  for (const text of ['<p>Unsubscribe</p>', '<p>{{ first_name }}</p>', 'width:100% unsubscribed 50%', 'https://x.example/unsubscribe?u={{id}}']) {
    test(`${text} holds none`, () => assert.equal(findProbableUnsubscribeVariable(text), undefined));
  }
  test('one inside a skipped range (a comment) does not count', () => {
    const text = '<!-- TODO ${unsubscribe_url} --><p>x</p>';
    assert.equal(findProbableUnsubscribeVariable(text, [{ start: 0, end: text.indexOf('<p>') }]), undefined);
  });
});

describe('"here" links after unsubscribe wording', () => {
  const signal = (body: string) => {
    const model = parseTemplate(html(body), 'html');
    return model.links.map((l) => unsubscribeSignal(l, model.text) ?? null);
  };
  const cases: Array<[string, string]> = [
    ['ja', '<p>メールマガジンの配信停止をご希望の方は<a href="https://t.example.jp/c/1">こちら</a></p>'],
    ['ja, こちらから', '<p>配信解除は<a href="https://t.example.jp/c/1">こちらから</a>お手続きください。</p>'],
    ['ja, ここ', '<td>購読解除は<a href="https://t.example.jp/c/1">ここ</a></td>'],
    ['en, inline tags between', '<p>To <b>unsubscribe</b>, <span>click</span> <a href="https://l.example.com/c/1">here</a>.</p>'],
    ['en, after the link', '<p>Click <a href="https://l.example.com/c/1">here</a> to unsubscribe from these emails.</p>'],
    ['de', '<p>Zum Abmelden vom Newsletter klicken Sie <a href="https://l.example.de/c/1">hier</a>.</p>'],
    ['fr', '<p>Pour vous désabonner, cliquez <a href="https://l.example.fr/c/1">ici</a>.</p>'],
    ['es', '<p>Si deseas darte de baja haz clic <a href="https://l.example.es/c/1">aquí</a>.</p>'],
    ['de, after the link', '<p>Klicken Sie <a href="https://l.example.de/c/1">hier</a>, um sich vom Newsletter abzumelden.</p>'],
    ['es, after the link', '<p>Haz clic <a href="https://l.example.es/c/1">aquí</a> para cancelar tu suscripción.</p>'],
    ['en, preferences after the link', '<p>Click <a href="https://l.example.com/c/1">here</a> to manage your email preferences.</p>'],
    ['entities', '<p>To&nbsp;opt&nbsp;out, click&nbsp;<a href="https://l.example.com/c/1">here</a></p>'],
  ];
  for (const [name, body] of cases) test(`${name}`, () => assert.deepEqual(signal(body), ['label']));

  const not: Array<[string, string]> = [
    ['wording in another block', '<p>Unsubscribe options are in your account.</p><p>Read more <a href="https://l.example.com/c/1">here</a>.</p>'],
    ['wording too far before', '<p>Readers who unsubscribe from one list often miss the sale, so we put everything on one page: click <a href="https://l.example.com/c/1">here</a> to read more.</p>'],
    ['another purpose after', '<p>Click <a href="https://l.example.com/c/1">here</a> to read more about unsubscribing.</p>'],
    ['the link says more than here', '<p>To unsubscribe, first <a href="https://l.example.com/c/1">read our blog</a>.</p>'],
    ['ja, unrelated', '<p>新作の詳細は<a href="https://t.example.jp/c/1">こちら</a></p>'],
  ];
  for (const [name, body] of not) test(`not: ${name}`, () => assert.deepEqual(signal(body), [null]));

  test('without the source, a "here" link is not judged', () => {
    const model = parseTemplate(html('<p>配信停止は<a href="https://t.example.jp/c/1">こちら</a></p>'), 'html');
    assert.equal(unsubscribeSignal(model.links[0]!), undefined);
    assert.equal(unsubscribeSignal(model.links[0]!, model.text), 'label');
  });
});

describe('hiding follows the cascade', () => {
  const reason = (body: string) => {
    const model = parseTemplate(html(body), 'html');
    const r = hiddenReason(model.links[0]!.element, model.body?.element, model.text);
    return r && `${r.declaration} on ${r.on}`;
  };
  test('font-size:0 on a cell, set again on the div inside: shown', () => {
    assert.equal(reason('<table><tr><td style="font-size:0px;padding:10px"><div style="font-size:13px"><a href="https://x.example/u">Unsubscribe</a></div></td></tr></table>'), undefined);
  });
  test('set again on the link itself, or on a span inside it: shown', () => {
    assert.equal(reason('<div style="font-size:0"><a href="https://x.example/u" style="font-size:12px">Unsubscribe</a></div>'), undefined);
    assert.equal(reason('<div style="font-size:0"><a href="https://x.example/u"><span style="font-size:12px">Unsubscribe</span></a></div>'), undefined);
  });
  test('em and % scale the zero: still hidden', () => {
    assert.equal(reason('<div style="font-size:0"><a href="https://x.example/u" style="font-size:1.2em">Unsubscribe</a></div>'), 'font-size:0 on div');
    assert.equal(reason('<div style="font-size:0"><p style="font-size:100%"><a href="https://x.example/u">Unsubscribe</a></p></div>'), 'font-size:0 on div');
  });
  test('a readable size outside does not undo a tiny size nearer the link', () => {
    assert.equal(reason('<div style="font-size:14px"><span style="font-size:1px"><a href="https://x.example/u">Unsubscribe</a></span></div>'), 'font-size:1px on span');
  });
  test('a relative size alone can be tiny', () => {
    assert.equal(reason('<div style="font-size:12px"><a href="https://x.example/u" style="font-size:0.2em">Unsubscribe</a></div>'), 'font-size:0.2em on a');
  });
  test('visibility:visible inside visibility:hidden is shown; the reverse is hidden', () => {
    assert.equal(reason('<div style="visibility:hidden"><a href="https://x.example/u" style="visibility:visible">Unsubscribe</a></div>'), undefined);
    assert.equal(reason('<div style="visibility:visible"><p style="visibility:hidden"><a href="https://x.example/u">Unsubscribe</a></p></div>'), 'visibility:hidden on p');
  });
  test('display:none, opacity:0, mso-hide:all and clipped zero heights are not undone inside', () => {
    const inner = '<p style="display:block;visibility:visible;opacity:1;font-size:14px;max-height:none;height:auto"><a href="https://x.example/u">Unsubscribe</a></p>';
    assert.equal(reason(`<div style="display:none">${inner}</div>`), 'display:none on div');
    assert.equal(reason(`<div style="opacity:0">${inner}</div>`), 'opacity:0 on div');
    assert.equal(reason(`<div style="mso-hide:all">${inner}</div>`), 'mso-hide:all on div');
    assert.equal(reason(`<div style="max-height:0;overflow:hidden">${inner}</div>`), 'max-height:0; overflow:hidden on div');
  });
  test('unknown sizes (calc, var) and inherit', () => {
    assert.equal(reason('<div style="font-size:0"><a href="https://x.example/u" style="font-size:calc(12px + 0.2vw)">Unsubscribe</a></div>'), undefined);
    assert.equal(reason('<div style="font-size:0"><a href="https://x.example/u" style="font-size:inherit">Unsubscribe</a></div>'), 'font-size:0 on div');
  });

  test('a footer compiled by the mjml in node_modules has no hidden unsubscribe link', async () => {
    const mjml = require('mjml') as (src: string, opts?: object) => Promise<{ html: string }> | { html: string };
    const src = `<mjml><mj-body><mj-section><mj-column>
      <mj-text font-size="12px" color="#777777">Example Inc., 1 Main Street, Springfield, IL 62704<br /><a href="https://example.com/unsubscribe">Unsubscribe</a></mj-text>
      <mj-button href="https://example.com/email/preferences" font-size="12px">Email preferences</mj-button>
      <mj-text font-size="0px"><a href="https://example.com/optout">Opt out</a></mj-text>
    </mj-column></mj-section></mj-body></mjml>`;
    const out = await mjml(src, { validationLevel: 'skip' });
    const model = parseTemplate(out.html, 'html');
    const unsubscribe = model.links.filter((l) => unsubscribeSignal(l, model.text));
    const reasons = unsubscribe.map((l) => hiddenReason(l.element, model.body?.element, model.text)?.declaration ?? null);
    // The cell's font-size:0px is set again by MJML's inner div and button; the last mj-text really is 0px.
    assert.deepEqual(reasons, [null, null, 'font-size:0px']);
  });
});
