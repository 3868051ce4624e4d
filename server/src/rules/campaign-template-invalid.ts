import * as path from 'node:path';
import { PositionMapper } from '../core/position';
import type { Rule } from '../core/rule';
import type { RelatedPlace } from '../core/types';

/** Template errors linked from the campaign's finding; the count in the message says how many in all. */
const MAX_RELATED = 20;

export const rule: Rule = {
  meta: {
    id: 'campaign-template-invalid',
    description: 'A campaign\'s template is missing or has error findings of its own.',
    appliesTo: ['campaign'],
    defaultSeverity: 'error',
    group: 'correctness',
    fixable: false,
    messages: {
      missing: 'The template "{path}" cannot be read (looked for {resolved}).',
      outside: 'The template "{path}" is outside the workspace, so it was not read or checked. List its folder in includeRoots in .deliverlintrc.json to allow it.',
      hasErrors: 'The template has {count} error finding(s), first: {first} ({rule}, line {line}).',
    },
  },
  checkSend(ctx) {
    const { send } = ctx;
    if (!send.template) return;
    const at = { start: send.template.start, end: send.template.end };
    if (!ctx.template) return; // No file path to resolve against (an untitled editor).
    if (ctx.template.outside) {
      ctx.report({ messageId: 'outside', ...at, severity: 'warning', data: { path: send.template.value } });
      return;
    }
    if (!ctx.template.result) {
      ctx.report({ messageId: 'missing', ...at, data: { path: send.template.value, resolved: path.basename(ctx.template.path) } });
      return;
    }
    const errors = ctx.template.result.findings.filter((f) => f.severity === 'error');
    if (!errors.length) return;
    const first = errors[0]!;
    const line = ctx.template.text.slice(0, first.start).split('\n').length;
    // Each error where it is in the template, so the editor links from the campaign to it.
    const positions = new PositionMapper(ctx.template.text);
    const related: RelatedPlace[] = errors.slice(0, MAX_RELATED).map((f) => {
      const start = positions.positionAt(f.start);
      const end = positions.positionAt(Math.max(f.start, f.end));
      return { filePath: ctx.template!.path, line: start.line, character: start.character, endLine: end.line, endCharacter: end.character, message: `${f.message} (${f.ruleId})` };
    });
    ctx.report({ messageId: 'hasErrors', ...at, data: { count: errors.length, first: first.message, rule: first.ruleId, line }, related });
  },
};
