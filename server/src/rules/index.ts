// The explicit rule registry: a rule exists when it is listed here (and has docs and fixtures,
// which test/unit/docs.test.ts and test/unit/rules.test.ts enforce). Order is the order findings are computed in.
import type { Rule } from '../core/rule';
import { rule as bounceHandlingMissing } from './bounce-handling-missing';
import { rule as campaignTemplateInvalid } from './campaign-template-invalid';
import { rule as consentMetadataMissing } from './consent-metadata-missing';
import { rule as dkimUnsubscribeUnsigned } from './dkim-unsubscribe-unsigned';
import { rule as fileUnreadable } from './file-unreadable';
import { rule as fromDomainFreemail } from './from-domain-freemail';
import { rule as fromDomainUnaligned } from './from-domain-unaligned';
import { rule as listUnsubscribeInvalid } from './list-unsubscribe-invalid';
import { rule as listUnsubscribeMissing } from './list-unsubscribe-missing';
import { rule as listUnsubscribeOneClickMissing } from './list-unsubscribe-one-click-missing';
import { rule as messageHeaderInvalid } from './message-header-invalid';
import { rule as sendConfigInvalid } from './send-config-invalid';
import { rule as sendgridAsmMismatch } from './sendgrid-asm-mismatch';
import { rule as sesListManagementMismatch } from './ses-list-management-mismatch';
import { rule as mergeTagUnclosed } from './merge-tag-unclosed';
import { rule as mjmlInvalid } from './mjml-invalid';
import { rule as postalAddressMissing } from './postal-address-missing';
import { rule as senderIdentityMissing } from './sender-identity-missing';
import { rule as unsubscribeLinkMissing } from './unsubscribe-link-missing';
import { rule as unsubscribeLinkUnusable } from './unsubscribe-link-unusable';
import { rule as unusedDirective } from './unused-directive';
import { rule as attributeDuplicate } from './attribute-duplicate';
import { rule as imgSrcEmpty } from './img-src-empty';
import { rule as msoConditionalUnbalanced } from './mso-conditional-unbalanced';
import { rule as linkHrefInvalid } from './link-href-invalid';
import { rule as imgSrcInsecure } from './img-src-insecure';
import { rule as imageOnlyEmail } from './image-only-email';
import { rule as preheaderMissing } from './preheader-missing';
import { rule as gmailClipSize } from './gmail-clip-size';

export const RULES: readonly Rule[] = [
  unsubscribeLinkMissing,
  unsubscribeLinkUnusable,
  postalAddressMissing,
  senderIdentityMissing,
  mjmlInvalid,
  mergeTagUnclosed,
  // Markup that breaks rendering.
  attributeDuplicate,
  imgSrcEmpty,
  msoConditionalUnbalanced,
  linkHrefInvalid,
  imgSrcInsecure,
  imageOnlyEmail,
  preheaderMissing,
  gmailClipSize,
  // Send configurations and messages.
  listUnsubscribeMissing,
  listUnsubscribeInvalid,
  listUnsubscribeOneClickMissing,
  dkimUnsubscribeUnsigned,
  fromDomainUnaligned,
  fromDomainFreemail,
  consentMetadataMissing,
  sesListManagementMismatch,
  sendgridAsmMismatch,
  bounceHandlingMissing,
  messageHeaderInvalid,
  campaignTemplateInvalid,
  sendConfigInvalid,
  unusedDirective,
  fileUnreadable,
];
