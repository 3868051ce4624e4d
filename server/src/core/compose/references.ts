// What a template pulls in, read from its source: partials, layouts and components in the syntax of
// each template engine, and the marks that make a file a layout (a place where the message's
// content goes). Regular expressions over the text, each linear: no nested quantifiers, names
// bounded in length.

import * as path from 'node:path';

/** The template engines whose composition Deliverlint follows. */
export type Engine = 'handlebars' | 'jinja' | 'liquid' | 'go' | 'erb' | 'blade' | 'eex' | 'maizzle' | 'mjml' | 'html';

/** How a reference composes the message: a layout wraps this file, a partial or component goes inside. */
export type ReferenceKind = 'layout' | 'partial';

export interface TemplateReference {
  kind: ReferenceKind;
  engine: Engine;
  /** The name as written (quotes removed); undefined when it is computed at run time. */
  name: string | undefined;
  /** The reference's text in the file, e.g. `{{> footer}}`. */
  start: number;
  end: number;
}

/** The engine a file's name says it is written for ('html' when it could be several). */
export function engineOf(filePath: string | undefined): Engine {
  const base = filePath ? path.basename(filePath).toLowerCase() : '';
  if (base.endsWith('.mjml')) return 'mjml';
  if (base.endsWith('.blade.php')) return 'blade';
  if (/\.(?:hbs|handlebars|mustache)$/.test(base)) return 'handlebars';
  if (/\.(?:njk|nunjucks|twig|jinja|jinja2|j2|jinja-html|django)$/.test(base)) return 'jinja';
  if (base.endsWith('.liquid')) return 'liquid';
  if (/\.(?:tmpl|gohtml|tpl)$/.test(base)) return 'go';
  if (base.endsWith('.erb')) return 'erb';
  if (/\.(?:eex|heex|leex)$/.test(base)) return 'eex';
  return 'html';
}

const NAME = `([^'"\\s]{1,300})`;

