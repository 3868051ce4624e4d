// What the accessibility rules share: whether the file holds the message's <html> itself, and the
// edit that adds an attribute to a start tag without touching anything else.

import { startTagEnd } from '../../core/parse/markup';
import type { MarkupElement, TemplateModel } from '../../core/parse/template';
import type { TextEdit } from '../../core/types';

/**
 * The file's own <html> (or <mjml>) element, when the file is a whole message by itself. A part or
 * a template whose <html> comes from a layout has none: what the message's <html> carries is
 * judged where it is written.
 */
export function ownRoot(model: TemplateModel): MarkupElement | undefined {
  if (model.fragment) return undefined;
  return model.a11y.html;
}

/** Inserts ` name="value"` right after the tag name of `el`: every other byte stays. */
export function addAttribute(el: MarkupElement, name: string, value: string): TextEdit {
  const at = el.startIndex + 1 + el.name.length;
  return { start: at, end: at, text: ` ${name}="${value}"` };
}

/** The range a finding about an element covers: its start tag. */
export function tagRange(source: string, el: MarkupElement): { start: number; end: number } {
  return { start: el.startIndex, end: startTagEnd(source, el.startIndex) };
}
