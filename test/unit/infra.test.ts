// Infrastructure files: what is taken for a CloudFormation template (by content), what is left
// alone without a finding, fixes in each style a template is written in, and hostile input.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { detectKind } from '../../server/src/core/input';
import { applyEdits } from '../../server/src/core/text';
import { linter } from '../../server/src/linter';

const config = defaultConfig();
const GOOD = readFileSync(join(__dirname, '..', 'fixtures', 'infra', 'good.yaml'), 'utf8');
const lint = (text: string, filePath = '/ws/infra/template.yaml') => linter.lint({ text, filePath, config });
const fixAll = (text: string, filePath: string, ruleId: string) => {
  const r = lint(text, filePath);
  const edits = r.findings.filter((f) => f.ruleId === ruleId && f.fixes[0]?.safe).flatMap((f) => f.fixes[0]!.edits);
  assert.ok(edits.length, `no fix for ${ruleId}: ${r.findings.map((f) => f.ruleId).join(', ')}`);
  return applyEdits(text, edits).text;
};

describe('what is an infrastructure file', () => {
  test('CloudFormation and SAM templates by content, whatever the name', () => {
    assert.equal(detectKind('/ws/template.yaml', GOOD), 'infra');
    assert.equal(detectKind('/ws/stack.yml', GOOD), 'infra');
    assert.equal(detectKind('/ws/cdk.out/MailStack.template.json', '{"Resources":{"A":{"Type":"AWS::SES::ConfigurationSet"}}}'), 'infra');
    assert.equal(detectKind('/ws/ses', GOOD), 'infra');
    assert.equal(detectKind('/ws/x.json', '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {}\n}'), 'infra');
  });

  test('other YAML and JSON are not, and lint to nothing', () => {
    const others: Array<[string, string]> = [
      ['/ws/.github/workflows/ci.yml', 'name: CI\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n'],
      ['/ws/k8s/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: mailer\n'],
      ['/ws/serverless.yml', 'service: mailer\nresources:\n  Resources:\n    Q:\n      Type: Custom::Thing\n'],
      ['/ws/package.json', '{"name": "x", "version": "1.0.0"}'],
      ['/ws/broken.yaml', 'a: [unclosed\n  b: "x'],
    ];
    for (const [file, text] of others) {
      assert.notEqual(detectKind(file, text), 'infra', file);
      assert.deepEqual(lint(text, file).findings, [], file);
    }
    // An SES payload stays an SES payload.
    assert.equal(detectKind('/ws/send.json', '{"FromEmailAddress": "a@example.com", "Destination": {"ToAddresses": ["b@example.net"]}, "Content": {"Simple": {"Subject": {"Data": "x"}, "Body": {"Text": {"Data": "x"}}}}}'), 'ses');
  });

  test('a well-set-up template gives no finding; one with the problems gives each at its place', () => {
    assert.deepEqual(lint(GOOD).findings.map((f) => f.ruleId), []);
  });

  test('a template that looks like CloudFormation but does not parse gives one finding, not a crash', () => {
    const r = lint('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: "AWS::SES::ConfigurationSet\n');
    assert.equal(r.kind, 'infra');
    assert.ok(r.findings.length >= 1 && r.findings.every((f) => f.ruleId === 'send-config-invalid'), JSON.stringify(r.findings));
  });
});

describe('fixes keep the template as written', () => {
  test('compact JSON: the flow list grows in its own style', () => {
    const text = '{"Resources":{"S":{"Type":"AWS::SES::ConfigurationSet","Properties":{"ReputationOptions":{"ReputationMetricsEnabled":true}}},"D":{"Type":"AWS::SES::ConfigurationSetEventDestination","Properties":{"ConfigurationSetName":{"Ref":"S"},"EventDestination":{"Enabled":true,"MatchingEventTypes":["SEND"],"SnsDestination":{"TopicARN":"arn:aws:sns:us-east-1:111122223333:feedback"}}}}}}';
    const fixed = fixAll(text, '/ws/t.json', 'ses-events-unmonitored');
    assert.equal(fixed, text.replace('["SEND"]', '["SEND","BOUNCE","COMPLAINT"]'));
    assert.deepEqual(lint(fixed, '/ws/t.json').findings, []);
  });

  test('YAML with CRLF line ends and comments: only the new line is added', () => {
    const text = GOOD.replace('          - COMPLAINT\n      SendingOptions', '      SendingOptions').replace(/\n/g, '\r\n');
    const fixed = fixAll(text, '/ws/t.yaml', 'ses-suppression-off');
    assert.equal(fixed, GOOD.replace(/\n/g, '\r\n'));
  });

  test('a quoted key length is replaced inside its quotes', () => {
    const text = GOOD.replace('NextSigningKeyLength: RSA_2048_BIT', "NextSigningKeyLength: 'RSA_1024_BIT' # rotated yearly");
    assert.equal(fixAll(text, '/ws/t.yaml', 'ses-dkim-key-weak'), GOOD.replace('NextSigningKeyLength: RSA_2048_BIT', "NextSigningKeyLength: 'RSA_2048_BIT' # rotated yearly"));
  });
});

describe('hostile templates stay linear and never crash', () => {
  const time = (text: string) => {
    const t0 = performance.now();
    const r = lint(text);
    return { ms: performance.now() - t0, r };
  };

  test('deep flow nesting is refused with one finding', () => {
    const deep = `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: AWS::SES::ConfigurationSet\n    Properties: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const { r, ms } = time(deep);
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.ruleId, 'send-config-invalid');
    assert.ok(ms < 5000, `${ms} ms`);
  });

  test('deep block nesting is refused with one finding', () => {
    let text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n';
    for (let i = 0; i < 2000; i++) text += `${' '.repeat(i + 2)}k${i}:\n`;
    const { r } = time(text);
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.ruleId, 'send-config-invalid');
  });

  test('many resources: 4n costs about 4 times n', () => {
    const make = (n: number) => {
      let t = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n';
      for (let i = 0; i < n; i++) {
        t += `  Set${i}:\n    Type: AWS::SES::ConfigurationSet\n    Properties:\n      Name: set-${i}\n      ReputationOptions:\n        ReputationMetricsEnabled: true\n`;
        t += `  Dest${i}:\n    Type: AWS::SES::ConfigurationSetEventDestination\n    Properties:\n      ConfigurationSetName: !Ref Set${i}\n      EventDestination:\n        Enabled: true\n        MatchingEventTypes: [BOUNCE, COMPLAINT]\n        SnsDestination:\n          TopicARN: !Ref Topic\n`;
        t += `  Rec${i}:\n    Type: AWS::Route53::RecordSet\n    Properties:\n      HostedZoneName: example.com.\n      Name: r${i}.example.com\n      Type: TXT\n      TTL: "60"\n      ResourceRecords: ['"x"']\n`;
      }
      return t;
    };
    time(make(200)); // warm up
    const small = Math.min(...[0, 1, 2].map(() => time(make(500)).ms));
    const big = Math.min(...[0, 1, 2].map(() => time(make(2000)).ms));
    assert.ok(big < small * 8, `n: ${small.toFixed(1)} ms, 4n: ${big.toFixed(1)} ms`);
    assert.deepEqual(time(make(50)).r.findings, []);
  });
});
