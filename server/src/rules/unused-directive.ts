import type { Rule } from '../core/rule';

// The engine applies directives after every rule has run, so it raises these findings itself
// (core/engine.ts); this file holds the rule's metadata, severity and messages.
export const rule: Rule = {
  meta: {
    id: 'unused-directive',
    description: 'A deliverlint-disable directive that suppresses nothing, or a directive that cannot be read.',
    appliesTo: ['html', 'mjml', 'ses', 'sendgrid', 'eml', 'campaign', 'infra'],
    defaultSeverity: 'hint',
    group: 'correctness',
    fixable: true,
    messages: {
      unused: 'Unused deliverlint directive: no finding of {ids} was suppressed here.',
      badCategory: 'Unreadable deliverlint directive: {problem}',
      unknownRule: "Unknown rule '{id}' in this deliverlint directive. Did you mean '{suggestion}'? The directive suppresses nothing.",
      unknownRuleNoSuggestion: "Unknown rule '{id}' in this deliverlint directive. The directive suppresses nothing.",
    },
  },
  check() {
    // Raised by the engine; see the comment above.
  },
};
