// The domain check's inputs come from the send model the rules read (server/src/core/parse), not
// from patterns over the text: the From domain, DKIM d= and s=, and the MAIL FROM domain of raw
// messages, SES and SendGrid payloads and campaign files; the settings fill what a document lacks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { sendIdentityOf } from '../../server/src/core/sendIdentity';
import { readDomainCheckSettings, senderDomainFromSettings, suggestInputs } from '../../server/src/lsp/checkDomain';

const root = join(__dirname, '..', '..');
const config = { ...defaultConfig(), root: '/project' };
const identity = (text: string, filePath?: string) => sendIdentityOf({ text, filePath, config });
const read = (...parts: string[]) => readFileSync(join(root, ...parts), 'utf8');

test('a raw message gives From, the folded DKIM-Signature d= and s=, and the Return-Path domain', () => {
  const eml = read('test', 'fixtures', 'eml', 'sendgrid.eml');
  assert.deepEqual(identity(eml, '/project/mail/sendgrid.eml'), {
    fromDomain: 'harbor.example.com',
    dkimSelectors: ['s1'],
    dkimDomains: ['harbor.example.com'],
    mailFromDomains: ['em4821.harbor.example.com'],
  });
});

test('headers are read as headers: a From: line in the body or a d= outside a signature counts for nothing', () => {
  const eml = [
    'Return-Path: <bounce@Mail.Shop.Example>',
    'DKIM-Signature: v=1; a=rsa-sha256; d=Shop.Example;',
    ' s=S2024; h=from:to:subject; bh=abc=; b=def=',
    'X-Note: d=wrong.example; s=wrong',
    'From: "Shop" <news@Shop.Example>',
    'Subject: hi',
    'Date: Thu, 14 Mar 2024 17:32:05 +0000',
    '',
    'From: someone@else.example',
    'DKIM-Signature: d=body.example; s=body',
  ].join('\r\n');
  assert.deepEqual(identity(eml, '/project/a.eml'), { fromDomain: 'shop.example', dkimSelectors: ['s2024'], dkimDomains: ['shop.example'], mailFromDomains: ['mail.shop.example'] });
});

test('SES and SendGrid payloads give the From domain (display names and all)', () => {
  assert.equal(identity(read('examples', 'send', 'ses-welcome.json'), '/project/send/ses-welcome.json').fromDomain, 'trailhead.example.com');
  assert.equal(identity(read('examples', 'send', 'sendgrid-newsletter.json'), '/project/send/sendgrid-newsletter.json').fromDomain, 'trailhead.example.com');
  // A "from" that is not the payload's sender (a SendGrid reply_to, a nested object) is not taken.
  const sg = '{"personalizations": [{"to": [{"email": "a@x.example"}]}], "reply_to": {"email": "r@reply.example"}, "from": {"email": "a@sg.example", "name": "x"}}';
  assert.equal(identity(sg, '/project/p.json').fromDomain, 'sg.example');
});

test('a campaign file gives the From domain, DKIM selector and domain, and MAIL FROM', () => {
  const text = read('test', 'fixtures', 'rules', 'from-domain-unaligned', 'valid', 'winter-sale.campaign.yaml');
  assert.deepEqual(identity(text, '/project/winter-sale.campaign.yaml'), {
    fromDomain: 'harbor.example.com',
    dkimSelectors: ['hb2026'],
    dkimDomains: ['harbor.example.com'],
    mailFromDomains: ['bounce.harbor.example.com'],
  });
  // A selector without a domain still prefills the selector.
  assert.deepEqual(identity('from: a@b.example\ndkim:\n  selector: only\n', '/project/x.campaign.yaml').dkimSelectors, ['only']);
});

test('templates and files that are not send configurations give nothing', () => {
  assert.deepEqual(identity('<p>From: news@shop.example</p>', '/project/t.html'), { dkimSelectors: [], dkimDomains: [], mailFromDomains: [] });
  assert.deepEqual(identity('{"name": "pkg", "from": "a@b.example"}', '/project/package.json'), { dkimSelectors: [], dkimDomains: [], mailFromDomains: [] });
});

test('the settings fill in what the document lacks; configured selectors come first', () => {
  const settings = readDomainCheckSettings({ sender: { domain: '', unsubscribeUrl: 'https://links.shop.example/u?t={{token}}' }, dkim: { selectors: ['google', 's1'] }, dns: { servers: ['127.0.0.1:53'], timeout: 500 } });
  assert.deepEqual(settings, { senderDomain: '', unsubscribeUrl: 'https://links.shop.example/u?t={{token}}', selectors: ['google', 's1'], servers: ['127.0.0.1:53'], timeoutMs: 500 });
  assert.deepEqual(suggestInputs({ dkimSelectors: ['s1', 's2'], dkimDomains: [], mailFromDomains: [] }, settings), { domain: 'links.shop.example', selectors: ['google', 's1', 's2'], dkimDomains: [], mailFromDomains: [] });
  assert.equal(suggestInputs({ fromDomain: 'doc.example', dkimSelectors: [], dkimDomains: [], mailFromDomains: [] }, settings).domain, 'doc.example');
  assert.equal(senderDomainFromSettings(' brand.example ', 'https://x.example'), 'brand.example');
  assert.equal(senderDomainFromSettings(undefined, 'mailto:unsub@brand.example'), 'brand.example');
  assert.equal(senderDomainFromSettings(undefined, '{{amazonSESUnsubscribeUrl}}'), undefined);
  // Malformed settings are unset; the timeout is bounded.
  assert.deepEqual(readDomainCheckSettings({ dkim: { selectors: 's1' }, dns: { servers: [1, 'x'], timeout: 1e9 } }), { senderDomain: undefined, unsubscribeUrl: undefined, selectors: [], servers: ['x'], timeoutMs: 60_000 });
  assert.equal(readDomainCheckSettings(null).timeoutMs, 3000);
});
