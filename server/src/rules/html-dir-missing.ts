import { term } from '../core/messages';
import { tagAttributes, tagHasTemplateAttributes } from '../core/parse/template';
import type { Rule } from '../core/rule';
import { addAttribute, ownRoot, tagRange } from './shared/a11y';

const SAMPLE_CHARS = 4000;
const RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;

export const rule: Rule = {
  meta: {
    id: 'html-dir-missing',
    description: 'A message written right to left (Hebrew, Arabic script) does not say so with dir="rtl".',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'accessibility',
    fixable: true,
    messages: {
      missing: 'The text of this message is mostly right-to-left ({script}), but no dir="rtl" says so: clients lay it out left to right, punctuation lands on the wrong side and screen readers may read numbers and mixed text out of order. Add dir="rtl" to <{tag}>.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    const root = ownRoot(model);
    if (!root) return;
    const script = rightToLeftScript(model.bodyText);
    if (!script) return;
    if (tagHasTemplateAttributes(model.text, root)) return;
    if (tagAttributes(model.text, root).has('dir')) return;
    if (model.body && tagAttributes(model.text, model.body.element).has('dir')) return;
    // Direction set on the content instead (a wrapper table, each cell, or in MJML's css-class):
    // any dir="rtl" or direction:rtl in the file means the author has handled it.
    if (/\bdir\s*=\s*["']?rtl|direction\s*:\s*rtl/i.test(model.text)) return;
    ctx.report({
      ...tagRange(model.text, root),
      messageId: 'missing',
      data: { script, tag: root.name },
      // It turns the whole layout around: a person checks the result.
      fixes: model.kind === 'html' ? [{ title: term('fix.addDirRtl', 'Add dir="rtl" to <html>', ctx.locale), safe: false, edits: [addAttribute(root, 'dir', 'rtl')] }] : [],
    });
  },
};

/** The script of a text whose letters are mostly Hebrew or Arabic; undefined otherwise. */
export function rightToLeftScript(text: string): string | undefined {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  // Most messages have no right-to-left letter at all: one scan for any, before counting.
  if (!RTL_LETTER.test(sample)) return undefined;
  let hebrew = 0;
  let arabic = 0;
  let other = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 0x41) continue;
    if (c >= 0x0590 && c <= 0x05ff) hebrew++;
    else if ((c >= 0x0600 && c <= 0x08ff) || (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff)) arabic++;
    else if (c >= 0xfb1d && c <= 0xfb4f) hebrew++;
    else if ((c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c >= 0xc0) other++;
  }
  const rtl = hebrew + arabic;
  if (rtl < 20 || rtl <= other) return undefined;
  return hebrew >= arabic ? 'Hebrew' : 'Arabic script';
}
