import { term } from '../../core/messages';
import type { AttributeRange } from '../../core/parse/markup';
import type { Fix, Locale, TextEdit } from '../../core/types';

/**
 * The edit that turns an `http:` URL attribute into the same URL over `https:`: it replaces the five
 * characters of the scheme in the source and nothing else. Rewriting the whole value from its
 * decoded form re-escaped raw `&` and `<` and the quotes inside template tags
 * (`{{ url_for("unsubscribe") }}`), which broke the template. A scheme the source writes otherwise
 * (with entities) gets no edit.
 */
export function httpsEdit(source: string, range: AttributeRange | undefined): TextEdit | undefined {
  if (!range) return undefined;
  let at = range.valueStart;
  while (at < range.valueEnd && /\s/.test(source[at]!)) at++;
  if (at + 5 > range.valueEnd || source.slice(at, at + 5).toLowerCase() !== 'http:') return undefined;
  return { start: at, end: at + 5, text: 'https:' };
}

/** The same URL over https: the meaning stays, so fix-all may apply it (CONTRIBUTING: the one change of scheme allowed). */
export function httpsFix(source: string, range: AttributeRange | undefined, locale: Locale, title = term('fix.useHttps', 'Use https: for this link', locale)): Fix | undefined {
  const edit = httpsEdit(source, range);
  return edit && { title, safe: true, edits: [edit] };
}
