// title-missing and campaign files in the editor: the campaign's finding offers the subject as its
// template's title (an edit of the template file), and the template's own finding offers the
// subject of each campaign file that names it. Each fix is applied and the file linted again.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { applyWorkspaceEdit, byCode, editsFor, LspClient, makeWorkspace, removeWorkspace, uriOf } from './client';
import { NEWSLETTER_WITH_FOOTER } from './templates';

/** A whole email with its footer, and no title. */
const UNTITLED = NEWSLETTER_WITH_FOOTER.replace(/\n\s*<title>[^<]*<\/title>/, '');

const campaign = (subject: string) => `# Winter sale
category: marketing
esp: ses
from: "Harbor Outfitters <news@harbor.example.com>"
subject: "${subject}"
configurationSet: marketing-events
headers:
  List-Unsubscribe: "<https://harbor.example.com/unsubscribe/one-click?c=winter>"
  List-Unsubscribe-Post: List-Unsubscribe=One-Click
template: templates/winter.html
consent:
  basis: express
  source: https://harbor.example.com/signup
  collectedAt: 2026-01-10
  method: double-opt-in
  proofRef: optin-2231
`;

const WINTER = campaign('Winter sale: 40% off & free returns, {{ first_name }}');
const VIP = campaign('Early access for VIPs');
const titleFindings = (ds: readonly Diagnostic[]) => ds.filter((d) => d.code === 'title-missing');

describe('title-missing from a campaign\'s subject', { timeout: 60_000 }, () => {
  let client: LspClient;
  let dir: string;
  let templateUri: string;
  let winterUri: string;

  before(async () => {
    assert.ok(!/<title>/.test(UNTITLED), 'the template has no title');
    dir = makeWorkspace({ 'templates/winter.html': UNTITLED, 'winter.campaign.yaml': WINTER, 'vip.campaign.yaml': VIP, 'package.json': '{ "name": "emails", "private": true }' });
    templateUri = uriOf(path.join(dir, 'templates/winter.html'));
    winterUri = uriOf(path.join(dir, 'winter.campaign.yaml'));
    client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0, lintWorkspace: false } });
  });

  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('the campaign\'s finding offers an edit of the template that the template then lints clean with', async () => {
    await client.open(winterUri, WINTER, 'yaml');
    const p = await client.waitForVersion(winterUri, 1);
    const [d] = titleFindings(p.diagnostics);
    assert.ok(d, p.diagnostics.map((x) => x.code).join(','));
    assert.equal(d.range.start.line, 9, 'on the template: line');
    const actions = await client.codeActions(winterUri, d.range, [d]);
    const fix = actions.find((a) => /Winter sale: 40% off/.test(a.title));
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.notEqual(fix.isPreferred, true);
    assert.deepEqual(editsFor(fix.edit, winterUri).edits, [], 'the campaign file is not edited');
    const fixed = applyWorkspaceEdit(UNTITLED, fix.edit, templateUri);
    assert.match(fixed, /<head>\n {2}<title>Winter sale: 40% off &amp; free returns, \{\{ first_name \}\}<\/title>\n/);

    await client.open(templateUri, UNTITLED, 'html');
    const before = (await client.waitForVersion(templateUri, 1)).diagnostics;
    assert.equal(titleFindings(before).length, 1);
    const version = await client.change(templateUri, fixed);
    const again = (await client.waitForVersion(templateUri, version)).diagnostics;
    assert.deepEqual(again.map((x) => x.code).sort(), before.filter((x) => x.code !== 'title-missing').map((x) => x.code).sort(), 'title-missing gone, nothing new');
    // The open campaign follows the unsaved template: its finding goes too.
    await client.waitForDiagnostics(winterUri, (x) => byCode(x, 'title-missing').length === 0);
    await client.change(templateUri, UNTITLED);
  });

  it('the template\'s own finding offers the subject of each campaign file naming it', async () => {
    // The server knows a campaign file once it has linted it: open the second one too.
    const vipUri = uriOf(path.join(dir, 'vip.campaign.yaml'));
    await client.open(vipUri, VIP, 'yaml');
    await client.waitForVersion(vipUri, 1);
    const p = await client.waitForDiagnostics(templateUri, (x) => byCode(x, 'title-missing').length === 1);
    const d = titleFindings(p.diagnostics)[0]!;
    const actions = await client.codeActions(templateUri, d.range, [d]);
    const titles = actions.filter((a) => /as the title/.test(a.title)).map((a) => a.title);
    assert.deepEqual(titles, ['Write the subject "Early access for VIPs" of vip.campaign.yaml as the title', 'Write the subject "Winter sale: 40% off & free returns, {{ first_name }}" of winter.campaign.yaml as the title']);
    const vip = actions.find((a) => /Early access/.test(a.title))!;
    const fixed = applyWorkspaceEdit(UNTITLED, vip.edit, templateUri);
    assert.match(fixed, /<title>Early access for VIPs<\/title>/);
    const version = await client.change(templateUri, fixed);
    const again = await client.waitForVersion(templateUri, version);
    assert.deepEqual(titleFindings(again.diagnostics), []);
    await client.waitForDiagnostics(vipUri, (x) => byCode(x, 'title-missing').length === 0);
  });
});
