// Terraform reads every .tf file of a folder as one module. Teams split it: the SES identity in
// ses.tf, the zone in dns.tf, its records in records.tf. Read one file at a time, ses.tf said its
// MAIL FROM records and DMARC were missing while records.tf had them (engine.ts moduleOf).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { nodeReader } from '../../server/src/host/files';
import { linter } from '../../server/src/linter';

const SES = `resource "aws_sesv2_email_identity" "shop" {
  email_identity = "shop.example.com"
  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

resource "aws_sesv2_email_identity_mail_from_attributes" "shop" {
  email_identity         = aws_sesv2_email_identity.shop.email_identity
  mail_from_domain       = "bounce.shop.example.com"
  behavior_on_mx_failure = "REJECT_MESSAGE"
}
`;
const DNS = `resource "aws_route53_zone" "shop" {
  name = "shop.example.com"
}
`;
const RECORDS = `resource "aws_route53_record" "mail_from_mx" {
  zone_id = aws_route53_zone.shop.zone_id
  name    = "bounce.shop.example.com"
  type    = "MX"
  ttl     = 600
  records = ["10 feedback-smtp.eu-west-1.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = aws_route53_zone.shop.zone_id
  name    = "bounce.shop.example.com"
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 include:amazonses.com ~all"]
}

resource "aws_route53_record" "dmarc" {
  zone_id = aws_route53_zone.shop.zone_id
  name    = "_dmarc.shop.example.com"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=quarantine; rua=mailto:dmarc@shop.example.com"]
}
`;

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function module(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'deliverlint-tf-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const recordRules = (dir: string, file: string, text: string) =>
  linter
    .lint({ text, filePath: join(dir, file), config: { ...defaultConfig(), root: dir }, reader: nodeReader })
    .findings.map((f) => `${f.ruleId}:${f.messageId}`)
    .filter((id) => id.startsWith('ses-mail-from-records-missing') || id.startsWith('dmarc-record-missing'))
    .sort();

describe('a Terraform module split over files', () => {
  test('the identity in ses.tf, the zone in dns.tf, the records in records.tf: nothing missing', () => {
    const dir = module({ 'ses.tf': SES, 'dns.tf': DNS, 'records.tf': RECORDS });
    assert.deepEqual(recordRules(dir, 'ses.tf', SES), []);
  });

  test('the same module without records.tf: the MAIL FROM records and DMARC are missing', () => {
    const dir = module({ 'ses.tf': SES, 'dns.tf': DNS });
    assert.deepEqual(recordRules(dir, 'ses.tf', SES), ['dmarc-record-missing:missing', 'ses-mail-from-records-missing:mx', 'ses-mail-from-records-missing:spf']);
  });

  test('a p=none DMARC record in another file is not reported at the identity file (its offsets are not there)', () => {
    const none = RECORDS.replace('p=quarantine', 'p=none');
    const dir = module({ 'ses.tf': SES, 'dns.tf': DNS, 'records.tf': none });
    assert.deepEqual(recordRules(dir, 'ses.tf', SES), []);
  });

  test('without a reader (text alone), only the file is read, as before', () => {
    const findings = linter.lint({ text: SES + DNS, filePath: '/nowhere/main.tf', config: defaultConfig() }).findings.map((f) => `${f.ruleId}:${f.messageId}`);
    assert.ok(findings.includes('ses-mail-from-records-missing:mx'), findings.join(', '));
  });
});
