// The domain check prefills its inputs from a campaign file too: the From domain, the DKIM selector
// and domain, and the MAIL FROM domain the campaign declares.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dkimDomainsFromText, dkimSelectorsFromText, mailFromDomainsFromText, senderDomainFromText } from '../../client/src/domainCheckInput';

test('a campaign file gives the From domain, DKIM selector and domain, and MAIL FROM', () => {
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'rules', 'from-domain-unaligned', 'valid', 'winter-sale.campaign.yaml'), 'utf8');
  assert.equal(senderDomainFromText(text), 'harbor.example.com');
  assert.deepEqual(dkimSelectorsFromText(text), ['hb2026']);
  assert.deepEqual(dkimDomainsFromText(text), ['harbor.example.com']);
  assert.deepEqual(mailFromDomainsFromText(text), ['bounce.harbor.example.com']);
});