// {{> name}}, {{#> layout}}, {{~> name}}, {{> "name"}}, {{> (dynamic) }}
const HANDLEBARS = /\{\{~?(#?)>\s*(?:(["'])([^"'\s]{1,300})\2|([^\s}~()"']{1,300})|(\())/g;
// {% include "x" %}, {% extends 'x' %}, {% import "x" as m %}, {% from "x" import a %}, {% embed "x" %},
// Liquid {% render 'x' %}, {% layout 'x' %}, {% section 'x' %}; unquoted Jekyll names (footer.html)
// and variables ({% include template_name %}).
const BLOCK_TAG = /\{%-?\s*(include|extends|import|from|embed|render|layout|section|include_relative)\s+(?:(["'])([^"'\n]{1,300})\2|([\w./-]{1,300}))/g;
// Go: {{template "name" .}}, {{block "name" .}}, {{- template "name" -}}
const GO_TEMPLATE = /\{\{-?\s*(?:template|block)\s+(?:"([^"\n]{1,300})"|`([^`\n]{1,300})`|([\w.$]{1,300}))/g;
// ERB / EEx: <%= render "x" %>, render partial: "x", render(:partial => "x"), render "x.html", assigns
const RENDER = new RegExp(`<%[=-]?\\s*render\\s*\\(?\\s*(?::?partial\\s*(?::|=>)\\s*)?(?:(["'])${NAME}\\1|(@?[\\w.]{1,300}))`, 'g');
// Blade: @extends('layouts.mail'), @include('x.y'), @component('mail::message'), @each(...)
const BLADE = /@(extends|include|includeIf|includeWhen|includeUnless|includeFirst|component|each)\s*\(\s*(?:(["'])([^"'\n]{1,300})\2|(\$|\[))/g;
// <x-mail::message>, <x-footer>, <x-button.primary> (Blade and Maizzle components)
const X_COMPONENT = /<x-([\w.:-]{1,200})[\s/>]/g;
// Maizzle: <extends src="src/layouts/main.html">, <component src="...">
const MAIZZLE = /<(extends|component)\s+[^>]{0,300}?\bsrc=(["'])([^"'\n]{1,300})\2/g;

const HANDLEBARS_OPENER = /\{\{~?#?>/;
const MAIZZLE_OPENER = /<(?:extends|component)\s/;

/** The references of a template, in text order (MJML's mj-include is read from the model instead). */
export function findReferences(text: string, engine: Engine): TemplateReference[] {
  const out: TemplateReference[] = [];
  const all = engine === 'html';
  if (engine === 'mjml') return out;
  // Cheap pre-checks: most files hold none of these openers.
  const hasCurly = text.includes('{{') || text.includes('{%');
  // Handlebars partials open with `{{>`, `{{#>`, `{{~>` or `{{~#>`: one search for those costs less
  // than the pattern's over a template full of `{{ merge tags }}`.
  if ((all || engine === 'handlebars') && HANDLEBARS_OPENER.test(text)) {
    for (const m of text.matchAll(HANDLEBARS)) {
      const name = m[3] ?? m[4];
      // {{> body}} is where a Panini layout puts the page; {{> @partial-block}} where a partial block goes.
      if (name === 'body' || name === '@partial-block') continue;
      out.push({ kind: m[1] ? 'layout' : 'partial', engine: 'handlebars', name: m[5] ? undefined : name, start: m.index!, end: m.index! + m[0].length });
    }
  }
  if ((all || engine === 'jinja' || engine === 'liquid') && text.includes('{%')) {
    for (const m of text.matchAll(BLOCK_TAG)) {
      const tag = m[1]!;
      const quoted = m[3];
      const bare = m[4];
      // An unquoted name is a variable, except Jekyll's file names (footer.html) and Liquid's render.
      const name = quoted ?? (bare && /\.[a-z]{2,6}$/i.test(bare) ? bare : undefined);
      out.push({ kind: tag === 'extends' || tag === 'layout' ? 'layout' : 'partial', engine: engine === 'liquid' || tag === 'render' || tag === 'section' || tag === 'layout' ? 'liquid' : 'jinja', name, start: m.index!, end: m.index! + m[0].length });
    }
  }
  if ((all || engine === 'go') && hasCurly) {
    for (const m of text.matchAll(GO_TEMPLATE)) {
      out.push({ kind: 'partial', engine: 'go', name: m[1] ?? m[2], start: m.index!, end: m.index! + m[0].length });
    }
  }
  if ((engine === 'erb' || engine === 'eex') && text.includes('render')) {
    for (const m of text.matchAll(RENDER)) {
      out.push({ kind: 'partial', engine, name: m[2], start: m.index!, end: m.index! + m[0].length });
    }
  }
  if (engine === 'blade' && text.includes('@')) {
    for (const m of text.matchAll(BLADE)) {
      out.push({ kind: m[1] === 'extends' || m[1] === 'component' ? 'layout' : 'partial', engine: 'blade', name: m[3], start: m.index!, end: m.index! + m[0].length });
    }
  }
  if ((all || engine === 'blade' || engine === 'maizzle') && text.includes('<x-')) {
    for (const m of text.matchAll(X_COMPONENT)) {
      const name = m[1]!;
      // <x-mail::message> wraps the whole mail (Laravel's markdown mail layout).
      const layout = /^mail::(?:message|layout)$/.test(name);
      out.push({ kind: layout ? 'layout' : 'partial', engine: engine === 'blade' ? 'blade' : 'maizzle', name: `x-${name}`, start: m.index!, end: m.index! + m[0].length - 1 });
    }
  }
  if ((all || engine === 'maizzle') && MAIZZLE_OPENER.test(text)) {
    for (const m of text.matchAll(MAIZZLE)) {
      out.push({ kind: m[1] === 'extends' ? 'layout' : 'partial', engine: 'maizzle', name: m[3], start: m.index!, end: m.index! + m[0].length });
    }
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

// Where a layout puts the message: Postmark {{{@content}}}, Panini {{> body}}, ERB/EEx yield,
// Blade @yield and {{ $slot }}, Maizzle <yield>, Jekyll {{ content }}, Shopify {{ content_for_layout }},
// Phoenix @inner_content, Go layouts' {{template "content" .}} / {{block "content" .}}.
const CONTENT_SLOT = /\{\{\{\s*@content\s*\}\}\}|\{\{~?>\s*body\s*~?\}\}|<%=\s*yield\b|@yield\s*\(|\{\{\s*\$slot\s*\}\}|<yield\s*\/?>|\{\{-?\s*content\s*-?\}\}|@inner_content\b|\{\{\s*@inner_content\s*\}\}|\{\{-?\s*(?:template|block)\s+"(?:content|body|main)"|\{\{-?\s*content_for_layout\s*-?\}\}/;
// A base template of the Jinja family or LiquidJS: a block that is empty or holds only a default.
const BASE_BLOCK = /\{%-?\s*block\s+[\w]{1,100}\s*-?%\}/;
const EXTENDS = /\{%-?\s*extends\s/;

/** Why a file is a layout (the place the message's content goes), or undefined. */
export function layoutMark(text: string, engine: Engine): string | undefined {
  const slot = CONTENT_SLOT.exec(text);
  if (slot) return slot[0].trim();
  if ((engine === 'jinja' || engine === 'liquid' || engine === 'html') && BASE_BLOCK.test(text) && !EXTENDS.test(text) && /<html[\s>]/i.test(text)) {
    return BASE_BLOCK.exec(text)![0];
  }
  return undefined;
}

const GO_DEFINE = /\{\{-?\s*define\s+"([^"\n]{1,300})"\s*-?\}\}/g;

/** The templates a Go template file defines, each with the span of its content. */
export function goDefinitions(text: string): Array<{ name: string; start: number; end: number }> {
  const out: Array<{ name: string; start: number; end: number }> = [];
  for (const m of text.matchAll(GO_DEFINE)) {
    const start = m.index! + m[0].length;
    out.push({ name: m[1]!, start, end: goBlockEnd(text, start) });
  }
  return out;
}

// Actions that open a block closed by {{end}}.
const GO_ACTION = /\{\{-?\s*(if|range|with|block|define|end)\b/g;

/** Where the {{end}} matching a block opened just before `from` starts (the text's end when none). */
function goBlockEnd(text: string, from: number): number {
  GO_ACTION.lastIndex = from;
  let depth = 1;
  for (let m = GO_ACTION.exec(text); m; m = GO_ACTION.exec(text)) {
    if (m[1] === 'end') {
      depth--;
      if (depth === 0) return m.index;
    } else {
      depth++;
    }
  }
  return text.length;
}
