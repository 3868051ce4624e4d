// The explicit rule registry: a rule exists when it is listed here (and has docs and fixtures,
// which test/unit/docs.test.ts and test/unit/rules.test.ts enforce). Order is the order findings are computed in.
import type { Rule } from '../core/rule';
import { rule as bounceHandlingMissing } from './bounce-handling-missing';
import { rule as clientUnsupported } from './client-unsupported';
import { rule as campaignTemplateInvalid } from './campaign-template-invalid';
import { rule as consentMetadataMissing } from './consent-metadata-missing';
import { rule as dkimBodyHashMismatch } from './dkim-body-hash-mismatch';
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
import { rule as imgAltMissing } from './img-alt-missing';
import { rule as imgAltFilename } from './img-alt-filename';
import { rule as htmlLangMissing } from './html-lang-missing';
import { rule as htmlDirMissing } from './html-dir-missing';
import { rule as titleMissing } from './title-missing';
import { rule as layoutTableRole } from './layout-table-role';
import { rule as linkTextVague } from './link-text-vague';
import { rule as headingOrder } from './heading-order';
import { rule as textContrastLow } from './text-contrast-low';
import { rule as sesEventsUnmonitored } from './ses-events-unmonitored';
import { rule as sesEventDestinationInvalid } from './ses-event-destination-invalid';
import { rule as sesSuppressionOff } from './ses-suppression-off';
import { rule as sesReputationMetricsOff } from './ses-reputation-metrics-off';
import { rule as sesDkimKeyWeak } from './ses-dkim-key-weak';
import { rule as sesMailFromMissing } from './ses-mail-from-missing';
import { rule as sesMailFromRecordsMissing } from './ses-mail-from-records-missing';
import { rule as dmarcRecordMissing } from './dmarc-record-missing';
import { rule as sendgridWebhookEventsOff } from './sendgrid-webhook-events-off';
import { rule as attributeDuplicate } from './attribute-duplicate';
import { rule as imgSrcEmpty } from './img-src-empty';
import { rule as msoConditionalUnbalanced } from './mso-conditional-unbalanced';
import { rule as linkHrefInvalid } from './link-href-invalid';
import { rule as imgSrcInsecure } from './img-src-insecure';
import { rule as imageOnlyEmail } from './image-only-email';
import { rule as preheaderMissing } from './preheader-missing';
import { rule as gmailClipSize } from './gmail-clip-size';
import { rule as configurationSetUnknown } from './configuration-set-unknown';

export const RULES: readonly Rule[] = [
  unsubscribeLinkMissing,
  unsubscribeLinkUnusable,
  postalAddressMissing,
  senderIdentityMissing,
  mjmlInvalid,
  mergeTagUnclosed,
  // Accessibility: how the message reads with a screen reader or with images off.
  imgAltMissing,
  imgAltFilename,
  htmlLangMissing,
  htmlDirMissing,
  titleMissing,
  layoutTableRole,
  linkTextVague,
  headingOrder,
  textContrastLow,
  clientUnsupported,
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
  dkimBodyHashMismatch,
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
  // Sending infrastructure as code.
  sesEventsUnmonitored,
  sesEventDestinationInvalid,
  sesSuppressionOff,
  sesReputationMetricsOff,
  sesDkimKeyWeak,
  sesMailFromMissing,
  sesMailFromRecordsMissing,
  dmarcRecordMissing,
  sendgridWebhookEventsOff,
  configurationSetUnknown,
  unusedDirective,
  fileUnreadable,
];
