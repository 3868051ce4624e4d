// The e2e checks done as a person would, with Playwright driving Chromium against code-server:
// click through the explorer, look for the squiggle and the Problems entry, use the keyboard for the
// quick fix and the command palette. Each step saves a screenshot; a step that fails stops the
// steps after it (they are reported as not run, with the reason).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT } from './build';
import { TEST_DOMAIN, TEST_SELECTOR } from './dns-server';

export interface StepResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
  reason?: string;
  screenshot?: string;
}

/** Thrown by a step to report itself pending (a feature not in the packaged extension yet). */
export class Pending extends Error {}

export class Steps {
  readonly results: StepResult[] = [];
  private blockedBy: string | undefined;
  private shots = 0;

  constructor(
    private readonly group: string,
    private readonly page: Page,
    private readonly screenshotDir: string,
    private readonly prefix: string,
  ) {}

  /** The steps after this start a flow of their own: they run whatever happened to the steps before. */
  independent(): void {
    this.blockedBy = undefined;
  }

  async screenshot(name: string): Promise<string | undefined> {
    const file = path.join(this.screenshotDir, `${this.prefix}-${String(++this.shots).padStart(2, '0')}-${name}.png`);
    try {
      await this.page.screenshot({ path: file, timeout: 15_000 });
      return file;
    } catch {
      return undefined;
    }
  }

  /** Runs one step with a bound; `shot` names the screenshot taken when it ends (passed or not). */
  async step(title: string, shot: string, timeoutMs: number, body: () => Promise<void>): Promise<boolean> {
    const fullTitle = `${this.group} ${title}`;
    if (this.blockedBy) {
      this.results.push({ title: fullTitle, state: 'pending', durationMs: 0, reason: `not run: the step "${this.blockedBy}" did not pass` });
      return false;
    }
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the step did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([body(), bound]);
      this.results.push({ title: fullTitle, state: 'passed', durationMs: Date.now() - started, screenshot: await this.screenshot(shot) });
      return true;
    } catch (err) {
      const screenshot = await this.screenshot(shot);
      if (err instanceof Pending) {
        this.results.push({ title: fullTitle, state: 'pending', durationMs: Date.now() - started, reason: err.message, screenshot });
      } else {
        this.results.push({ title: fullTitle, state: 'failed', durationMs: Date.now() - started, error: err instanceof Error ? err.message.split('\n').slice(0, 12).join('\n') : String(err), screenshot });
      }
      this.blockedBy = title;
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}

export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer is the first view once the folder is read.
  await page.getByRole('treeitem', { name: 'emails', exact: true }).waitFor({ timeout: 60_000 });
}

/** Expands folders and opens a file in the explorer by clicking, as a person does. */
async function openFromExplorer(page: Page, relativePath: string): Promise<void> {
  const parts = relativePath.split('/');
  for (const [i, name] of parts.entries()) {
    const item = page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true });
    await item.waitFor({ timeout: 15_000 });
    const expanded = await item.getAttribute('aria-expanded');
    if (i < parts.length - 1 && expanded === 'true') continue;
    await item.click();
  }
  await page.locator('.tabs-container .tab.active', { hasText: parts.at(-1)! }).waitFor({ timeout: 15_000 });
}

/** Waits until the editor shows exactly one error squiggle, on the given 1-based line. */
async function expectSquiggleOnLine(page: Page, line: number, timeoutMs: number): Promise<void> {
  const squiggles = page.locator('.editor-instance .monaco-editor .squiggly-error');
  const lineNumber = page.locator('.editor-instance .margin-view-overlays .line-numbers').getByText(String(line), { exact: true });
  let seen = 'no error squiggle';
  try {
    await poll(
      `one error squiggle on line ${line}`,
      async () => {
        // The editor lays out and re-renders decorations as findings arrive: measure until it settles.
        const count = await squiggles.count();
        if (count !== 1) {
          seen = `${count} error squiggles`;
          return undefined;
        }
        const [a, b] = await Promise.all([squiggles.first().boundingBox({ timeout: 1000 }).catch(() => null), lineNumber.boundingBox({ timeout: 1000 }).catch(() => null)]);
        if (!a || !b) return undefined;
        seen = `the squiggle at y=${Math.round(a.y)}, line ${line} at y=${Math.round(b.y)}`;
        return Math.abs(a.y + a.height / 2 - (b.y + b.height / 2)) <= b.height / 2 ? true : undefined;
      },
      timeoutMs,
    );
  } catch {
    throw new Error(`expected one error squiggle on line ${line}; saw ${seen}`);
  }
}

