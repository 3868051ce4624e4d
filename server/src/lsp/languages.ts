// Languages VS Code gives email templates; other files are linted when they match the `files` globs.
export const TEMPLATE_LANGUAGES: ReadonlySet<string> = new Set(['html', 'mjml', 'handlebars', 'nunjucks', 'liquid', 'jinja-html']);
