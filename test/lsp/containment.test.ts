// The server reads includes only inside the workspace folder that holds the email, in the
// background scan and for open documents alike; the rc file's includeRoots widens that only when
// the client says the workspace is trusted (VS Code: not in Restricted Mode).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { byCode, LspClient, makeWorkspace, removeWorkspace, uriOf } from './client';

const FOOTER = '<mj-section><mj-column><mj-text><a href="https://shop.example.com/unsubscribe">Unsubscribe</a></mj-text></mj-column></mj-section>\n';
const email = (include: string) => `<mjml><mj-body><mj-section><mj-column><mj-text>Spring sale: 20% off</mj-text></mj-column></mj-section><mj-include path="${include}" /></mj-body></mjml>\n`;

describe('includes outside the workspace folder (server)', { timeout: 60_000 }, () => {
  let outside: string;
  let shared: string;
  let dir: string;
  let untrusted: LspClient;
  let trusted: LspClient;

  before(async () => {
    outside = makeWorkspace({ 'footer.mjml': FOOTER });
    shared = makeWorkspace({ 'footer.mjml': FOOTER });
    dir = makeWorkspace({
      '.deliverlintrc.json': JSON.stringify({ includeRoots: [shared] }),
      'emails/absolute.mjml': email(path.join(outside, 'footer.mjml')),
      'emails/shared.mjml': email(path.join(shared, 'footer.mjml')),
      'emails/inside.mjml': email('./partials/footer.mjml'),
      'emails/partials/footer.mjml': FOOTER,
    });
    // The relative path needs the workspace's own name: written once it is known.
    fs.writeFileSync(path.join(dir, 'emails', 'relative.mjml'), email(path.relative(path.join(dir, 'emails'), path.join(outside, 'footer.mjml'))));
    [untrusted, trusted] = await Promise.all([
      LspClient.start({ folders: [dir], settings: { lintDelay: 0 } }),
      LspClient.start({ folders: [dir], settings: { lintDelay: 0 }, initializationOptions: { workspaceTrusted: true } }),
    ]);
  });

  after(async () => {
    await Promise.all([untrusted?.stop(), trusted?.stop()]);
    for (const d of [dir, outside, shared]) removeWorkspace(d);
  });

  const unsub = async (client: LspClient, rel: string) => {
    const p = await client.waitForDiagnostics(uriOf(path.join(dir, rel)));
    return byCode(p, 'unsubscribe-link-missing');
  };

  it('the scan refuses an absolute or ../ mj-include out of the folder, and says so', async () => {
    for (const client of [untrusted, trusted]) {
      for (const rel of ['emails/absolute.mjml', 'emails/relative.mjml']) {
        const found = await unsub(client, rel);
        assert.equal(found.length, 1, rel);
        assert.equal(found[0]!.severity, DiagnosticSeverity.Information, rel);
        assert.match(String(found[0]!.message), /outside the workspace/, rel);
      }
      assert.deepEqual(await unsub(client, 'emails/inside.mjml'), []);
    }
  });

  it('includeRoots is honoured in a trusted workspace only, and the untrusted server says it ignored it', async () => {
    assert.deepEqual(await unsub(trusted, 'emails/shared.mjml'), []);
    const refused = await unsub(untrusted, 'emails/shared.mjml');
    assert.equal(refused.length, 1);
    assert.match(String(refused[0]!.message), /outside the workspace/);
    const ignored = () => untrusted.logs.filter((l) => /includeRoots .* is ignored: the workspace is not trusted/.test(l));
    await untrusted.waitUntil(() => ignored().length > 0, 10_000, 'the log line about includeRoots');
    // Once for the rc file, though every email under it was linted.
    assert.equal(ignored().length, 1);
    assert.ok(!trusted.logs.some((l) => /includeRoots/.test(l)));
  });

  it('an open document gets the same refusal as the scan', async () => {
    const file = path.join(dir, 'emails', 'absolute.mjml');
    const uri = uriOf(file);
    await untrusted.open(uri, fs.readFileSync(file, 'utf8'), 'mjml');
    const p = await untrusted.waitForDiagnostics(uri, (d) => d.version === 1);
    const found = byCode(p, 'unsubscribe-link-missing');
    assert.equal(found.length, 1);
    assert.match(String(found[0]!.message), /outside the workspace/);
    // The hover lists it among the references not followed, with the reason.
    const hover = (await untrusted.hover(uri, { line: 0, character: 1 }))?.contents as { value: string } | undefined;
    assert.match(hover?.value ?? '', /\*\*Not followed\*\*[\s\S]*footer\.mjml.*: outside the workspace/);
  });
});
