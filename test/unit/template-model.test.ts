// parseTemplate builds the template model straight from htmlparser2's parser events, with its own
// entity decoding (server/src/core/parse/template/). Here the same model is built the plain way,
// from parseDocument's DOM (entities decoded by the tokenizer), and the two are compared field by
// field: on every template fixture and example, generated newsletters, and inputs that exercise
// the parser's corners (implied end tags, raw text, foreign content, entities in every mode).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Element } from 'domhandler';
import { MODEL_ATTRIBUTES, parseTemplate, type MarkupElement, type TemplateModel } from '../../server/src/core/parse/template';
import { startTagEnd, findAttribute } from '../../server/src/core/parse/markup';
import { htmlTemplate, mjmlTemplate } from '../../bench/generate';

const ROOT = resolve(__dirname, '..', '..');

function templates(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return templates(p);
    return /\.(?:html?|mjml|hbs)$/.test(name) ? [p] : [];
  });
}

const SKIP_TEXT = new Set(['script', 'style', 'head', 'title', 'mj-head', 'mj-style', 'mj-attributes', 'mj-preview', 'mj-title', 'mj-font', 'mj-breakpoint']);
const isElement = (n: AnyNode): n is Element => n.type === 'tag' || n.type === 'script' || n.type === 'style';

/** Text of an element as domutils' textContent would give it, skipping script and style. */
function textOf(el: Element): string {
  let out = '';
  for (const c of el.children) {
    if (c.type === 'text') out += c.data;
    else if (c.type === 'tag') out += textOf(c);
  }
  return out;
}

/** Alt texts of images inside, in document order, not looking into script or style. */
function altsIn(el: Element): string[] {
  const out: string[] = [];
  for (const c of el.children) {
    if (c.type !== 'tag') continue;
    if ((c.name === 'img' || c.name === 'mj-image') && c.attribs['alt']) out.push(c.attribs['alt']);
    out.push(...altsIn(c));
  }
  return out;
}

/** The attributes the model keeps (the ones rules read), in the DOM's order. */
function keptAttributes(attribs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attribs).filter(([name]) => (MODEL_ATTRIBUTES as readonly string[]).includes(name)));
}

/** What the model says of an element and all its ancestors: enough to see a tree built differently. */
/**
 * The DOM says one past the end for an element the end of the file closes; the model says the last
 * character, as MarkupElement.endIndex promises (`last`: the text's last offset).
 */
function chainOfDom(el: Element | null, last: number): unknown[] {
  const out: unknown[] = [];
  for (let cur: Element | null = el; cur && isElement(cur); cur = cur.parent as Element | null) {
    out.push({ name: cur.name, attribs: keptAttributes(cur.attribs), startIndex: cur.startIndex, endIndex: cur.endIndex === null ? null : Math.min(cur.endIndex, last), hasChildren: cur.children.length > 0 });
  }
  return out;
}
function chainOfModel(el: MarkupElement | null): unknown[] {
  const out: unknown[] = [];
  for (let cur = el; cur; cur = cur.parent) out.push({ name: cur.name, attribs: cur.attribs, startIndex: cur.startIndex, endIndex: cur.endIndex, hasChildren: cur.hasChildren });
  return out;
}

