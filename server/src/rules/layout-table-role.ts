import { term } from '../core/messages';
import { tagAttributes, tagHasTemplateAttributes, type A11yTable } from '../core/parse/template';
import type { Rule } from '../core/rule';
import { addAttribute, tagRange } from './shared/a11y';

export const rule: Rule = {
  meta: {
    id: 'layout-table-role',
    description: 'Tables used for layout lack role="presentation", so screen readers announce rows and columns that hold no data.',
    appliesTo: ['html'],
    defaultSeverity: 'warning',
    group: 'accessibility',
    fixable: true,
    messages: {
      one: 'This layout table has no role="presentation": screen readers announce it as a table ("table, 3 rows, 1 column") before reading the text inside. Add role="presentation".',
      many: 'This layout table and {count} more in this file have no role="presentation": screen readers announce each as a table ("table, 3 rows, 1 column") before reading the text inside. Add role="presentation" to each.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    const source = model.text;
    const layout = model.a11y.tables.filter((t) => isBareLayoutTable(source, t));
    if (!layout.length) return;
    const first = layout[0]!.element;
    const many = layout.length > 1;
    ctx.report({
      ...tagRange(source, first),
      messageId: many ? 'many' : 'one',
      data: { count: layout.length - 1 },
      fixes: [
        {
          title: many ? term('fix.presentationRoles', 'Add role="presentation" to every layout table', ctx.locale) : term('fix.presentationRole', 'Add role="presentation" to the table', ctx.locale),
          safe: true,
          edits: layout.map((t) => addAttribute(t.element, 'role', 'presentation')),
        },
      ],
    });
  },
};

/**
 * A table that lays out the message, with no role: one whose attributes are a layout table's
 * (cellpadding, cellspacing, border="0", width) and with nothing that marks a table of data (a
 * header cell, a caption, a summary). Anything else is left alone.
 */
function isBareLayoutTable(source: string, table: A11yTable): boolean {
  // Most tables of a well-made email have a role: those are passed over without reading the tag.
  if (table.data || table.element.attribs.role !== undefined) return false;
  const attrs = tagAttributes(source, table.element);
  if (attrs.has('role') || attrs.has('summary') || attrs.has('aria-label') || attrs.has('aria-labelledby') || attrs.has('aria-describedby')) return false;
  if (!(attrs.has('cellpadding') || attrs.has('cellspacing') || attrs.get('border')?.trim() === '0' || attrs.has('width'))) return false;
  return !tagHasTemplateAttributes(source, table.element);
}
