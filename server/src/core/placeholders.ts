// The values quick fixes write where only a person knows the real one (no unsubscribe URL
// configured, the name of an SES contact list, a consent record). One list, read by the fixes that
// write them and by the rules that read those places: a placeholder is reported until it is
// replaced, so an unfinished fix never passes lint.

export const PLACEHOLDERS = {
  /** An unsubscribe link or List-Unsubscribe URL when neither sender.unsubscribeUrl nor an ESP tag is known. */
  unsubscribeUrl: 'https://example.com/unsubscribe',
  /** SES ListManagementOptions.ContactListName. */
  contactList: 'REPLACE_WITH_CONTACT_LIST',
  /** SES ListManagementOptions.TopicName. */
  topic: 'REPLACE_WITH_TOPIC',
  /** The SNS topic of an SES event destination skeleton (SnsDestination.TopicARN, sns_destination.topic_arn). */
  snsTopicArn: 'REPLACE_WITH_SNS_TOPIC_ARN',
  /** A consent record's fields (also within SES tag values' [A-Za-z0-9_-]). */
  value: 'REPLACE_ME',
} as const;

const ALL: readonly string[] = Object.values(PLACEHOLDERS);

/** Whether a value, as written, is one of the placeholders (URLs compared without case in scheme and host). */
export function isPlaceholder(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim();
  return ALL.includes(v) || v.toLowerCase() === PLACEHOLDERS.unsubscribeUrl;
}

/** Every placeholder written in `text`, with its offset (for values that hold one among other text). */
export function placeholdersIn(text: string): Array<{ value: string; start: number; end: number }> {
  const out: Array<{ value: string; start: number; end: number }> = [];
  for (const value of ALL) {
    for (let i = text.indexOf(value); i !== -1; i = text.indexOf(value, i + value.length)) {
      // The URL counts only whole: https://example.com/unsubscribe-all or ...?t=1 is someone's real link.
      if (value === PLACEHOLDERS.unsubscribeUrl && /[\w\-/?#.%~+=&]/.test(text[i + value.length] ?? '')) continue;
      out.push({ value, start: i, end: i + value.length });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
