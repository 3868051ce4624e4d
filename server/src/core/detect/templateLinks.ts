// Links a template engine writes, which the HTML parser sees only as text: Rails' `link_to`,
// Laravel's `route()`/`url()`, Django's `{% url %}`, Jinja's `url_for()`, Phoenix's `link`. One
// whose wording or target says unsubscribe is an unsubscribe link of the message.

// Inside an engine tag, a helper call or url tag that names an unsubscribe (route, text or path),
// within the same tag: bounded runs of characters that cannot close the tag.
// A tag that passes values on (`{% render 'footer', unsubscribe_url: unsubscribe_url %}`) or
// tests one (`{% if unsubscribe_url %}`) writes no link: the link is where the value is printed.
const HELPER_UNSUBSCRIBE =
  /(?:<%[=-]?|\{\{-?|\{%-?(?!\s*(?:render|include|if|elsif|unless|assign|set|with|capture)\b)|\{!!)[^%}]{0,200}?\b(?:link_to|button_to|url_for|route|url|link|path|href|unsubscribe_url|unsubscribe_path)\b[^%}]{0,200}?(?:unsubscri|opt[-_ ]?out|list[-_]unsubscribe|配信停止|配信解除|購読解除)/i;

/** True when the template text holds an engine helper that links to an unsubscribe. */
export function hasTemplateUnsubscribeLink(text: string): boolean {
  // Pre-check: no engine tag opener, no helper link.
  if (!text.includes('<%') && !text.includes('{{') && !text.includes('{%') && !text.includes('{!!')) return false;
  return HELPER_UNSUBSCRIBE.test(text);
}
