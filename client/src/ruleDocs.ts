// The rule pages the .vsix carries (docs/rules/<id>.md, see .vscodeignore), so that "Show
// documentation for <rule>" opens the page of the installed version with no network. No vscode
// import: unit tests run this against an unpacked .vsix.

import { lstatSync } from 'node:fs';
import * as path from 'node:path';

/** Where the pages sit inside the extension, as path segments. */
export const RULE_DOCS_DIR: readonly string[] = ['docs', 'rules'];

// A rule id is lower-case words joined by hyphens: nothing that could leave the folder.
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The bundled page of `ruleId` under the extension's root, as path segments relative to it;
 * undefined for anything that is not a rule id or has no page there (the caller then falls back
 * to the server, which opens the versioned URL).
 */
export function bundledRulePage(extensionRoot: string, ruleId: unknown): string[] | undefined {
  // "readme" would find the index on a case-insensitive file system: it is no rule.
  if (typeof ruleId !== 'string' || ruleId.length > 100 || !RULE_ID.test(ruleId) || ruleId === 'readme') return undefined;
  const segments = [...RULE_DOCS_DIR, `${ruleId}.md`];
  try {
    return lstatSync(path.join(extensionRoot, ...segments)).isFile() ? segments : undefined;
  } catch {
    return undefined;
  }
}
