import { hasTemplateSyntax, tagAttributes } from '../core/parse/template';
import type { Rule } from '../core/rule';
import { tagRange } from './shared/a11y';

/** Alt texts that name the kind of thing, not what it shows. */
const GENERIC = new Set(['image', 'img', 'picture', 'pic', 'photo', 'graphic', 'spacer', 'banner image', 'untitled', '画像', '写真', 'イメージ']);
/** A file name: one word with an image extension (`hero_banner@2x.png`). */
const FILE_NAME = /^[^\s/\\]+\.(?:png|jpe?g|gif|svg|webp|bmp|tiff?|avif|heic)$/i;
/** Names cameras and exports give (`IMG_4032`, `DSC00123`, `image003`, `Screenshot 2024-...`). */
const EXPORT_NAME = /^(?:img|dsc|dscn|pxl|image|screenshot|screen shot)[ _-]?\d[\d _-]*$/i;

export const rule: Rule = {
  meta: {
    id: 'img-alt-filename',
    description: 'An image\'s alt text is a file name or a word such as "image", which tells a screen reader user nothing.',
    appliesTo: ['html', 'mjml'],
    defaultSeverity: 'warning',
    group: 'accessibility',
    fixable: false,
    messages: {
      fileName: 'The alt text "{alt}" is a file name: screen readers read it out letter by letter. Describe what the image shows, or write alt="" if it is decoration.',
      generic: 'The alt text "{alt}" says only that this is an image, which screen readers announce anyway. Describe what it shows, or write alt="" if it is decoration.',
    },
  },
  check(ctx) {
    const { model } = ctx;
    for (const el of model.a11y.images) {
      const alt = el.attribs.alt;
      if (!alt) continue;
      const value = alt.trim();
      if (value === '' || hasTemplateSyntax(value)) continue;
      const messageId = altProblem(value, el.attribs.alt !== undefined && /[-_]/.test(value) && !/\s/.test(value) ? () => tagAttributes(model.text, el).get('src') : undefined);
      if (messageId) ctx.report({ ...tagRange(model.text, el), messageId, data: { alt: value.length > 60 ? `${value.slice(0, 60)}…` : value } });
    }
  },
};

function altProblem(alt: string, src: (() => string | undefined) | undefined): 'fileName' | 'generic' | undefined {
  const lower = alt.toLowerCase();
  if (GENERIC.has(lower)) return 'generic';
  if (FILE_NAME.test(alt) || EXPORT_NAME.test(alt)) return 'fileName';
  // `alt="hero-banner_v2"` beside `src=".../hero-banner_v2.jpg"`: the file name without its extension.
  const file = src?.()?.replace(/[?#].*$/s, '').replace(/^.*\//s, '').replace(/\.[a-z0-9]+$/i, '');
  if (file && file.toLowerCase() === lower) return 'fileName';
  return undefined;
}
