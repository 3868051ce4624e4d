// The explicit rule registry: a rule exists when it is listed here (and has docs and fixtures,
// which test/unit/docs.test.ts and test/unit/rules.test.ts enforce). Order is the order findings are computed in.
import type { Rule } from '../core/rule';
import { rule as fileUnreadable } from './file-unreadable';
import { rule as mergeTagUnclosed } from './merge-tag-unclosed';
import { rule as mjmlInvalid } from './mjml-invalid';
import { rule as postalAddressMissing } from './postal-address-missing';
import { rule as senderIdentityMissing } from './sender-identity-missing';
import { rule as unsubscribeLinkMissing } from './unsubscribe-link-missing';
import { rule as unsubscribeLinkUnusable } from './unsubscribe-link-unusable';
import { rule as unusedDirective } from './unused-directive';

export const RULES: readonly Rule[] = [
  unsubscribeLinkMissing,
  unsubscribeLinkUnusable,
  postalAddressMissing,
  senderIdentityMissing,
  mjmlInvalid,
  mergeTagUnclosed,
  unusedDirective,
  fileUnreadable,
];

const byId = new Map(RULES.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
