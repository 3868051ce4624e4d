// The plain-text twin of an HTML mailer view is part of the same message in the editor too: when
// the twin changes (typed in, or on disk), the HTML view is linted again with it.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { byCode, LspClient, makeWorkspace, removeWorkspace, uriOf, type Published } from './client';

const LAYOUT = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Kettle Goods</title></head>
<body>
  <table role="presentation" cellpadding="0" cellspacing="0"><tr><td>
    <%= yield %>
  </td></tr>
  <tr><td>Kettle Goods, 88 Mill Street, Portland, OR 97204</td></tr></table>
</body>
</html>
`;
const HTML_VIEW = '<h1>Autumn picks</h1>\n<p>Ten new trail jackets, 20% off this week.</p>\n';
const TEXT_WITH = 'Autumn picks\n\nTen new trail jackets, 20% off this week.\n\nUnsubscribe: <%= @unsubscribe_url %>\n';
const TEXT_WITHOUT = 'Autumn picks\n\nTen new trail jackets, 20% off this week.\n';

const messageIds = (p: Published) => byCode(p, 'unsubscribe-link-missing').map((d) => (d.data as { messageId?: string }).messageId);
const onlyInText = (p: Published) => JSON.stringify(messageIds(p)) === '["onlyInText"]';
const missing = (p: Published) => JSON.stringify(messageIds(p)) === '["missing"]';

describe('plain-text twins in the editor', { timeout: 90_000 }, () => {
  let client: LspClient;
  let dir: string;
  const file = (rel: string) => path.join(dir, rel);
  const HTML = 'app/views/promo_mailer/autumn.html.erb';
  const TEXT = 'app/views/promo_mailer/autumn.text.erb';

  before(async () => {
    dir = makeWorkspace({
      'app/views/layouts/mailer.html.erb': LAYOUT,
      [HTML]: HTML_VIEW,
      [TEXT]: TEXT_WITH,
    });
    client = await LspClient.start({ folders: [dir], settings: { lintDelay: 0 } });
    await client.open(uriOf(file(HTML)), HTML_VIEW, 'erb');
    const first = await client.waitForVersion(uriOf(file(HTML)), 1);
    assert.ok(onlyInText(first), `the link only in the text part: ${JSON.stringify(messageIds(first))}`);
  });

  after(async () => {
    await client?.stop();
    removeWorkspace(dir);
  });

  it('the twin changed on disk lints the HTML view again', async () => {
    const html = uriOf(file(HTML));
    let mark = client.mark(html);
    fs.writeFileSync(file(TEXT), TEXT_WITHOUT);
    await client.watchedFilesChanged([{ uri: uriOf(file(TEXT)), type: 2 }]);
    await client.next(html, mark, missing, 20_000);

    mark = client.mark(html);
    fs.writeFileSync(file(TEXT), TEXT_WITH);
    await client.watchedFilesChanged([{ uri: uriOf(file(TEXT)), type: 2 }]);
    await client.next(html, mark, onlyInText, 20_000);
  });

  it('typing in the open twin lints the HTML view with its unsaved text', async () => {
    const html = uriOf(file(HTML));
    const text = uriOf(file(TEXT));
    await client.open(text, TEXT_WITH, 'erb');
    let mark = client.mark(html);
    await client.change(text, TEXT_WITHOUT);
    await client.next(html, mark, missing, 20_000);
    mark = client.mark(html);
    await client.change(text, TEXT_WITH);
    await client.next(html, mark, onlyInText, 20_000);
    await client.close(text);
  });
});
