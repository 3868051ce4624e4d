// The accessibility and rendering rules judge mail only. Measured on public repositories (lobsters,
// BookStack, listmonk's docs site), they fired on web views and site layouts that are "parts" by
// their name or for having no <html>: relative links, headings and images of web pages. A part is
// judged only when something says it is mail (compose/role.ts knownMail).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/core/config';
import { linter } from '../../server/src/linter';

const ROOT = '/project';
const config = { ...defaultConfig(), root: ROOT };
const quality = (filePath: string | undefined, text: string) =>
  linter
    .lint({ text, filePath, config })
    .findings.map((f) => f.ruleId)
    .filter((id) => ['img-alt-missing', 'heading-order', 'link-href-invalid', 'layout-table-role'].includes(id))
    .sort();

// A fragment with a web page's look: relative links, an image without alt, a skipped heading, a table.
const VIEW = `<h1>About</h1>
<h4>Moderators</h4>
<table cellpadding="4"><tr><td><img src="/avatars/jcs.png"></td><td><a href="/~jcs">jcs</a></td></tr></table>
`;
// The same with what only mail has: an Outlook conditional.
const MAIL_PART = `<!--[if mso]><table role="presentation"><tr><td><![endif]-->\n${VIEW}<!--[if mso]></td></tr></table><![endif]-->\n`;

describe('quality rules judge mail only', () => {
  test('a web view partial, a site layout: nothing', () => {
    assert.deepEqual(quality(`${ROOT}/app/views/about/_team.html.erb`, VIEW), []);
    assert.deepEqual(quality(`${ROOT}/docs/site/layouts/index.html`, VIEW), []);
  });

  test('the same markup in a mailer folder, with mail markup, or under a parts glob: judged', () => {
    const expected = ['heading-order', 'img-alt-missing', 'link-href-invalid'];
    assert.deepEqual(quality(`${ROOT}/app/views/user_mailer/_team.html.erb`, VIEW).filter((id) => id !== 'layout-table-role'), expected);
    assert.deepEqual(quality(`${ROOT}/app/views/about/_team.html.erb`, MAIL_PART).filter((id) => id !== 'layout-table-role'), expected);
    const globbed = linter.lint({ text: VIEW, filePath: `${ROOT}/shared/_team.html`, config: { ...config, parts: ['shared/**'] } });
    assert.ok(globbed.findings.some((f) => f.ruleId === 'img-alt-missing'));
  });

  test('a text given without a file is judged as given', () => {
    assert.ok(quality(undefined, VIEW).includes('img-alt-missing'));
  });
});
