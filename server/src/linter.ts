// The one place the rule registry meets the engine: every front end (CLI, language server, code
// actions, workspace scan) lints through this linter.

import { createLinter } from './core/engine';
import { RULES } from './rules';

export const linter = createLinter(RULES);
