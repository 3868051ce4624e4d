// What a file is and whether it can be read as text: the one resolver of a file's kind that the
// CLI, the language server and the code actions all go through (via the lint result's `kind`).

import * as path from 'node:path';
import { matchingGlob } from './config';
import { CAMPAIGN_FILE } from './parse/campaign';
import { detectPayload } from './parse/payload';
import type { DocumentKind, LintRequest } from './types';

const MJML_EXTENSIONS = new Set(['.mjml']);
const HTML_EXTENSIONS = new Set(['.html', '.htm', '.hbs', '.handlebars', '.njk', '.liquid', '.tpl', '.twig', '.ejs', '.erb']);

/** The kind from the file name, else from the content (a file named on the CLI may have any name). */
export function detectKind(filePath: string | undefined, text: string): DocumentKind | undefined {
  const ext = filePath ? path.extname(filePath).toLowerCase() : '';
  if (MJML_EXTENSIONS.has(ext)) return 'mjml';
  if (HTML_EXTENSIONS.has(ext)) return 'html';
  if (ext === '.eml') return 'eml';
  if (filePath && CAMPAIGN_FILE.test(filePath)) return 'campaign';
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '').trimStart();
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

/** JSON and YAML files: linted only when their content or name says they are send configurations. */
export function isDataFile(filePath: string | undefined): boolean {
  return !!filePath && /\.(?:json|ya?ml)$/i.test(filePath);
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
