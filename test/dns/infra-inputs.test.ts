// The domain check takes the DKIM selectors (BYODKIM) and the MAIL FROM domain of the domain's SES
// identities from the infrastructure files where it runs, and says where it took them from; Easy
// DKIM's selectors cannot be known offline, which the report says too. The bundled CLI against the
// test DNS server, in a folder holding a CloudFormation template and a Terraform file.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { useDnsServer } from './setup';
import { identityInputsOf, inputsForDomain } from '../../server/src/core/infra/domainInputs';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const { server } = useDnsServer();

const CFN = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Identity:
    Type: AWS::SES::EmailIdentity
    Properties:
      EmailIdentity: good.test
      DkimSigningAttributes:
        DomainSigningSelector: s1
        DomainSigningPrivateKey: "{{resolve:secretsmanager:dkim-key}}"
      MailFromAttributes:
        MailFromDomain: bounce.good.test
        BehaviorOnMxFailure: REJECT_MESSAGE
`;

const TF = `resource "aws_sesv2_email_identity" "easy" {
  email_identity = "easy.test"
}
`;

const dir = mkdtempSync(path.join(tmpdir(), 'dl-infra-dns-'));
mkdirSync(path.join(dir, 'infra'));
writeFileSync(path.join(dir, 'infra', 'ses.yaml'), CFN);
writeFileSync(path.join(dir, 'main.tf'), TF);
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args, '--dns', server().address], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'C', LC_ALL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('BYODKIM selector and MAIL FROM come from the template, with the file and line', async () => {
  const r = await run(['check-domain', 'good.test', '--format', 'json']);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(report.selectors, ['s1']);
  assert.deepEqual(report.dkim.map((d: { selector: string; keyBits: number }) => [d.selector, d.keyBits]), [['s1', 2048]]);
  assert.deepEqual(report.infrastructure, { selectors: [{ selector: 's1', from: path.join('infra', 'ses.yaml') + ':3' }], mailFromDomains: [{ domain: 'bounce.good.test', from: path.join('infra', 'ses.yaml') + ':3' }], easyDkim: [] });
  const text = await run(['check-domain', 'good.test']);
  assert.match(text.stdout, /From the infrastructure in this workspace\n {2}DKIM selector s1 \(BYODKIM\) {2}infra[\\/]ses\.yaml:3\n {2}MAIL FROM bounce\.good\.test {2}infra[\\/]ses\.yaml:3\n/);
});

test('Easy DKIM: the report says its selectors cannot be known offline', async () => {
  const report = JSON.parse((await run(['check-domain', 'easy.test', '--format', 'json'])).stdout);
  assert.deepEqual(report.infrastructure.easyDkim, ['main.tf:1']);
  assert.ok(report.findings.some((f: { id: string }) => f.id === 'dkim-easy-dkim'));
});

test('--no-infra reads nothing; another domain takes nothing', async () => {
  const none = JSON.parse((await run(['check-domain', 'good.test', '--no-infra', '--format', 'json'])).stdout);
  assert.equal(none.infrastructure, undefined);
  assert.deepEqual(none.selectors, []);
  const other = JSON.parse((await run(['check-domain', 'other.test', '--format', 'json'])).stdout);
  assert.equal(other.infrastructure, undefined);
});

test('identity inputs: computed values are not taken', () => {
  const computed = CFN.replace('DomainSigningSelector: s1', 'DomainSigningSelector: !Ref Selector').replace('MailFromDomain: bounce.good.test', 'MailFromDomain: !Sub "bounce.${AWS::StackName}"');
  const ids = identityInputsOf('/w/ses.yaml', computed, 'ses.yaml');
  assert.deepEqual(inputsForDomain('good.test', ids), { selectors: [], mailFromDomains: [], easyDkim: [] });
});
