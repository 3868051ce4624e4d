// The raw-message parser: header offsets, addresses, DKIM, MIME parts and the maps from decoded
// text back to the file, on messages written the way SES, SendGrid, Mailchimp and Japanese senders
// emit them, and on input that must never crash it (truncated, wrong boundary, junk, 20 MB).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decodeEncodedWords, parseAddressList, parseEml } from '../../server/src/core/parse/eml';
import type { EmbeddedBody, HeaderField, SendModel } from '../../server/src/core/parse/send';
import type { TextEdit } from '../../server/src/core/types';

const FIXTURES = join(__dirname, '..', 'fixtures', 'eml');

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

function header(m: SendModel, name: string, nth = 0): HeaderField {
  const f = m.headers.filter((h) => h.name.toLowerCase() === name.toLowerCase())[nth];
  assert.ok(f, `no ${name} header #${nth}`);
  return f;
}

function body(m: SendModel, type: 'html' | 'text'): EmbeddedBody {
  const b = m.bodies.find((x) => x.type === type);
  assert.ok(b, `no ${type} body`);
  return b;
}

function slice(m: SendModel, span: { start: number; end: number } | undefined): string {
  assert.ok(span, 'span missing');
  return m.text.slice(span.start, span.end);
}

function apply(text: string, edit: TextEdit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

/** Every field's span starts at its name and ends before a line break, and its value lies inside. */
function assertHeaderSpans(m: SendModel): void {
  for (const f of m.headers) {
    assert.ok(m.text.startsWith(f.name, f.start), `${f.name} starts at its name`);
    assert.ok(f.end === m.text.length || m.text[f.end] === '\r' || m.text[f.end] === '\n', `${f.name} ends before a line break`);
    assert.ok(f.start < f.valueStart || f.valueStart === f.end, `${f.name} value after the name`);
    assert.ok(f.valueStart <= f.valueEnd && f.valueEnd <= f.end, `${f.name} value inside the field`);
  }
}

/**
 * For a quoted-printable part: every decoded ASCII character maps to itself or to the `=` of its
 * `=XX`, and the map never goes backwards.
 */
function assertQuotedPrintableMap(m: SendModel, b: EmbeddedBody): void {
  let previous = b.start;
  for (let i = 0; i < b.text.length; i++) {
    const at = b.toSource(i);
    assert.ok(at >= previous && at < b.end, `offset ${i} maps inside the part, in order`);
    previous = at;
    const src = m.text[at];
    if (b.text.charCodeAt(i) < 0x80) assert.ok(src === b.text[i] || src === '=', `decoded ${JSON.stringify(b.text[i])} at ${i} maps to ${JSON.stringify(src)}`);
    else assert.equal(src, '=');
  }
  assert.equal(b.toSource(b.text.length), b.end);
}

/** Source offsets of the base64 characters of a part, line breaks skipped. */
function base64Positions(m: SendModel, b: EmbeddedBody): number[] {
  const out: number[] = [];
  for (let i = b.start; i < b.end; i++) if (/[A-Za-z0-9+/=]/.test(m.text[i]!)) out.push(i);
  return out;
}

describe('Amazon SES message with one-click headers signed (CRLF)', () => {
  const text = fixture('ses-one-click.eml');
  const m = parseEml(text);

  test('is read as sent on the wire: CRLF only, no problems', () => {
    assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
    assert.equal(m.kind, 'eml');
    assert.equal(m.esp, undefined);
    assert.deepEqual(m.problems, []);
  });

  test('headers: every field in order, duplicates kept, spans exact', () => {
    assert.deepEqual(
      m.headers.map((h) => h.name),
      ['Return-Path', 'Received', 'DKIM-Signature', 'DKIM-Signature', 'From', 'Reply-To', 'To', 'Subject', 'MIME-Version', 'Content-Type', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'Message-ID', 'Date', 'Feedback-ID', 'X-SES-Outgoing'],
    );
    assertHeaderSpans(m);
    const from = header(m, 'from');
    assert.equal(slice(m, from), 'From: Harbor Outfitters <news@harbor.example.com>');
    assert.equal(from.value, 'Harbor Outfitters <news@harbor.example.com>');
    assert.equal(text.slice(from.valueStart, from.valueEnd), 'Harbor Outfitters <news@harbor.example.com>');
  });

  test('a folded field spans its continuation lines; its value is unfolded', () => {
    const lu = header(m, 'List-Unsubscribe');
    assert.equal(
      slice(m, lu),
      'List-Unsubscribe: <https://harbor.example.com/u/8f3a9c2e?list=spring>,\r\n <mailto:unsubscribe@harbor.example.com?subject=unsubscribe-8f3a9c2e>',
    );
    assert.equal(lu.value, '<https://harbor.example.com/u/8f3a9c2e?list=spring>, <mailto:unsubscribe@harbor.example.com?subject=unsubscribe-8f3a9c2e>');
    assert.equal(text.slice(lu.valueStart, lu.valueEnd), '<https://harbor.example.com/u/8f3a9c2e?list=spring>,\r\n <mailto:unsubscribe@harbor.example.com?subject=unsubscribe-8f3a9c2e>');
    const ct = header(m, 'content-type');
    assert.equal(ct.value, 'multipart/alternative; \tboundary="----=_Part_1843027_1295703311.1714550400123"');
    const received = header(m, 'received');
    assert.ok(slice(m, received).endsWith('for <alex@example.net>; Wed, 01 May 2024 08:00:01 +0000 (UTC)'));
    assert.equal(header(m, 'List-Unsubscribe-Post').value, 'List-Unsubscribe=One-Click');
  });

  test('from, replyTo, mailFrom, recipients, anchor', () => {
    assert.equal(m.from?.value, 'news@harbor.example.com');
    assert.equal(slice(m, m.from), 'news@harbor.example.com');
    const from = header(m, 'from');
    assert.ok(m.from!.start > from.start && m.from!.end < from.end, 'located inside the From field');
    assert.equal(m.replyTo?.value, 'support@harbor.example.com');
    assert.equal(slice(m, m.replyTo), 'support@harbor.example.com');
    assert.equal(m.mailFrom?.value, 'mail.harbor.example.com');
    assert.equal(slice(m, m.mailFrom), 'mail.harbor.example.com');
    assert.ok(m.mailFrom!.start > header(m, 'return-path').start);
    assert.equal(m.recipients, 1);
    assert.deepEqual(m.anchor, { start: from.start, end: from.end });
  });

  test('both DKIM signatures: d= located, s=, a=, h= lower-cased', () => {
    assert.equal(m.dkim.length, 2);
    const [own, ses] = m.dkim as [NonNullable<SendModel['dkim'][0]>, NonNullable<SendModel['dkim'][0]>];
    assert.equal(own.domain?.value, 'harbor.example.com');
    assert.equal(slice(m, own.domain), 'harbor.example.com');
    assert.equal(own.selector, 'k7r2m4xq5v6t3w8y9z1a2b3c4d5e6f7g');
    assert.equal(own.algorithm, 'rsa-sha256');
    assert.deepEqual(own.signedHeaders, ['from', 'to', 'subject', 'mime-version', 'content-type', 'list-unsubscribe', 'list-unsubscribe-post', 'message-id', 'date']);
    assert.equal(slice(m, own), slice(m, header(m, 'dkim-signature', 0)));
    assert.equal(ses.domain?.value, 'amazonses.com');
    assert.equal(slice(m, ses.domain), 'amazonses.com');
    assert.ok(ses.signedHeaders!.includes('feedback-id'));
  });

  test('two quoted-printable parts, labelled, with exact spans', () => {
    assert.deepEqual(
      m.bodies.map((b) => [b.label, b.type]),
      [
        ['MIME part 1 (text/plain)', 'text'],
        ['MIME part 2 (text/html)', 'html'],
      ],
    );
    const html = body(m, 'html');
    assert.ok(slice(m, html).startsWith('<!DOCTYPE html>\r\n<html lang=3D"en">'));
    assert.ok(slice(m, html).endsWith('</html>\r\n'));
    assert.ok(text.startsWith('\r\n------=_Part_1843027_1295703311.1714550400123--', html.end), 'the part ends before the CRLF of the closing delimiter');
    assert.ok(html.text.includes('<a href="https://harbor.example.com/u/8f3a9c2e?list=spring" style="color:#888888;">Unsubscribe</a> · <a'));
    assert.ok(html.text.includes('25% off this week – our biggest spring sale yet.'));
    assert.equal(html.encode, undefined, 'quoted-printable parts cannot take edits');
    const plain = body(m, 'text');
    assert.ok(plain.text.startsWith('Hi Alex,\r\n\r\nRain shells'));
    assert.ok(plain.text.includes('Unsubscribe: https://harbor.example.com/u/8f3a9c2e?list=spring'));
  });

  test('quoted-printable toSource: after a soft line break, at =XX, at a multi-byte character', () => {
    const html = body(m, 'html');
    assertQuotedPrintableMap(m, html);
    // "Shop =\r\nthe spring sale": the "t" after the soft break is the first character of the next line.
    const the = html.text.indexOf('the spring sale</a>');
    const at = html.toSource(the);
    assert.equal(text.slice(at - 3, at + 15), '=\r\nthe spring sale');
    // `lang="en"`: the quote is written =3D"? no: `=3D"en"` is `=` then `"`; the quote itself is literal.
    const eq = html.text.indexOf('="en"');
    assert.equal(text.slice(html.toSource(eq), html.toSource(eq) + 3), '=3D');
    assert.equal(text[html.toSource(eq + 1)], '"');
    // The en dash is three encoded bytes; it maps to the first `=`, and what follows to after them.
    const dash = html.text.indexOf('–');
    assert.equal(text.slice(html.toSource(dash), html.toSource(dash) + 9), '=E2=80=93');
    assert.equal(html.toSource(dash + 1), html.toSource(dash) + 9);
    // Clamped at both ends.
    assert.equal(html.toSource(-5), html.start);
    assert.equal(html.toSource(html.text.length + 10), html.end);
  });
});

describe('Amazon SES message without one-click signing, one 7bit HTML body', () => {
  const text = fixture('ses-unsigned-post.eml');
  const m = parseEml(text);

  test('Return-Path at amazonses.com; h= lacks List-Unsubscribe-Post', () => {
    assert.deepEqual(m.problems, []);
    assert.equal(m.mailFrom?.value, 'amazonses.com');
    assert.equal(slice(m, m.mailFrom), 'amazonses.com');
    assert.equal(m.dkim.length, 1);
    assert.ok(m.dkim[0]!.signedHeaders!.includes('list-unsubscribe'));
    assert.ok(!m.dkim[0]!.signedHeaders!.includes('list-unsubscribe-post'));
    assert.equal(m.from?.value, 'news@harbor.example.com');
    assert.equal(slice(m, m.from), 'news@harbor.example.com');
    assert.equal(m.recipients, 1);
  });

  test('a non-multipart message is one part; 7bit maps one to one and takes edits as written', () => {
    assert.equal(m.bodies.length, 1);
    const b = m.bodies[0]!;
    assert.equal(b.label, 'MIME part 1 (text/html)');
    assert.equal(b.type, 'html');
    assert.equal(b.end, text.length);
    assert.equal(b.start, text.indexOf('\r\n\r\n') + 4);
    assert.equal(b.text, slice(m, b));
    const link = b.text.indexOf('Unsubscribe</a>');
    assert.equal(b.toSource(link), b.start + link);
    assert.equal(text.slice(b.toSource(link), b.toSource(link) + 11), 'Unsubscribe');
    assert.equal(b.toSource(b.text.length), b.end);
    assert.equal(b.encode?.('<a href="https://x.example/u">Unsubscribe</a>'), '<a href="https://x.example/u">Unsubscribe</a>');
  });
});

describe('SendGrid message', () => {
  const text = fixture('sendgrid.eml');
  const m = parseEml(text);

  test('unquoted boundary, us-ascii quoted-printable parts', () => {
    assert.deepEqual(m.problems, []);
    assert.deepEqual(
      m.bodies.map((b) => b.label),
      ['MIME part 1 (text/plain)', 'MIME part 2 (text/html)'],
    );
    const html = body(m, 'html');
    assert.ok(html.text.includes('<a href="<%asm_group_unsubscribe_raw_url%>">Unsubscribe from cart reminders</a>'));
    assertQuotedPrintableMap(m, html);
    const tag = html.text.indexOf('<%asm_group_unsubscribe_raw_url%>');
    const at = html.toSource(tag);
    assert.equal(text.slice(at, at + 4), '<%as');
  });

  test('a quoted comma in the display name is one recipient; Return-Path local part with =', () => {
    assert.equal(m.recipients, 1);
    assert.equal(m.from?.value, 'hello@harbor.example.com');
    assert.equal(slice(m, m.from), 'hello@harbor.example.com');
    assert.equal(m.mailFrom?.value, 'em4821.harbor.example.com');
    assert.equal(slice(m, m.mailFrom), 'em4821.harbor.example.com');
  });

  test('h= folded over lines, lower-case with repeats, is read whole', () => {
    const sig = m.dkim[0]!;
    assert.equal(sig.domain?.value, 'harbor.example.com');
    assert.equal(slice(m, sig.domain), 'harbor.example.com');
    assert.equal(sig.selector, 's1');
    assert.deepEqual(sig.signedHeaders, ['content-type', 'from', 'mime-version', 'subject', 'list-unsubscribe', 'list-unsubscribe-post', 'x-feedback-id', 'to', 'cc', 'content-type', 'from', 'subject', 'to']);
  });
});

describe('Mailchimp-style multipart/mixed with multipart/alternative and attachments', () => {
  const text = fixture('mailchimp-mixed.eml');
  const m = parseEml(text);

  test('nested parts are labelled by path; attachments are skipped', () => {
    assert.deepEqual(m.problems, []);
    assert.deepEqual(
      m.bodies.map((b) => [b.label, b.type]),
      [
        ['MIME part 1.1 (text/plain)', 'text'],
        ['MIME part 1.2 (text/html)', 'html'],
      ],
    );
    assert.ok(!m.bodies.some((b) => b.text.includes('Prices valid')), 'the text/plain attachment is not a body');
    const html = body(m, 'html');
    assert.ok(slice(m, html).startsWith('<!doctype html>\r\n'));
    assert.ok(slice(m, html).trimEnd().endsWith('</html>'));
    assert.ok(html.text.includes('Copyright © 2024 Harbor Outfitters Inc.'));
    assert.ok(html.text.includes('unsubscribe from this list</a>'));
    assertQuotedPrintableMap(m, html);
    assertQuotedPrintableMap(m, body(m, 'text'));
  });

  test('encoded-word From and Subject', () => {
    assert.equal(m.from?.value, 'journal@harbor.example.com');
    assert.equal(slice(m, m.from), 'journal@harbor.example.com');
    assert.equal(m.replyTo?.value, 'hello@harbor.example.com');
    const from = header(m, 'from');
    assert.equal(from.value, '=?utf-8?Q?Harbor=20Outfitters?= <journal@harbor.example.com>', 'encoded words are left in value');
    assert.equal(parseAddressList(text, from.valueStart, from.valueEnd)[0]?.displayName, 'Harbor Outfitters');
    assert.equal(decodeEncodedWords(header(m, 'subject').value), 'The Harbor Journal — June');
    assert.equal(m.mailFrom?.value, 'mail170.suw11.mcdlv.net');
  });

  test('h= continued on a line of its own', () => {
    assert.deepEqual(
      m.dkim.map((d) => d.domain?.value),
      ['harbor.example.com', 'mcsv.net'],
    );
    assert.ok(m.dkim[0]!.signedHeaders!.includes('list-unsubscribe-post'));
    assert.equal(m.dkim[0]!.selector, 'k2');
  });
});

describe('Japanese newsletter: ISO-2022-JP text, UTF-8 base64 HTML (CRLF)', () => {
  const text = fixture('japanese-iso2022jp.eml');
  const m = parseEml(text);

  test('encoded-word Subject over two folded lines, and From', () => {
    assert.deepEqual(m.problems, []);
    const subject = header(m, 'subject');
    assert.ok(slice(m, subject).includes('?=\r\n =?ISO-2022-JP?B?'));
    assert.equal(decodeEncodedWords(subject.value), '【春の感謝祭】全品ポイント5倍キャンペーン開催中');
    assert.equal(m.from?.value, 'info@sakura-books.example.jp');
    assert.equal(slice(m, m.from), 'info@sakura-books.example.jp');
    const from = header(m, 'from');
    assert.equal(parseAddressList(text, from.valueStart, from.valueEnd)[0]?.displayName, 'さくら書店');
    assert.equal(m.dkim[0]?.domain?.value, 'sakura-books.example.jp');
  });

  test('ISO-2022-JP 7bit part: decoded, mapped past escape sequences, not editable', () => {
    const plain = body(m, 'text');
    assert.equal(plain.label, 'MIME part 1 (text/plain)');
    assert.ok(plain.text.startsWith('山田 太郎 様\r\n'));
    assert.ok(plain.text.includes('配信停止はこちら：https://sakura-books.example.jp/mail/stop?id=a1b2c3'));
    assert.equal(plain.encode, undefined);
    // 山 is the first two bytes after ESC $ B.
    const yama = plain.toSource(0);
    assert.equal(text.slice(yama - 3, yama + 2), '\x1b$B;3');
    // The ASCII 5 sits between ESC ( B and ESC $ B; 倍 follows the second escape.
    const five = plain.text.indexOf('5倍');
    assert.equal(text.slice(plain.toSource(five) - 3, plain.toSource(five) + 1), '\x1b(B5');
    assert.equal(text.slice(plain.toSource(five + 1) - 3, plain.toSource(five + 1) + 2), '\x1b$BG\\');
    const url = plain.text.indexOf('https://sakura-books.example.jp/mail/stop');
    assert.equal(text.slice(plain.toSource(url), plain.toSource(url) + 8), 'https://');
  });

  test('base64 UTF-8 part: a character maps to the 4-character group holding its first byte', () => {
    const html = body(m, 'html');
    assert.equal(html.label, 'MIME part 2 (text/html)');
    assert.ok(html.text.includes('<a href="https://sakura-books.example.jp/mail/stop?id=a1b2c3">配信停止</a>'));
    assert.equal(html.encode, undefined);
    const positions = base64Positions(m, html);
    for (const needle of ['配信停止', '〒150', 'https://sakura-books.example.jp/mail/stop']) {
      const d = html.text.indexOf(needle);
      const byte = Buffer.byteLength(html.text.slice(0, d), 'utf8');
      const group = positions[Math.floor(byte / 3) * 4]!;
      assert.equal(html.toSource(d), group, needle);
      // The group really holds that byte.
      const quad = text.slice(group, group + 4);
      assert.equal(Buffer.from(quad, 'base64')[byte % 3], Buffer.from(needle, 'utf8')[0]);
    }
    assert.equal(html.toSource(html.text.length), html.end);
  });
});

describe('Japanese newsletter saved with LF line endings: Shift_JIS base64, UTF-8 quoted-printable', () => {
  const text = fixture('japanese-utf8-lf.eml');
  const m = parseEml(text);

  test('LF file: headers end before LF; encoded words in From and To', () => {
    assert.ok(!text.includes('\r'));
    assert.deepEqual(m.problems, []);
    assertHeaderSpans(m);
    const from = header(m, 'from');
    assert.equal(text[from.end], '\n');
    assert.equal(m.from?.value, 'info@sakura-books.example.jp');
    assert.equal(slice(m, m.from), 'info@sakura-books.example.jp');
    assert.equal(parseAddressList(text, from.valueStart, from.valueEnd)[0]?.displayName, 'さくら書店');
    const to = header(m, 'to');
    assert.equal(parseAddressList(text, to.valueStart, to.valueEnd)[0]?.displayName, '佐藤花子');
    assert.equal(decodeEncodedWords(header(m, 'subject').value), '【新刊のお知らせ】4月のおすすめ');
    const sig = m.dkim[0]!;
    assert.equal(slice(m, sig.domain), 'sakura-books.example.jp');
    assert.ok(!sig.signedHeaders!.includes('list-unsubscribe'));
  });

  test('quoted-printable UTF-8: あ maps to =E3=81=82; a character split by a soft break maps to its first =', () => {
    const html = body(m, 'html');
    assertQuotedPrintableMap(m, html);
    assert.ok(html.text.includes('メールの<a href="https://sakura-books.example.jp/mail/stop?id=d4e5f6">配信解除</a>はこちら'));
    const a = html.text.indexOf('あ');
    const at = html.toSource(a);
    assert.equal(text.slice(at, at + 9), '=E3=81=82');
    assert.equal(html.toSource(a + 1), at + 9, 'the next character starts after the three bytes');
    assert.equal(html.text[a + 1], 'な');
    // ま (E3 81 BE) is written "=E3=\n=81=BE": split across a soft line break.
    const ma = html.text.indexOf('ま');
    assert.equal(html.toSource(ma), text.indexOf('=E3=\n=81=BE', html.start));
    // "utm=\n_medium": the first character after a soft line break starts the next line.
    const medium = html.toSource(html.text.indexOf('_medium=email'));
    assert.equal(text.slice(medium - 5, medium + 7), 'utm=\n_medium');
  });

  test('Shift_JIS base64 text part decodes and maps to the group of its first byte', () => {
    const plain = body(m, 'text');
    assert.ok(plain.text.startsWith('佐藤 花子 様\n'));
    assert.ok(plain.text.includes('配信解除：https://sakura-books.example.jp/mail/stop?id=d4e5f6'));
    const positions = base64Positions(m, plain);
    // Shift_JIS: ASCII is one byte, these full-width characters two.
    const sjisLength = (s: string) => [...s].reduce((n, c) => n + (c.charCodeAt(0) < 0x80 ? 1 : 2), 0);
    for (const needle of ['配信解除', 'https://sakura-books.example.jp/mail/stop', '東京都']) {
      const d = plain.text.indexOf(needle);
      assert.equal(plain.toSource(d), positions[Math.floor(sjisLength(plain.text.slice(0, d)) / 3) * 4], needle);
    }
  });
});

describe('edits.insertHeaders', () => {
  for (const name of ['ses-unsigned-post.eml', 'japanese-utf8-lf.eml', 'mailchimp-mixed.eml']) {
    test(`${name}: the new header is the last one, with the file's line ending; bodies unchanged`, () => {
      const text = fixture(name);
      const before = parseEml(text);
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const edit = before.edits.insertHeaders([['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click']])!;
      assert.equal(edit.start, edit.end);
      assert.equal(edit.text, `List-Unsubscribe-Post: List-Unsubscribe=One-Click${eol}`);
      const fixed = apply(text, edit);
      const after = parseEml(fixed);
      assert.deepEqual(after.problems, []);
      assert.equal(after.headers.length, before.headers.length + 1);
      const added = after.headers[after.headers.length - 1]!;
      assert.equal(slice(after, added), 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      assert.deepEqual(
        after.bodies.map((b) => [b.label, b.text]),
        before.bodies.map((b) => [b.label, b.text]),
      );
      assert.equal(after.bodies[0]!.start, before.bodies[0]!.start + edit.text.length);
      assert.equal(fixed.slice(after.bodies[0]!.start), text.slice(before.bodies[0]!.start));
    });
  }

  test('insertHeaders adds several lines in one edit', () => {
    const text = fixture('sendgrid.eml');
    const m = parseEml(text);
    const edit = m.edits.insertHeaders([
      ['List-Unsubscribe', '<https://harbor.example.com/u/1>'],
      ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
    ])!;
    assert.equal(edit.text, 'List-Unsubscribe: <https://harbor.example.com/u/1>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    const after = parseEml(apply(text, edit));
    assert.equal(after.headers.filter((h) => h.name === 'List-Unsubscribe').length, 2);
    assert.equal(after.bodies.length, 2);
  });

  test('without an empty line the header goes after the last line', () => {
    const text = 'From: a@example.com\r\nSubject: hi';
    const edit = parseEml(text).edits.insertHeaders([['Date', 'Mon, 1 Jan 2024 00:00:00 +0000']])!;
    assert.deepEqual(edit, { start: text.length, end: text.length, text: '\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n' });
    assert.equal(parseEml(apply(text, edit)).headers.length, 3);
  });

  test('a value with a line break is folded, so it stays one field', () => {
    const m = parseEml('From: a@example.com\n\nbody\n');
    const edit = m.edits.insertHeaders([['List-Unsubscribe', '<https://x.example/u>,\n<mailto:u@x.example>']])!;
    assert.equal(edit.text, 'List-Unsubscribe: <https://x.example/u>,\n <mailto:u@x.example>\n');
    const after = parseEml(apply(m.text, edit));
    assert.equal(after.headers[1]!.value, '<https://x.example/u>, <mailto:u@x.example>');
    assert.deepEqual(after.problems, []);
  });

  test('an empty file gets the header at 0', () => {
    assert.deepEqual(parseEml('').edits.insertHeaders([['From', 'a@example.com']])!, { start: 0, end: 0, text: 'From: a@example.com\r\n' });
  });

  test('edits a message has no place for are undefined', () => {
    const m = parseEml('From: a@example.com\r\n\r\nbody\r\n');
    assert.equal(m.edits.insertConsent({ basis: 'REPLACE_ME' }), undefined);
    assert.equal(m.edits.setValue(['mailFrom'], 'bounce.example.com'), undefined);
    assert.equal(m.edits.insertListManagement(), undefined);
  });
});

describe('addresses', () => {
  function recipients(block: string): number | undefined {
    return parseEml(`From: a@example.com\r\n${block}\r\n\r\nhi\r\n`).recipients;
  }

  test('groups, quoted commas, comments and Bcc', () => {
    assert.equal(recipients('To: "Doe, Jane" <jane@example.com>, bob@example.org'), 2);
    assert.equal(recipients('To: Team: a@example.com, b@example.com;, c@example.com'), 3);
    assert.equal(recipients('To: undisclosed-recipients:;'), 0);
    assert.equal(recipients('Bcc: (list) c@example.com (Carol)'), 1);
    assert.equal(recipients('To: a@example.com\r\nCc: b@example.com,\r\n c@example.com\r\nBcc: d@example.com'), 4);
    // An unquoted comma in a display name: "Doe" holds no address.
    assert.equal(recipients('To: Doe, John <john@example.com>'), 1);
    assert.equal(recipients('Subject: none'), 0);
  });

  test('From forms: bare with a comment, quoted local part, encoded word with a comma', () => {
    const bare = parseEml('From: news@example.com (Example News)\r\n\r\n');
    assert.equal(bare.from?.value, 'news@example.com');
    assert.equal(slice(bare, bare.from), 'news@example.com');
    const quoted = parseEml('From: "Shop" <"shop news"@example.com>\r\n\r\n');
    assert.equal(quoted.from?.value, '"shop news"@example.com');
    assert.equal(slice(quoted, quoted.from), '"shop news"@example.com');
    const encoded = parseEml('From: =?UTF-8?Q?Shop,_Inc?= <shop@example.com>\r\n\r\n');
    assert.equal(encoded.from?.value, 'shop@example.com');
    const list = parseAddressList(encoded.text, 6, encoded.text.indexOf('\r\n'));
    assert.deepEqual(list.map((b) => [b.value, b.displayName]), [['shop@example.com', 'Shop, Inc']]);
    const folded = parseEml('From: "Harbor\r\n Outfitters" <\r\n news@harbor.example.com >\r\n\r\n');
    assert.equal(folded.from?.value, 'news@harbor.example.com');
    assert.equal(slice(folded, folded.from), 'news@harbor.example.com');
  });

  test('two From fields are both kept; from is the first', () => {
    const m = parseEml('From: a@example.com\r\nFrom: b@example.com\r\nTo: c@example.com\r\n\r\nhi');
    assert.deepEqual(
      m.headers.filter((h) => h.name === 'From').map((h) => h.value),
      ['a@example.com', 'b@example.com'],
    );
    assert.equal(m.from?.value, 'a@example.com');
  });

  test('Return-Path: the null path has no domain; no Return-Path, no mailFrom', () => {
    assert.equal(parseEml('Return-Path: <>\r\nFrom: a@example.com\r\n\r\n').mailFrom, undefined);
    assert.equal(parseEml('From: a@example.com\r\n\r\n').mailFrom, undefined);
    const m = parseEml('Return-Path: bounce@Bounce.Example.COM\r\n\r\n');
    assert.equal(m.mailFrom?.value, 'Bounce.Example.COM');
    assert.equal(slice(m, m.mailFrom), 'Bounce.Example.COM');
  });
});

describe('DKIM tags', () => {
  test('whitespace around tags and inside values, folding, upper-case names', () => {
    const text = 'DKIM-Signature: v=1; A=RSA-SHA256; d = mail.example.com ;\r\n s=sel1; h=From : To :\r\n\t List-Unsubscribe; bh=abc=; b=de\r\n f==\r\nFrom: a@example.com\r\n\r\n';
    const m = parseEml(text);
    const sig = m.dkim[0]!;
    assert.equal(sig.domain?.value, 'mail.example.com');
    assert.equal(slice(m, sig.domain), 'mail.example.com');
    assert.equal(sig.algorithm, 'rsa-sha256');
    assert.equal(sig.selector, 'sel1');
    assert.deepEqual(sig.signedHeaders, ['from', 'to', 'list-unsubscribe']);
  });

  test('a signature without d= or h= is still listed', () => {
    const m = parseEml('DKIM-Signature: v=1; a=rsa-sha256\r\n\r\n');
    assert.equal(m.dkim.length, 1);
    assert.equal(m.dkim[0]!.domain, undefined);
    assert.equal(m.dkim[0]!.signedHeaders, undefined);
  });
});

describe('decoding details', () => {
  function single(headers: string, content: string) {
    const text = `From: a@example.com\r\nMIME-Version: 1.0\r\n${headers}\r\n\r\n${content}`;
    return { text, m: parseEml(text) };
  }

  test('ISO-8859-1 quoted-printable, lower-case hex, a stray =', () => {
    const { text, m } = single('Content-Type: text/plain; charset="ISO-8859-1"\r\nContent-Transfer-Encoding: quoted-printable', 'caf=e9 = 100% =\r\nnatural=3D');
    const b = m.bodies[0]!;
    assert.equal(b.text, 'café = 100% natural=');
    assert.equal(text.slice(b.toSource(3), b.toSource(3) + 3), '=e9');
    assert.equal(text[b.toSource(5)], '=');
    assert.deepEqual(m.problems, []);
  });

  test('trailing whitespace before a line break is transport padding', () => {
    const { m } = single('Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable', 'one   \r\ntwo=20\r\nthree');
    assert.equal(m.bodies[0]!.text, 'one\r\ntwo \r\nthree');
  });

  test('invalid base64: reported at the first bad character, the rest decoded', () => {
    const { text, m } = single('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64', 'SGVs*bG8g\r\nd29y!bGQ=\r\n');
    assert.equal(m.bodies[0]!.text, 'Hello world');
    assert.equal(m.problems.length, 1);
    assert.match(m.problems[0]!.message, /^Invalid base64 in MIME part 1 \(text\/plain\): 2 characters outside the base64 alphabet/);
    assert.equal(slice(m, m.problems[0]), '*');
    assert.equal(text.slice(m.bodies[0]!.toSource(3)).slice(0, 4), 'bG8g');
  });

  test('base64 cut short by one character', () => {
    const { m } = single('Content-Type: text/plain\r\nContent-Transfer-Encoding: base64', 'SGVsbG8gd29ybGQhI');
    assert.equal(m.bodies[0]!.text, 'Hello world!');
    assert.match(m.problems[0]!.message, /lone character/);
  });

  test('unknown charset: decoded as UTF-8, reported at the charset', () => {
    const { m } = single('Content-Type: text/html; charset=x-klingon\r\nContent-Transfer-Encoding: base64', Buffer.from('<p>tlhIngan Hol ✓</p>').toString('base64'));
    assert.equal(m.bodies[0]!.text, '<p>tlhIngan Hol ✓</p>');
    assert.equal(m.problems.length, 1);
    assert.equal(m.problems[0]!.message, 'Unknown charset "x-klingon" in MIME part 1 (text/html); it was decoded as UTF-8.');
    assert.equal(slice(m, m.problems[0]), 'x-klingon');
  });

  test('8bit UTF-8 with astral characters maps one to one', () => {
    const { text, m } = single('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit', '🎉 セール 📦 end');
    const b = m.bodies[0]!;
    assert.equal(b.text, '🎉 セール 📦 end');
    assert.equal(text.slice(b.toSource(b.text.indexOf('end'))), 'end');
    assert.equal(b.encode?.('配信停止'), '配信停止');
  });

  test('base64 UTF-8 with astral characters and a surrogate pair in the map', () => {
    const { m } = single('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64', Buffer.from('ab🎉cd').toString('base64'));
    const b = m.bodies[0]!;
    assert.equal(b.text, 'ab🎉cd');
    const start = b.start;
    // Bytes 61 62 F0 | 9F 8E 89 | 63 64: the emoji starts in the first group, "c" and "d" are in the third.
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => b.toSource(i) - start), [0, 0, 0, 0, 8, 8]);
  });

  test('8bit in another charset was already read as UTF-8: said so, text kept as read', () => {
    const { m } = single('Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit', 'café');
    assert.equal(m.bodies[0]!.text, 'café');
    assert.match(m.problems[0]!.message, /read as UTF-8/);
  });

  test('a text/html attachment is not a body; text/calendar and images are not bodies', () => {
    const text = [
      'From: a@example.com',
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: text/html',
      'Content-Disposition: attachment; filename="page.html"',
      '',
      '<p>attached</p>',
      '--b',
      'Content-Type: text/calendar',
      '',
      'BEGIN:VCALENDAR',
      '--b',
      'Content-Type: text/html',
      'Content-Disposition: inline',
      '',
      '<p>shown</p>',
      '--b--',
      '',
    ].join('\r\n');
    const m = parseEml(text);
    assert.deepEqual(
      m.bodies.map((b) => [b.label, b.text]),
      [['MIME part 3 (text/html)', '<p>shown</p>']],
    );
  });

  test('boundary parameter: case-insensitive name, quoted, and a delimiter-like line of a longer boundary', () => {
    const text = [
      'From: a@example.com',
      'Content-Type: Multipart/Alternative; BOUNDARY="abc"',
      '',
      '--abc',
      'Content-Type: text/plain',
      '',
      'first',
      '--abcdef is not a delimiter',
      '--abc',
      'Content-Type: text/html',
      '',
      '<p>second</p>',
      '--abc--',
      'epilogue',
    ].join('\n');
    const m = parseEml(text);
    assert.deepEqual(
      m.bodies.map((b) => b.text),
      ['first\n--abcdef is not a delimiter', '<p>second</p>'],
    );
    assert.deepEqual(m.problems, []);
  });
});

describe('bad input never crashes and is reported', () => {
  test('truncated multipart: reported at its last line; the parts read so far are kept', () => {
    const text = fixture('truncated.eml');
    const m = parseEml(text);
    assert.equal(m.problems.length, 1);
    assert.equal(m.problems[0]!.message, 'multipart/alternative is truncated: the closing "------=_Part_1843027_1295703311.1714550400123--" line never appears, so the last part may be incomplete.');
    assert.equal(slice(m, m.problems[0]), text.slice(text.lastIndexOf('\n') + 1));
    assert.deepEqual(
      m.bodies.map((b) => b.label),
      ['MIME part 1 (text/plain)', 'MIME part 2 (text/html)'],
    );
    assert.equal(body(m, 'html').end, text.length);
    assert.ok(body(m, 'html').text.includes('our biggest spring sale yet.'));
  });

  test('wrong boundary: reported at the declared boundary; no bodies', () => {
    const m = parseEml(fixture('wrong-boundary.eml'));
    assert.deepEqual(
      m.problems.map((p) => [p.message, slice(m, p)]),
      [['boundary "----=_Part_1843027_1295703311.1714550400999" declared in Content-Type but no part uses it', '----=_Part_1843027_1295703311.1714550400999']],
    );
    assert.deepEqual(m.bodies, []);
    assert.equal(m.headers.length, 16);
  });

  test('multipart without a boundary parameter', () => {
    const m = parseEml('From: a@example.com\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\n\r\nhi\r\n--x--\r\n');
    assert.equal(m.problems[0]!.message, 'multipart/mixed has no boundary parameter, so its parts cannot be found.');
    assert.equal(slice(m, m.problems[0]), 'multipart/mixed');
  });

  test('no empty line after the headers: all headers, one problem, no body', () => {
    const text = 'From: a@example.com\r\nTo: b@example.com\r\nSubject: no body';
    const m = parseEml(text);
    assert.equal(m.headers.length, 3);
    assert.deepEqual(m.bodies, []);
    assert.equal(m.problems.length, 1);
    assert.match(m.problems[0]!.message, /^No empty line ends the header block/);
    assert.equal(slice(m, m.problems[0]), 'Subject: no body');
    assert.equal(m.from?.value, 'a@example.com');
  });

  test('header lines without a colon and with bad names are problems, not fields', () => {
    const text = 'From: a@example.com\r\nthis line is junk\r\n continued junk\r\nBad Name: x\r\nSubject : spaced colon\r\n\r\nbody';
    const m = parseEml(text);
    assert.deepEqual(
      m.headers.map((h) => [h.name, h.value]),
      [
        ['From', 'a@example.com'],
        ['Subject', 'spaced colon'],
      ],
    );
    assert.deepEqual(
      m.problems.map((p) => slice(m, p)),
      ['this line is junk', 'Bad Name'],
    );
    assert.match(m.problems[0]!.message, /without a colon/);
    assert.equal(m.bodies[0]!.text, 'body');
  });

  test('an mbox "From " line at the top is named as such', () => {
    const m = parseEml('From news@example.com Mon Jan  1 00:00:00 2024\nFrom: news@example.com\n\nhi\n');
    assert.match(m.problems[0]!.message, /mbox "From " separator/);
    assert.equal(slice(m, m.problems[0]), 'From news@example.com Mon Jan  1 00:00:00 2024');
    assert.equal(m.from?.value, 'news@example.com');
  });

  test('an indented first line continues nothing', () => {
    const m = parseEml(' folded: nothing\r\nFrom: a@example.com\r\n\r\n');
    assert.match(m.problems[0]!.message, /continues no field/);
    assert.equal(m.headers.length, 1);
  });

  test('a part without an empty line after its headers', () => {
    const m = parseEml('Content-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: text/plain\n--q\nContent-Type: text/plain\n\nok\n--q--\n');
    assert.deepEqual(
      m.bodies.map((b) => [b.label, b.text]),
      [['MIME part 2 (text/plain)', 'ok']],
    );
    assert.match(m.problems[0]!.message, /^MIME part 1 has no empty line after its headers/);
  });

  test('ISO-2022-JP with an escape sequence cut by a line break: toSource still answers', () => {
    // Node's streaming decoder throws on this even when not fatal.
    const m = parseEml('Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n\x1b$B;3ED\x1b(B \x1b$\r\nBMM\x1b(B end');
    const b = m.bodies[0]!;
    assert.ok(b.text.startsWith('山田 '));
    for (let i = 0; i <= b.text.length; i++) {
      const at = b.toSource(i);
      assert.ok(at >= b.start && at <= b.end);
    }
  });

  test('the empty string', () => {
    const m = parseEml('');
    assert.deepEqual(m.headers, []);
    assert.deepEqual(m.bodies, []);
    assert.deepEqual(m.dkim, []);
    assert.deepEqual(m.problems, []);
    assert.deepEqual(m.anchor, { start: 0, end: 0 });
    assert.equal(m.from, undefined);
  });

  test('binary junk: no crash, problems capped, every span inside the text', () => {
    let seed = 42;
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      bytes[i] = seed >> 16;
    }
    for (const text of [bytes.toString('utf8'), bytes.toString('latin1'), `Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n${bytes.toString('latin1')}`]) {
      const m = parseEml(text);
      assert.ok(m.problems.length <= 25, `${m.problems.length} problems`);
      for (const p of [...m.problems, ...m.headers, ...m.bodies]) assert.ok(p.start >= 0 && p.start <= p.end && p.end <= text.length);
    }
  });

  test('pathological shapes', () => {
    const nested = Array.from({ length: 40 }, (_, i) => `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`).join('') + 'Content-Type: text/plain\r\n\r\ndeep\r\n';
    const m = parseEml(nested);
    assert.match(m.problems.map((p) => p.message).join('\n'), /nested more than 32 deep/);
    for (const text of ['\r\n', '\n\n\n', ':', ':\r\n\r\n', 'a:\r\n\r\n=', 'Content-Type: multipart/x; boundary=""\r\n\r\n--\r\n', 'Content-Type: text/plain; charset\r\nContent-Transfer-Encoding: base64\r\n\r\n====', 'From: <\r\n\r\n', 'From: "unterminated\r\n\r\n', 'From: (((\r\n\r\n']) {
      assert.doesNotThrow(() => parseEml(text), JSON.stringify(text));
    }
  });

  test('a 20 MB message parses, linearly', (t) => {
    const boundary = '----=_Part_big';
    const inner = '----=_Part_alt';
    const paragraph = '<p style="margin:0 0 12px 0;">Rain shells – 25% off this week. Trail shoes, packs and tents from 500 Pier Street.</p>\n';
    const encoded = paragraph.replace(/=/g, '=3D').replace(/–/g, '=E2=80=93');
    const lines: string[] = [];
    let size = 0;
    while (size < 19_000_000) {
      lines.push(encoded.length > 76 ? encoded.slice(0, 70) + '=\r\n' + encoded.slice(70, encoded.length - 1) + '\r\n' : encoded);
      size += encoded.length + 3;
    }
    const attachment = Buffer.alloc(1_000_000, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
    const text = [
      'From: Harbor Outfitters <news@harbor.example.com>',
      'To: alex@example.net',
      'Subject: Big',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      `Content-Type: multipart/alternative; boundary="${inner}"`,
      '',
      `--${inner}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Plain version.',
      `--${inner}`,
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<html><body>',
      lines.join(''),
      '<a href=3D"https://harbor.example.com/u/1">Unsubscribe</a></body></html>',
      `--${inner}--`,
      `--${boundary}`,
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="big.bin"',
      '',
      attachment,
      `--${boundary}--`,
      '',
    ].join('\r\n');
    assert.ok(text.length > 20_000_000);
    const started = performance.now();
    const m = parseEml(text);
    const parsed = performance.now();
    const html = body(m, 'html');
    const unsub = html.text.lastIndexOf('Unsubscribe</a>');
    const at = html.toSource(unsub); // builds the part's offset map
    const mapped = performance.now();
    t.diagnostic(`${(text.length / 1e6).toFixed(1)} MB: parsed in ${(parsed - started).toFixed(0)} ms, first toSource (offset map of the ${(html.text.length / 1e6).toFixed(1)} MB HTML part) in ${(mapped - parsed).toFixed(0)} ms`);
    assert.deepEqual(m.problems, []);
    assert.equal(html.label, 'MIME part 1.2 (text/html)');
    assert.equal(text.slice(at, at + 11), 'Unsubscribe');
    assert.equal(m.bodies.length, 2);
  });
});