interface MarkerRow {
  index: string;
  level: string;
  text: string;
}

async function markerRows(page: Page): Promise<MarkerRow[]> {
  return page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
    rows.map((r) => ({ index: r.getAttribute('data-index') ?? '', level: r.getAttribute('aria-level') ?? '', text: (r.textContent ?? '').trim() })),
  );
}

/** The Problems rows of one file (the rows after its file row, up to the next file row). */
async function problemsOf(page: Page, fileName: string): Promise<MarkerRow[]> {
  const rows = await markerRows(page);
  const start = rows.findIndex((r) => r.level === '1' && r.text.startsWith(fileName));
  if (start === -1) return [];
  const out: MarkerRow[] = [];
  for (const r of rows.slice(start + 1)) {
    if (r.level === '1') break;
    out.push(r);
  }
  return out;
}

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function visibleText(locator: Locator): Promise<string> {
  return ((await locator.textContent({ timeout: 5000 })) ?? '').replace(/\u00a0/g, ' ');
}

const TEMPLATE = 'emails/campaigns/spring-sale.html';
const TEMPLATE_NAME = 'spring-sale.html';
/** Line of the `<body>` start tag in the template (1-based, as the editor shows it). */
const BODY_LINE = 9;

/** A person in a trusted window: squiggle, Problems, quick fix by keyboard, domain check by palette. */
export async function personSteps(steps: Steps, page: Page, workspace: string): Promise<void> {
  await steps.step(`opens ${TEMPLATE_NAME} from the explorer and sees the error squiggle on <body>`, 'squiggle', 90_000, async () => {
    await openFromExplorer(page, TEMPLATE);
    await expectSquiggleOnLine(page, BODY_LINE, 60_000);
  });

  await steps.step('the language status item shows the config file', 'language-status', 45_000, async () => {
    // The {} beside the language mode in the status bar: clicking it lists the language status
    // items; Deliverlint's names the rc file in use (emails/.deliverlintrc.json in the fixture).
    const status = page.locator('.statusbar [id="status.languageStatus"]').or(page.locator('.statusbar-item[aria-label*="Language Status" i], .statusbar-item[aria-label*="Deliverlint"]')).first();
    const hover = page.locator('.monaco-hover, .context-view, .workbench-hover');
    const text = await poll(
      'a Deliverlint language status naming emails/.deliverlintrc.json',
      async () => {
        if (!(await hover.filter({ hasText: 'Deliverlint' }).count())) {
          await status.click({ timeout: 5000 }).catch(() => undefined);
          await page.waitForTimeout(500);
        }
        const shown = ((await hover.filter({ hasText: 'Deliverlint' }).first().textContent({ timeout: 1000 }).catch(() => '')) ?? '').replace(/\u00a0/g, ' ');
        if (/emails\/\.deliverlintrc\.json/.test(shown)) return shown;
        // Not there yet (the server still starting): close the hover, so the next try opens it anew.
        await page.keyboard.press('Escape');
        return undefined;
      },
      30_000,
    );
    if (!/Deliverlint: \d+ error\(s\), \d+ warning\(s\)/.test(text)) throw new Error(`the status does not give the counts: ${text.slice(0, 200)}`);
    await steps.screenshot('language-status-open');
    await page.keyboard.press('Escape');
    await page.mouse.move(700, 40);
  });

  await steps.step('sees the unsubscribe finding in the Problems panel (Ctrl+Shift+M)', 'problems-panel', 30_000, async () => {
    await page.keyboard.press('Control+Shift+KeyM');
    const rows = await poll(
      `the ${TEMPLATE_NAME} entries in Problems`,
      async () => {
        const r = await problemsOf(page, TEMPLATE_NAME);
        return r.some((x) => x.text.includes('unsubscribe-link-missing')) ? r : undefined;
      },
      20_000,
    );
    const unsubscribe = rows.find((r) => r.text.includes('unsubscribe-link-missing'))!;
    if (!unsubscribe.text.includes('No unsubscribe link') || !unsubscribe.text.includes(`[Ln ${BODY_LINE}, Col 1]`)) {
      throw new Error(`unexpected Problems entry: ${unsubscribe.text}`);
    }
    if (!rows.some((r) => r.text.includes('postal-address-missing'))) throw new Error(`no postal-address-missing entry: ${rows.map((r) => r.text).join(' / ')}`);
  });

  await steps.step('opens the quick fix menu with Ctrl+. on the finding', 'quick-fix-menu', 50_000, async () => {
    // Opening the entry selects the finding's range (the <body> tag) in the editor.
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
    // On a loaded machine the editor may not have focus yet when the key arrives (the Problems
    // panel keeps it), and the workspace scan may still add files' entries, moving the rows: find
    // the entry again, open it, check the template is the active editor, press again, a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        const row = (await problemsOf(page, TEMPLATE_NAME)).find((r) => r.text.includes('unsubscribe-link-missing'))!;
        await page.locator(`.markers-panel .monaco-list-row[data-index="${row.index}"]`).dblclick();
        await page.locator('.tabs-container .tab.active', { hasText: TEMPLATE_NAME }).waitFor({ timeout: 6_000 });
        await page.locator('.statusbar').getByText(new RegExp(`^Ln ${BODY_LINE}, Col \\d+`)).waitFor({ timeout: 6_000 });
        // Opening the entry may leave the keyboard in the Problems panel (seen in CI: the menu did
        // not open, the selection was right): move the pointer off the panel's tooltips and give the
        // editor group the focus (Ctrl+1), which keeps the selection.
        await page.mouse.move(700, 40);
        await page.keyboard.press('Control+1');
        await page.keyboard.press('Control+Period');
        await menu.waitFor({ timeout: 5_000 });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        await page.keyboard.press('Escape');
      }
    }
    // Enter applies the focused entry: the first one, which must be the footer fix.
    const focused = menu.locator('.monaco-list-row.focused');
    const text = await visibleText(focused);
    if (!/Insert an unsubscribe footer link/.test(text)) throw new Error(`the focused quick fix is "${text}", not the footer fix; menu: ${await visibleText(menu)}`);
  });

  await steps.step('applies the footer fix with Enter: the link is in, the finding is gone, and it saves', 'quick-fix-applied', 30_000, async () => {
    await page.keyboard.press('Enter');
    await poll(
      'the unsubscribe entry to leave Problems',
      async () => ((await problemsOf(page, TEMPLATE_NAME)).some((r) => r.text.includes('unsubscribe-link-missing')) ? undefined : true),
      15_000,
    );
    // No URL is configured, so the link points at the placeholder, which is reported until replaced.
    await poll(
      'the placeholder entry in Problems',
      async () => ((await problemsOf(page, TEMPLATE_NAME)).some((r) => r.text.includes('unsubscribe-link-unusable') && r.text.includes('https://example.com/unsubscribe')) ? true : undefined),
      15_000,
    );
    await page.keyboard.press('Control+KeyS');
    const file = path.join(workspace, ...TEMPLATE.split('/'));
    // The link lands in the layout's last text cell (the template has no footer cell), not after the layout table.
    await poll('the saved file to hold the footer in the cell', async () => (/<a href="https:\/\/example\.com\/unsubscribe">Unsubscribe<\/a><\/p>\n {12}<\/td>/.test(fs.readFileSync(file, 'utf8')) ? true : undefined), 10_000);
    // Show the inserted footer for the screenshot: to the end, long lines wrapped (Alt+Z), no hover.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Alt+KeyZ');
    await page.mouse.move(700, 40);
    await page.locator('.editor-instance .view-lines').getByText('Unsubscribe', { exact: false }).first().waitFor({ timeout: 5000 });
  });

  await steps.step(`runs "Deliverlint: Check Domain Authentication" from the command palette for ${TEST_DOMAIN} and reads the report`, 'domain-check', 90_000, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('>Deliverlint: Check Domain');
    const item = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Check Domain' });
    try {
      await item.first().waitFor({ timeout: 5000 });
    } catch {
      const offered = await visibleText(page.locator('.quick-input-widget'));
      throw new Pending(`the command palette has no "Deliverlint: Check Domain" command (deliverlint.checkDomain is not in the packaged extension yet, issue 4); it shows: ${offered.slice(0, 160)}`);
    }
    await page.keyboard.press('Enter');
    await answerPrompts(page);
    const report = await poll('the domain report', () => findReportText(page), 60_000);
    // The zone: SPF with one include, DMARC at p=none (reported as a finding), a 2048-bit key at s1.
    const expected: Array<[string, RegExp]> = [
      ['the SPF record', /v=spf1 include:_spf\.esp\.example\.test -all/],
      ['the DMARC policy finding', /dmarc-policy-none/],
      [`the 2048-bit key at ${TEST_SELECTOR}`, new RegExp(`\\b${TEST_SELECTOR}\\b[^]{0,60}2048`)],
    ];
    for (const [what, pattern] of expected) {
      if (!pattern.test(report)) throw new Error(`the report does not show ${what}: ${report.replace(/\s+/g, ' ').slice(0, 600)}`);
    }
  });

  await steps.step('the domain report with an unreachable server names it', 'domain-check-unreachable', 90_000, async () => {
    // The person points deliverlint.dns.servers at an address where nothing listens (the discard
    // port), as a mistyped resolver would, then runs the check again.
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    const original = fs.readFileSync(settingsFile, 'utf8');
    const settings = JSON.parse(original) as Record<string, unknown>;
    fs.writeFileSync(settingsFile, `${JSON.stringify({ ...settings, 'deliverlint.dns.servers': [UNREACHABLE_DNS], 'deliverlint.dns.timeout': 1000 }, null, 2)}\n`);
    try {
      await runCheckFromPalette(page);
      const report = await poll('the report naming the unreachable server', async () => {
        const text = await findReportText(page);
        return text?.includes(UNREACHABLE_DNS) ? text : undefined;
      }, 60_000);
      const flat = report.replace(/\s+/g, ' ');
      // One finding names the server and the error; the records read unknown, not missing.
      if (!/could not be reached/.test(flat)) throw new Error(`the report does not say the server could not be reached: ${flat.slice(0, 600)}`);
      if ((flat.match(/dns-failure/g) ?? []).length !== 1) throw new Error(`expected one dns-failure finding: ${flat.slice(0, 600)}`);
      if (!/unknown \(lookup failed\)/.test(flat)) throw new Error(`the overview does not show "unknown (lookup failed)": ${flat.slice(0, 600)}`);
      if (/spf-missing|dmarc-missing|mx-missing/.test(flat)) throw new Error(`a failed lookup is reported as a missing record: ${flat.slice(0, 600)}`);
    } finally {
      fs.writeFileSync(settingsFile, original);
    }
  });
}

