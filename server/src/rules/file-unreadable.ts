import type { Rule } from '../core/rule';

// Raised by the engine before any parsing (core/engine.ts): a file that is not UTF-8 text gets
// this one finding and nothing else, and the rest of the workspace keeps linting.
export const rule: Rule = {
  meta: {
    id: 'file-unreadable',
    description: 'The file could not be read as UTF-8 text, so nothing else was checked.',
    appliesTo: ['html', 'mjml', 'ses', 'sendgrid', 'eml', 'campaign', 'infra'],
    defaultSeverity: 'error',
    group: 'correctness',
    fixable: false,
    messages: {
      binary: 'This file looks binary (it contains NUL bytes), so Deliverlint cannot lint it. Exclude it with the "ignore" setting if it is not a template.',
      encoding: 'This file is not valid UTF-8, so Deliverlint cannot lint it. Save it as UTF-8.',
      io: 'This file could not be read: {detail}',
      folder: 'This folder could not be read, so the files in it were not linted: {detail}',
      failed: 'Deliverlint could not lint this file ({detail}); the other files were linted. Please report it with the file if you can share it.',
    },
  },
  check() {
    // Raised by the engine; see the comment above.
  },
};
