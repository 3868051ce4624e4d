// Send configurations in the editor: a campaign file shows its template's errors on the
// `template:` line and follows unsaved edits of the template; SES JSON is recognised by content,
// other JSON is left alone; the one-click header quick fix works on a payload.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyWorkspaceEdit, byCode, LspClient, makeWorkspace, removeWorkspace, uriOf } from './client';
import { NEWSLETTER, NEWSLETTER_WITH_FOOTER } from './templates';

const CAMPAIGN = `# Spring sale
category: marketing
esp: ses
from: "Harbor Outfitters <news@harbor.example.com>"
configurationSet: marketing-events
headers:
  List-Unsubscribe: "<https://harbor.example.com/unsubscribe/one-click?c=spring>"
  List-Unsubscribe-Post: List-Unsubscribe=One-Click
template: templates/spring.html
consent:
  basis: express
  source: https://harbor.example.com/signup
  collectedAt: 2026-01-10
  method: double-opt-in
  proofRef: optin-2231
`;

const SES = JSON.stringify(
  {
    FromEmailAddress: 'news@harbor.example.com',
    Destination: { ToAddresses: ['a@example.net'] },
    Content: { Simple: { Subject: { Data: 'Spring' }, Body: { Html: { Data: NEWSLETTER_WITH_FOOTER } }, Headers: [{ Name: 'List-Unsubscribe', Value: '<https://harbor.example.com/u/1>' }] } },
    ConfigurationSetName: 'marketing-events',
  },
  null,
  2,
);

describe('send configurations', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = makeWorkspace({ 'templates/spring.html': NEWSLETTER, 'spring.campaign.yaml': CAMPAIGN, 'package.json': '{ "name": "emails", "private": true }' });
    client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0, lintWorkspace: false } });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('shows the template\'s errors on the campaign\'s template line, and follows unsaved template edits', async () => {
    const campaignUri = uriOf(path.join(dir, 'spring.campaign.yaml'));
    const templateUri = uriOf(path.join(dir, 'templates/spring.html'));
    await client.open(campaignUri, CAMPAIGN, 'yaml');
    const first = await client.waitForVersion(campaignUri, 1);
    assert.deepEqual(first.diagnostics.map((x) => x.code), ['campaign-template-invalid']);
    const d = first.diagnostics[0]!;
    assert.equal(d.range.start.line, 8, 'on the template: line');
    // hasErrors: the template was read and has error findings (not `missing`: it could not be read).
    assert.equal((d.data as { messageId?: string }).messageId, 'hasErrors');
    // relatedInformation links to the template's finding, at its place in the template file.
    const related = d.relatedInformation ?? [];
    assert.ok(related.length >= 1, 'the template finding is linked');
    assert.equal(related[0]!.location.uri, templateUri);
    const templateLines = NEWSLETTER.split('\n');
    const at = related[0]!.location.range.start;
    assert.ok(at.line < templateLines.length && at.line > 0, `a real place in the template (${JSON.stringify(at)})`);
    assert.match(related[0]!.message, /\(unsubscribe-link-missing\)|\(postal-address-missing\)/);

    // Fix the template in the editor without saving: the campaign's finding goes.
    await client.open(templateUri, NEWSLETTER, 'html');
    const own = (await client.waitForVersion(templateUri, 1)).diagnostics.filter((x) => x.severity === 1);
    assert.deepEqual(related.map((r) => r.location.range), own.map((x) => x.range), 'the same places as the template\'s own errors');
    await client.change(templateUri, NEWSLETTER_WITH_FOOTER);
    const after = await client.waitForDiagnostics(campaignUri, (p) => byCode(p, 'campaign-template-invalid').length === 0);
    assert.deepEqual(after.diagnostics.map((x) => x.code), []);
  });

  it('a missing template is a finding on that line, not a crash', async () => {
    const uri = uriOf(path.join(dir, 'other.campaign.yaml'));
    await client.open(uri, CAMPAIGN.replace('templates/spring.html', 'templates/nope.html'), 'yaml');
    const p = await client.waitForVersion(uri, 1);
    assert.deepEqual(p.diagnostics.map((x) => [x.code, (x.data as { messageId?: string }).messageId, x.range.start.line]), [['campaign-template-invalid', 'missing', 8]]);
  });

  it('recognises an SES payload by content and fixes the missing List-Unsubscribe-Post', async () => {
    const uri = uriOf(path.join(dir, 'send-spring.json'));
    await client.open(uri, SES, 'json');
    const p = await client.waitForVersion(uri, 1);
    assert.deepEqual(p.diagnostics.map((x) => [x.code, (x.data as { messageId?: string }).messageId]), [['list-unsubscribe-one-click-missing', 'postMissing']]);
    const d = p.diagnostics[0]!;
    const actions = await client.codeActions(uri, d.range, [d]);
    const fix = actions.find((a) => a.kind === 'quickfix' && /List-Unsubscribe-Post/.test(a.title));
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    const fixed = applyWorkspaceEdit(SES, fix.edit, uri);
    const parsed = JSON.parse(fixed);
    assert.deepEqual(parsed.Content.Simple.Headers[1], { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' });
    const version = await client.change(uri, fixed);
    const again = await client.waitForVersion(uri, version);
    assert.deepEqual(again.diagnostics.map((x) => x.code), []);
  });

  it('leaves JSON that is no send payload alone', async () => {
    const uri = uriOf(path.join(dir, 'package.json'));
    await client.open(uri, '{ "name": "emails", "private": true, "scripts": { "build": "mjml {{src}}" } }', 'json');
    // The server answers every opened document with a publish for its version, empty when there
    // is nothing to say: no publish at all fails here rather than passing as "no findings".
    const p = await client.waitForVersion(uri, 1, 5000);
    assert.deepEqual(p.diagnostics, []);
  });
});
