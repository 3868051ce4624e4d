import type { Rule } from '../core/rule';

// Raised by the engine from the parser's problems (core/engine.ts): malformed JSON or YAML, unknown
// campaign keys, broken MIME structure. The rest of the file is still checked where it can be.
export const rule: Rule = {
  meta: {
    id: 'send-config-invalid',
    description: 'A send configuration or message that cannot be read as what it claims to be: bad JSON/YAML, unknown keys, broken MIME.',
    appliesTo: ['ses', 'sendgrid', 'eml', 'campaign', 'infra'],
    defaultSeverity: 'error',
    group: 'correctness',
    fixable: false,
    messages: {
      problem: '{problem}',
      wrongType: '"{key}" must be {expected}, not {actual}; it was ignored.',
      duplicateKey: 'The key "{key}" is written twice in this map; YAML and JSON readers keep one of them, so keep one.',
      tooDeep: 'Objects and lists are nested more than {max} levels deep here, deeper than any send configuration needs; the file was not read further.',
    },
  },
};