/** A DNS server address where nothing listens: the discard port on the loopback address. */
const UNREACHABLE_DNS = '127.0.0.1:9';

/** "Deliverlint: Check Domain Authentication" from the palette, the prompts answered. */
async function runCheckFromPalette(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill('>Deliverlint: Check Domain');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Check Domain' }).first().waitFor({ timeout: 5000 });
  await page.keyboard.press('Enter');
  await answerPrompts(page);
}

const FOOTER_TEMPLATE = 'emails/campaigns/club-news.html';
const FOOTER_TEMPLATE_NAME = 'club-news.html';
/** The footer cell's last line and its closing tag in club-news.html, with what the fix adds between. */
const FOOTER_IN_CELL = /Privacy policy<\/a>\n {14}<br><a href="https:\/\/example\.com\/unsubscribe" style="color:#5b6b7b;font-size:12px;">Unsubscribe<\/a>\n {12}<\/td>/;
const DIGEST = 'emails/campaigns/winter-digest.html';

/** Runs a command from the palette by its title, as a person types it. */
async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 5000 });
  await page.keyboard.press('Enter');
}

/** Puts the cursor at the start of a 1-based line with Ctrl+G. */
async function goToLine(page: Page, line: number): Promise<void> {
  // On a loaded machine the first keys can reach the editor before the Go to Line box has focus
  // (seen in CI once): a person would see the cursor stay and do it again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+KeyG');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ timeout: 5000 });
    await page.keyboard.type(String(line));
    await page.keyboard.press('Enter');
    try {
      await page.locator('.statusbar').getByText(new RegExp(`^Ln ${line}, Col 1\\b`)).waitFor({ timeout: 5000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

/** Opens the quick-fix menu at the cursor with Ctrl+., retried as a loaded machine needs. */
async function quickFixMenuAt(page: Page, line: number): Promise<Locator> {
  const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
  for (let attempt = 1; ; attempt++) {
    try {
      await goToLine(page, line);
      await page.mouse.move(700, 40);
      await page.keyboard.press('Control+Period');
      await menu.waitFor({ timeout: 5_000 });
      return menu;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * The footer and fix-all flows: where the unsubscribe fix puts the link, and what fix-all leaves
 * alone. Each starts from one editor group with nothing open (the steps before may have split the
 * editor for the domain report), and reads the editor and the saved file, not the Problems list
 * (a virtual list: rows of other files scroll out of it).
 */
export async function footerSteps(steps: Steps, page: Page, workspace: string): Promise<void> {
  steps.independent();
  await steps.step(`applies the footer fix in ${FOOTER_TEMPLATE_NAME}: the link lands in the footer cell, styled like the link beside it`, 'footer-in-cell', 120_000, async () => {
    await runCommand(page, 'View: Close All Editor Groups');
    await openFromExplorer(page, FOOTER_TEMPLATE);
    await expectSquiggleOnLine(page, 7, 60_000);
    const menu = await quickFixMenuAt(page, 7);
    const focused = await visibleText(menu.locator('.monaco-list-row.focused'));
    if (!/Insert an unsubscribe footer link/.test(focused)) throw new Error(`the focused quick fix is "${focused}", not the footer fix; menu: ${await visibleText(menu)}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+KeyS');
    const file = path.join(workspace, ...FOOTER_TEMPLATE.split('/'));
    try {
      await poll('the saved file to hold the link in the footer cell', async () => (FOOTER_IN_CELL.test(fs.readFileSync(file, 'utf8')) ? true : undefined), 15_000);
    } catch {
      throw new Error(`the link is not in the footer cell:\n${fs.readFileSync(file, 'utf8').split('\n').slice(14, 24).join('\n')}`);
    }
    // For the screenshot: the footer cell in view, the cursor on its last line.
    await goToLine(page, 20);
    await page.mouse.move(700, 40);
    await page.locator('.editor-instance .view-lines').getByText('Privacy policy', { exact: false }).first().waitFor({ timeout: 5000 });
  });

  await steps.step('runs "Fix all" on winter-digest.html from the palette: the preferences link keeps its destination', 'fix-all-digest', 120_000, async () => {
    // The example a person would try: its preferences link is plain http:, its unsubscribe link hidden.
    const file = path.join(workspace, ...DIGEST.split('/'));
    const original = fs.readFileSync(path.join(ROOT, 'examples', 'marketing', 'winter-digest.html'), 'utf8');
    fs.writeFileSync(file, original);
    await runCommand(page, 'View: Close All Editor Groups');
    await openFromExplorer(page, DIGEST);
    // The http: link's warning squiggle (line 35, below the first screen): the file is linted.
    await goToLine(page, 35);
    await page.mouse.move(700, 40);
    const warnings = page.locator('.editor-instance .monaco-editor .squiggly-warning');
    await poll('the plain http: warning squiggle', async () => ((await warnings.count()) > 0 ? true : undefined), 30_000);
    await runCommand(page, 'Deliverlint: Fix All');
    try {
      await poll('the http: warning to go', async () => ((await warnings.count()) === 0 ? true : undefined), 15_000);
    } catch {
      // On a machine still busy (the first run builds code-server), the palette can drop the
      // command before it runs; fix-all is idempotent, so a person would simply run it again.
      await goToLine(page, 35);
      await runCommand(page, 'Deliverlint: Fix All');
      await poll('the http: warning to go', async () => ((await warnings.count()) === 0 ? true : undefined), 30_000);
    }
    await page.keyboard.press('Control+KeyS');
    const saved = await poll('the fixed file on disk', async () => {
      const t = fs.readFileSync(file, 'utf8');
      return t !== original ? t : undefined;
    }, 10_000);
    // The same URL over https (the safe fix), never another destination; nothing else changed.
    const expected = original.replace('href="http://trailhead.example.com/email-preferences?c={{contact_id}}"', 'href="https://trailhead.example.com/email-preferences?c={{contact_id}}"');
    if (saved !== expected) throw new Error(`fix-all changed more than the scheme of the preferences link:\n${saved}`);
    // Showing the hidden unsubscribe link is offered, never applied by fix-all.
    if (!saved.includes('<div class="legacy-footer" style="display:none;">')) throw new Error('fix-all showed the hidden link');
    await goToLine(page, 35);
    await page.mouse.move(700, 40);
  });
}

/**
 * Answers the command's input boxes as they come, by their prompt (the message under the input):
 * the selector prompt gets the test selector, the domain prompt the test domain, any other prompt
 * is accepted as offered. Done when no new prompt shows up within two seconds of the last answer.
 */
async function answerPrompts(page: Page): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const message = widget.locator('.quick-input-message');
  let last = '';
  for (let answered = 0; answered < 4; answered++) {
    // The widget is reused from the palette to each prompt: wait for a prompt not answered yet.
    const prompt = await poll(
      'the next prompt',
      async () => {
        if (!(await input.isVisible()) || ((await input.inputValue().catch(() => '')) ?? '').startsWith('>')) return undefined;
        const text = ((await message.textContent().catch(() => '')) ?? '').trim();
        return text && text !== last ? text : undefined;
      },
      answered === 0 ? 10_000 : 2000,
    ).catch(() => undefined);
    if (prompt === undefined) return;
    last = prompt;
    const value = /selector/i.test(prompt) ? TEST_SELECTOR : /domain/i.test(prompt) ? TEST_DOMAIN : undefined;
    if (value !== undefined) await input.fill(value, { timeout: 5000 });
    await page.keyboard.press('Enter');
  }
}

/** The text of a report shown in a webview or an editor, once it names the checked domain. */
async function findReportText(page: Page): Promise<string | undefined> {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const text = await frame.locator('body').textContent({ timeout: 1000 }).catch(() => null);
    if (text && text.includes(TEST_DOMAIN) && /DMARC/i.test(text)) return text;
  }
  const editor = await page.locator('.editor-instance .view-lines').textContent({ timeout: 1000 }).catch(() => null);
  if (editor && editor.includes(TEST_DOMAIN) && /DMARC/i.test(editor)) return editor.replace(/\u00a0/g, ' ');
  return undefined;
}

/** A person in a window opened without trust: Restricted Mode is shown, and linting still works. */
export async function restrictedSteps(steps: Steps, page: Page): Promise<void> {
  await steps.step('shows Restricted Mode (banner and status bar)', 'restricted-mode', 30_000, async () => {
    await page.locator('.statusbar').getByText('Restricted Mode').waitFor({ timeout: 20_000 });
  });

  await steps.step(`opens ${TEMPLATE_NAME} from the explorer and sees the squiggle and the Problems entry`, 'restricted-squiggle', 90_000, async () => {
    await openFromExplorer(page, TEMPLATE);
    await expectSquiggleOnLine(page, BODY_LINE, 60_000);
    await page.keyboard.press('Control+Shift+KeyM');
    await poll('the unsubscribe entry in Problems', async () => ((await problemsOf(page, TEMPLATE_NAME)).some((r) => r.text.includes('unsubscribe-link-missing')) ? true : undefined), 20_000);
  });
}
