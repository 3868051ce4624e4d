// deliverlint/checkDomain takes the BYODKIM selector and the MAIL FROM domain from the SES identity
// the workspace's infrastructure defines (as the server read it in its workspace scan), and says
// which file and line they came from.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CHECK_DOMAIN_METHOD, type CheckDomainResult } from '../../server/src/protocol';
import { useDnsServer } from '../dns/setup';
import { LspClient, makeWorkspace, removeWorkspace, uriOf, withTimeout } from './client';

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

describe('deliverlint/checkDomain with the workspace infrastructure', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = makeWorkspace({ 'infra/ses.yaml': CFN });
    client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0, dns: { servers: [server().address], timeout: 1000 } } });
    // The scan has read the template once it has published for it.
    await client.waitForDiagnostics(uriOf(`${dir}/infra/ses.yaml`));
  });

  after(async () => {
    await client?.stop();
    if (dir) removeWorkspace(dir);
  });

  it('checks the selector of the template and says where it came from', async () => {
    const result = await withTimeout(client.connection.sendRequest<CheckDomainResult>(CHECK_DOMAIN_METHOD, { domain: 'good.test', selectors: [] }), 20_000, CHECK_DOMAIN_METHOD);
    assert.ok('report' in result, JSON.stringify(result).slice(0, 300));
    const { report } = result;
    assert.deepEqual(report.selectors, ['s1']);
    assert.deepEqual(report.infrastructure?.selectors, [{ selector: 's1', from: 'infra/ses.yaml:3' }]);
    assert.deepEqual(report.infrastructure?.mailFromDomains, [{ domain: 'bounce.good.test', from: 'infra/ses.yaml:3' }]);
  });
});