/** The model as the rules see it, from parseDocument's DOM, by a plain recursive walk. */
function expectedModel(text: string, kind: 'html' | 'mjml') {
  const root = parseDocument(text, { withStartIndices: true, withEndIndices: true, recognizeSelfClosing: kind === 'mjml', lowerCaseAttributeNames: true });
  const bodyTag = kind === 'mjml' ? 'mj-body' : 'body';
  const parts: string[] = [];
  const links: unknown[] = [];
  const comments: unknown[] = [];
  const addresses: unknown[] = [];
  const includes: unknown[] = [];
  let body: Element | undefined;
  let sawHtml = false;
  let lang: string | undefined;
  let title: string | undefined;
  const visit = (node: AnyNode, skip: boolean) => {
    if (node.type === 'text') {
      if (!skip && /\S/.test(node.data)) parts.push(node.data);
      return;
    }
    if (node.type === 'comment') {
      comments.push({ start: node.startIndex, end: Math.min(node.endIndex! + 1, text.length), data: node.data });
      return;
    }
    if (!isElement(node)) return;
    const el = node;
    if (el.name === 'html' || el.name === 'mjml') {
      sawHtml = true;
      lang ??= el.attribs['lang'];
    } else if (el.name === bodyTag && !body) body = el;
    else if (el.name === 'title' && title === undefined) title = textOf(el);
    else if (el.name === 'address') addresses.push(chainOfDom(el, text.length - 1));
    else if (el.name === 'mj-include') includes.push({ path: el.attribs['path'] ?? '', tagStart: el.startIndex, tagEnd: startTagEnd(text, el.startIndex!) });
    const isLink = kind === 'mjml' ? el.attribs['href'] !== undefined : el.name === 'a' || el.name === 'area';
    if (isLink && !skip) {
      const a = el.attribs;
      const tagEnd = startTagEnd(text, el.startIndex!);
      links.push({
        tagStart: el.startIndex,
        tagEnd,
        href: a['href'],
        hrefRange: a['href'] === undefined ? undefined : findAttribute(text, el.startIndex!, tagEnd, 'href'),
        text: textOf(el).replace(/\s+/g, ' ').trim(),
        labels: [a['title'], a['aria-label'], a['alt'], ...altsIn(el)].filter(Boolean).join(' '),
        chain: chainOfDom(el, text.length - 1),
      });
    }
    const skipHere = skip || SKIP_TEXT.has(el.name);
    if ((el.name === 'img' || el.name === 'mj-image') && !skipHere && el.attribs['alt']) parts.push(el.attribs['alt']);
    for (const c of el.children) visit(c, skipHere);
  };
  for (const c of root.children) visit(c, false);
  let closeStart: number | undefined;
  if (body && body.endIndex !== null) {
    const close = `</${body.name}`;
    const from = Math.max(0, body.endIndex + 1 - close.length - 16);
    const idx = text.slice(from, body.endIndex + 1).toLowerCase().lastIndexOf(close);
    closeStart = idx === -1 ? undefined : from + idx;
  }
  return {
    fragment: !body && !sawHtml,
    bodyText: parts.join(' ').replace(/\s+/g, ' ').trim(),
    lang,
    title,
    body: body && { tagStart: body.startIndex, tagEnd: startTagEnd(text, body.startIndex!), closeStart, chain: chainOfDom(body, text.length - 1) },
    links,
    comments,
    addresses,
    includes,
  };
}

function actualModel(m: TemplateModel) {
  return {
    fragment: m.fragment,
    bodyText: m.bodyText,
    lang: m.lang,
    title: m.title,
    body: m.body && { tagStart: m.body.tagStart, tagEnd: m.body.tagEnd, closeStart: m.body.closeStart, chain: chainOfModel(m.body.element) },
    links: m.links.map((l) => ({ tagStart: l.tagStart, tagEnd: l.tagEnd, href: l.href, hrefRange: l.hrefRange, text: l.text, labels: l.labels, chain: chainOfModel(l.element) })),
    comments: m.comments,
    addresses: m.addressElements.map(chainOfModel),
    includes: m.includes,
  };
}

function assertSameModel(text: string, kind: 'html' | 'mjml', label: string): void {
  assert.deepStrictEqual(JSON.parse(JSON.stringify(actualModel(parseTemplate(text, kind)))), JSON.parse(JSON.stringify(expectedModel(text, kind))), label);
}

