// Templates (HTML, MJML): the read-only model (model.ts), built from htmlparser2's events
// (builder.ts) by a tokenizer and parser tuned for it (htmlparser.ts).

export type { UsageFacts } from './usage';
export { MODEL_ATTRIBUTES, type BodyInfo, type CommentInfo, type IncludeInfo, type LinkInfo, type MarkupElement, type ModelAttribute, type TemplateModel, type TemplateParseOptions, type UnsubscribeSignal } from './model';
export { collapseWhitespace, parseTemplate } from './builder';
export { hasTemplateSyntax, tagAttributes, tagHasTemplateAttributes, type A11yFacts, type A11yTable } from './a11y';
