// What a file is and whether it can be read as text: the one resolver of a file's kind that the
// CLI, the language server and the code actions all go through (via the lint result's `kind`).

import * as path from 'node:path';
import { matchingGlob } from './config';
import { CAMPAIGN_FILE } from './parse/campaign';
import { detectPayload } from './parse/payload';
import { looksLikeCloudFormation } from './parse/infra/cloudformation';
import type { DocumentKind, LintRequest } from './types';

const MJML_EXTENSIONS = new Set(['.mjml']);
/** Extensions that say "HTML template" on their own. */
const HTML_EXTENSIONS = new Set(['.html', '.htm', '.hbs', '.handlebars', '.njk', '.liquid', '.ejs', '.gohtml', '.heex']);

/*
 * Template-language extensions that do not say what the template renders: ERB, EEx, Twig, Jinja,
 * Go's text/template (.tpl, .tmpl, also PHP Smarty and Helm helpers), Mustache and Blade make
 * plain-text mails, JavaScript, YAML and config files as often as HTML. The extension before them
 * decides (`welcome.html.erb` is HTML, `welcome.text.erb` and `nginx.conf.j2` are not ours); with
 * none, or one that names no format (`welcome.blade.php`, `header.tpl`), the content does: HTML
 * elements make it an HTML template. A file that is neither is skipped without a finding, like
 * JSON that is no payload (isDataFile). Plain `.php` and `.txt` are no template language: only
 * their content (below) can make them HTML, and the default `files` globs leave them out.
 */
const TEMPLATE_LANGUAGE_EXTENSIONS = new Set(['.erb', '.eex', '.twig', '.jinja', '.jinja2', '.j2', '.tpl', '.tmpl', '.mustache']);
/** What the extension before a template language's names: a format we lint, or one we do not. */
const INNER_HTML = new Set(['html', 'htm', 'xhtml']);
const INNER_OTHER = new Set(['text', 'txt', 'plain', 'md', 'markdown', 'js', 'mjs', 'json', 'css', 'scss', 'xml', 'rss', 'atom', 'svg', 'csv', 'yml', 'yaml', 'toml', 'ini', 'cfg', 'conf', 'env', 'rb', 'py', 'php', 'sh', 'sql', 'ics', 'vcf']);

/** `welcome.html.erb` -> 'html', `welcome.blade.php` -> 'blade', `x.erb` -> '' (lower case). */
function innerExtension(filePath: string, ext: string): string {
  const stem = path.basename(filePath, path.extname(filePath)).toLowerCase();
  if (ext === '.php') return stem.endsWith('.blade') ? 'blade' : '';
  const dot = stem.lastIndexOf('.');
  return dot > 0 ? stem.slice(dot + 1) : '';
}

/** Where the name alone does not say: 'template' (decided by the content), 'other' (not ours), or undefined (not a template language). */
function templateByName(filePath: string, ext: string): 'html' | 'mjml' | 'template' | 'other' | undefined {
  const blade = ext === '.php' && innerExtension(filePath, ext) === 'blade';
  if (!blade && !TEMPLATE_LANGUAGE_EXTENSIONS.has(ext)) return undefined;
  if (blade) return 'template';
  const inner = innerExtension(filePath, ext);
  if (INNER_HTML.has(inner)) return 'html';
  if (inner === 'mjml') return 'mjml';
  if (INNER_OTHER.has(inner)) return 'other';
  return 'template';
}

/** Elements an HTML mail is made of, for templates whose markup may start after a page of logic or an `{% extends %}`. */
const HTML_ELEMENT = /<(?:!doctype\s+html|html|head|body|table|tbody|thead|tr|td|th|div|p|a|span|img|br|hr|h[1-6]|center|font|strong|b|em|i|u|ul|ol|li|style|meta|title|section|header|footer|button|blockquote)(?=[\s>/])/i;
const MJML_ELEMENT = /<mj(?:ml|-[a-z-]+)(?=[\s>/])/i;
const TEMPLATE_SNIFF = 16_384;