const CORNERS: Record<string, string> = {
  'script and style': '<html><head><style>td{color:red}</style><script>if (a < b) { x = "</p>" }</script></head><body><p>x</p><a href="#x">a<script>"hidden"</script>b</a></body></html>',
  'conditional comments': '<!--[if mso]><table><tr><td><![endif]--><!--[if !mso]><!-- --><a href="#">x</a><!--<![endif]-->',
  'unclosed and stray tags': '<table><tr><td>a<td>b</tr><p>c<p>d</div></span><br/><img src=x alt="y"></table></br></p><a href=u>open<a href=v>second',
  'text split around a lone <': '<body><p>5<6 and 7 < 8 <3 you</p><a href="/u">x<y unsubscribe</a></body>',
  'cdata, pi, doctype': '<?xml version="1.0"?><!DOCTYPE html><![CDATA[ raw ]]><svg><![CDATA[ a ]]></svg><address><!DOCTYPE x></address><address></address><address> </address>',
  'mixed case attributes, repeated names': '<A HREF="https://x.example" Title="T" title="second" data-X=1>Link</A><IMG SRC=y ALT="Logo">',
  'attributes the model drops between the ones it keeps': '<a class="x&amp;y" href="/u?a=1&amp;b=2" data-q=\'"\' width=600 title=t&amp;u bgcolor="#fff" href="/second" style="display:none" hidden>x</a><td valign=top style=color:red align=center lang=en font-size=2px>t</td><mj-include path="a&amp;b.mjml" css-class=x />',
  'entities in text': '<body><p>&copy 2026 &amp&notit; &notin; &#128;&#x80; &#0; &#xD800; &#1114112; &AMP; &#65&#x41 tail &am</p><p>&</p><p>a&amp</p>&nbsp;&#160;</body>',
  'entities in attributes': '<a href="https://x.example/?a=1&amp;b=2&copy=3&notit=4&lt=5" title=\'&quot;Q&quot;\' aria-label=a&amp;b alt="&#x3C;img&#62;" class=&>x</a><img alt="Caf&eacute" src="a&b"><html lang="en&#45;US">',
  'entities in raw-text and RCDATA elements': '<head><title>A &amp; B &lt;</title><style>a::after{content:"&amp;"}</style><script>x = "&amp;" && y</script></head><body><textarea>&lt;p&gt; &amp</textarea><xmp>&amp;</xmp><iframe>&amp;</iframe><noembed>&amp;</noembed><noframes>&amp;</noframes><noscript>&amp;</noscript><p>&amp;</p><plaintext>&amp; <b>&lt;</b></body>',
  'foreign content': '<svg><title>&amp;</title><style>&amp;</style><text>&lt;</text><a href="/u"><style>&amp;x</style>svg link</a></svg><math><mi>&pi;</mi><mi><xmp>&amp;</xmp></mi></math><svg><foreignObject><style>&amp;</style><p>&amp;</p></foreignObject><desc><script>&amp;</script></desc></svg><style>&amp;</style><svg><xmp>&lt;x&gt;</xmp><iframe>&amp;</iframe></svg><xmp>&lt;raw&gt;</xmp>',
  'self-closed raw-text tags': '<p>a</p><script/>&amp;<style/>&lt;<p>&gt;</p>',
  'links with images and nested markup': '<body><a href="/p" title="Prefs"><img alt="Manage"><span>your <b>email</b>\n settings</span><img src=x></a><area href="/u" alt="Opt out"><a href="/n"><img alt="a"><a href="/m"><img alt="b"></a></a></body>',
  'titles': '<title>First &amp; best</title><title>Second</title><svg><title>Third</title></svg>',
  'unclosed body and links at the end': '<html><body><p>Hi <a href="https://x.example/unsubscribe">Unsub',
  'unterminated attribute value': '<body><a href="/u" title="never closed>Unsubscribe</a> and then text',
  'unterminated script at the end': '<body><p>x</p><script>if (a < b) { y = "<p>" }',
  'unterminated comment at the end': '<body><p>x</p><!-- [if mso]> <a href="/u">',
  'every kind of space inside tags': '<table\tWIDTH=600\fclass = "t"\r\n  style\n=\t"color:red"><tr ><td\r\nalign=center\f/><a\thref\f=\f"/u"title=t/ >Unsubscribe</a\t\n><br\f/><img alt=x/ src=y></td\r></tr\f></table >',
  'names ending in slash, equals or nothing': '<a href=/u/>x</a/><p/class="q"=r>t</p><img/alt=a/><input disabled/><b =x>y</b><i/ / /title="t">z</i>',
  'merge tags': '<p>{{#if member}}Hi {{first_name}}{{/if}} *|UNSUB|* <%asm_group_unsubscribe_raw_url%> {% if x %}y{% endif %}</p>',
  // The parser's open-element stack (parserStack.ts, past 256 deep): end tags matching an element
  // far down, none, or the same name open several times; a second <form>; SVG names adjusted inside
  // foreign content. Links nest 30 deep at most here: past 32 the model keeps less text on purpose.
  'stack corners': `${'<div><table><tr><td><span>'.repeat(80)}x${'</span></td></tr></table>'.repeat(20)}</div></div></b></i><p>a<div>b</p><form><div><form>c</form></div></form><svg><clipPath><foreignObject><p>q</p><clippath>r</clippath></foreignObject></clipPath><foreignobject><LinearGradient></lineargradient></svg><math><mi><svg><desc><b>t</desc></svg></mi></math>${'<b>'.repeat(300)}${'<a href="/u">u<i>'.repeat(30)}${'</a>'.repeat(10)}</b><p>${'<svg><foreignObject>'.repeat(150)}<clippath>z</clipPath>${'</foreignObject></svg>'.repeat(100)}`,
  empty: '',
  'text only': 'just text, no markup',
};

