// Languages VS Code gives email templates (shared with the client through protocol.ts); other
// files are linted when they match the `files` globs.
import { TEMPLATE_LANGUAGES as TEMPLATE_LANGUAGE_IDS } from '../protocol';

export const TEMPLATE_LANGUAGES: ReadonlySet<string> = new Set(TEMPLATE_LANGUAGE_IDS);