/** The kind from the file name, else from the content (a file named on the CLI may have any name). */
export function detectKind(filePath: string | undefined, text: string): DocumentKind | undefined {
  const ext = filePath ? path.extname(filePath).toLowerCase() : '';
  if (MJML_EXTENSIONS.has(ext)) return 'mjml';
  if (HTML_EXTENSIONS.has(ext)) return 'html';
  if (ext === '.eml') return 'eml';
  if (ext === '.tf' || (filePath && /\.tf\.json$/i.test(filePath))) return 'infra';
  const template = filePath ? templateByName(filePath, ext) : undefined;
  if (template === 'html' || template === 'mjml') return template;
  if (template === 'other') return undefined;
  if (template === 'template') {
    const head = text.slice(0, TEMPLATE_SNIFF);
    if (MJML_ELEMENT.test(head) && /<mjml[\s>]/i.test(head)) return 'mjml';
    return HTML_ELEMENT.test(head) ? 'html' : undefined;
  }
  if (filePath && CAMPAIGN_FILE.test(filePath)) return 'campaign';
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart();
  // CloudFormation and SAM templates (and the CDK's synthesized *.template.json), by content.
  if ((ext === '.json' || ext === '.yaml' || ext === '.yml' || ext === '.template' || head.startsWith('{') || head.startsWith('AWSTemplateFormatVersion')) && looksLikeCloudFormation(text)) return 'infra';
  if (ext === '.yaml' || ext === '.yml') return undefined;
  if (ext === '.json' || head.startsWith('{')) return detectPayload(text);
  // A raw message starts with header fields, among them the ones every message has.
  if (/^[A-Za-z][\w-]*:[^\n]*\r?\n/.test(head) && /^(?:From|Received|Return-Path|DKIM-Signature|Message-ID):/im.test(head) && /^Subject:|^Date:/im.test(head)) return 'eml';
  if (/^(?:<!--[\s\S]*?-->\s*)*<mjml[\s>]/i.test(head)) return 'mjml';
  if (/^(?:<!doctype html|<html[\s>]|<!--|<(?:body|table|div|head|meta|p|center)[\s>])/i.test(head) || /<(?:html|body|table)[\s>]/i.test(head)) return 'html';
  return undefined;
}

/**
 * The kind to lint `req` as: forced, named by the payload globs, the editor's MJML language, or
 * detected from the name and content; undefined when the file is not ours.
 */
export function resolveKind(req: LintRequest): DocumentKind | undefined {
  return req.kind ?? payloadByGlob(req) ?? (req.languageId === 'mjml' ? 'mjml' : undefined) ?? detectKind(req.filePath, req.text);
}

/** A JSON file the configuration names as an SES or SendGrid payload. */
function payloadByGlob(req: LintRequest): 'ses' | 'sendgrid' | undefined {
  if (!req.filePath) return undefined;
  if (matchingGlob(req.filePath, req.config.payloads.ses, req.config.root)) return 'ses';
  if (matchingGlob(req.filePath, req.config.payloads.sendgrid, req.config.root)) return 'sendgrid';
  return undefined;
}

/**
 * Files linted only when their content says what they are (detectKind), and otherwise skipped
 * without a finding: JSON and YAML (send configurations), and templates whose name does not say
 * they render HTML (`welcome.blade.php`, `header.tpl`, `welcome.text.erb`; see TEMPLATE_LANGUAGE_EXTENSIONS).
 */
export function isDataFile(filePath: string | undefined): boolean {
  if (!filePath) return false;
  if (/\.(?:json|ya?ml|template)$/i.test(filePath)) return true;
  const ext = path.extname(filePath).toLowerCase();
  const template = templateByName(filePath, ext);
  return template === 'template' || template === 'other';
}

/** Why a file cannot be linted as text, or undefined when it can. */
export function unreadableReason(text: string): 'binary' | undefined {
  const sample = text.length > 8192 ? text.slice(0, 8192) : text;
  if (sample.includes('\u0000')) return 'binary';
  return undefined;
}

export interface DecodedFile {
  text?: string;
  /** 'binary' or 'encoding' when the bytes are not UTF-8 text. */
  unreadable?: 'binary' | 'encoding';
}

// One decoder for every file: decode() without { stream } starts afresh on each call.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes file bytes as UTF-8 (BOM allowed), refusing binary data and invalid sequences. */
export function decodeFile(bytes: Uint8Array): DecodedFile {
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { unreadable: 'binary' };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { unreadable: 'encoding' };
  }
}