const MJML_CORNERS: Record<string, string> = {
  'mjml with includes and buttons': '<mjml lang="ja"><mj-head><mj-title>T &amp; T</mj-title><mj-preview>pre</mj-preview></mj-head><mj-body><mj-include path="./footer.mjml" /><mj-section><mj-column><mj-button href="https://x.example/u?a=1&amp;b=2">配信停止</mj-button><mj-image src="a.png" alt="Logo" href="/home" /><mj-text>Hello<br/>there <a href="/x">x</a></mj-text></mj-column></mj-section></mj-body></mjml>',
  'mjml fragment': '<mj-section><mj-column><mj-social-element name="x" href="/s">Share</mj-social-element></mj-column></mj-section>',
};

describe('parseTemplate builds the model parseDocument\'s DOM gives', () => {
  test('every template fixture and example', () => {
    const files = [...templates(join(ROOT, 'test', 'fixtures')), ...templates(join(ROOT, 'examples'))];
    assert.ok(files.length > 30, `found ${files.length} templates`);
    for (const file of files) assertSameModel(readFileSync(file, 'utf8'), file.endsWith('.mjml') ? 'mjml' : 'html', file);
  });

  test('generated newsletters (HTML and MJML)', () => {
    for (let seed = 0; seed < 6; seed++) {
      assertSameModel(htmlTemplate({ bytes: 40_000, seed, esp: seed % 2 ? 'mailchimp' : 'sendgrid', japanese: seed % 3 === 0, withProblems: seed % 2 === 0 }), 'html', `html ${seed}`);
      assertSameModel(mjmlTemplate(30_000, seed), 'mjml', `mjml ${seed}`);
    }
  });

  for (const [name, text] of Object.entries(CORNERS)) {
    test(name, () => {
      assertSameModel(text, 'html', name);
      assertSameModel(text, 'mjml', `${name} (as MJML)`);
    });
  }
  test('input cut at every position of a tag-heavy snippet (inside names, spaces, values)', () => {
    const snippet = '<TABLE width=600 class="t"\n  style="x"><tr><td\talign=center valign = top/><a href="/u" title=t>Opt out</a ></td></tr\f></table>';
    for (let end = 0; end <= snippet.length; end++) {
      assertSameModel(snippet.slice(0, end), 'html', `cut at ${end}`);
      assertSameModel(snippet.slice(0, end), 'mjml', `cut at ${end} (as MJML)`);
    }
  });
  for (const [name, text] of Object.entries(MJML_CORNERS)) test(name, () => assertSameModel(text, 'mjml', name));
});
