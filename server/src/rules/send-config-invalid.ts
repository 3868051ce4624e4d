import type { Rule } from '../core/rule';

// Raised by the engine from the parser's problems (core/engine.ts): malformed JSON or YAML, unknown
// campaign keys, broken MIME structure. The rest of the file is still checked where it can be.
export const rule: Rule = {
  meta: {
    id: 'send-config-invalid',
    description: 'A send configuration or message that cannot be read as what it claims to be: bad JSON/YAML, unknown keys, broken MIME.',
    appliesTo: ['ses', 'sendgrid', 'eml', 'campaign'],
    defaultSeverity: 'error',
    group: 'correctness',
    fixable: false,
    messages: {
      problem: '{problem}',
    },
  },
};
