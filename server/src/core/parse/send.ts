// The model every send-configuration rule reads, whatever the format it came from: an SES or
// SendGrid JSON payload, a raw RFC 5322 message, or a Deliverlint campaign file. Each parser fills
// what its format can say and records where each value sits, so findings and fixes land exactly.

import type { Category, Esp, Jurisdiction, SendKind, TextEdit } from '../types';

export type { SendKind };

// Send models are read-only once parsed: every property is readonly, so a rule cannot change what
// the next rule reads. Parsers fill in a Draft and hand it out as the read-only type.

/** T with its own properties writable and its lists mutable: what a parser fills in before handing T out. */
export type Draft<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer U> ? U[] : T[K] };

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Located<T> extends Span {
  readonly value: T;
}

export interface HeaderField extends Span {
  /** As written (case kept). Compare with `name.toLowerCase()`. */
  readonly name: string;
  /** Unfolded value (encoded words left as they are). */
  readonly value: string;
  /** Where the value sits in the source (for findings about the value). */
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** A message body held inside the send config (a JSON string, a MIME part, a template file). */
export interface EmbeddedBody extends Span {
  readonly type: 'html' | 'text';
  /** The decoded body text, as the template rules see it. */
  readonly text: string;
  /** Maps an offset in `text` to an offset in the send config's source. */
  toSource(offset: number): number;
  /**
   * Turns text to insert into the decoded body into source text (JSON-escaping it, say).
   * Absent when edits cannot be written back (base64 or quoted-printable MIME parts).
   */
  encode?(text: string): string;
  /** A path or label for messages ("Content.Simple.Body.Html.Data", "MIME part 2"). */
  readonly label: string;
}

export interface DkimSignature extends Span {
  readonly domain?: Located<string>;
  readonly selector?: string;
  /** Lower-cased header names of `h=`. */
  readonly signedHeaders?: readonly string[];
  readonly algorithm?: string;
  /** `bh=`: the base64 hash of the canonicalized body, with where it is written. */
  readonly bodyHash?: Located<string>;
  /** `c=` as written, lower-cased ("relaxed/relaxed"); absent means simple/simple. */
  readonly canonicalization?: string;
  /** `l=`: how many canonicalized body bytes the signature covers (absent: all). */
  readonly bodyLength?: number;
}

export interface ConsentRecord {
  /** The block or the tags holding the record; findings about it land here. */
  readonly at: Span;
  readonly fields: Readonly<Record<string, Located<string>>>;
  /** Where the record came from: a campaign's consent block or ESP tags under a prefix. */
  readonly source: 'campaign' | 'tags';
}

export interface SendModel {
  readonly kind: SendKind;
  readonly text: string;
  /** The ESP that will send this (SES for SES payloads, SendGrid for SendGrid, a campaign's `esp`). */
  readonly esp?: Esp;
  /** Where findings about the send as a whole are reported (the From, or the first line). */
  readonly anchor: Span;
  readonly from?: Located<string>;
  readonly replyTo?: Located<string>;
  /** The MAIL FROM / Return-Path domain, when known. */
  readonly mailFrom?: Located<string>;
  readonly dkim: readonly DkimSignature[];
  readonly headers: readonly HeaderField[];
  readonly bodies: readonly EmbeddedBody[];
  readonly recipients?: number;
  /** A campaign's declared category. */
  readonly category?: Located<Category>;
  readonly jurisdictions?: Located<readonly Jurisdiction[]>;
  readonly consent?: ConsentRecord;
  /** A campaign's template path, as written. */
  readonly template?: Located<string>;
  readonly ses?: {
    readonly listManagement?: Span;
    readonly configurationSet?: Located<string>;
    /** SendBulkEmail or a template send to several destinations. */
    readonly bulk: boolean;
    /** A CreateEmailTemplate request: content only, no send. */
    readonly template?: boolean;
  };
  readonly sendgrid?: {
    readonly asm?: Span;
    readonly asmGroupId?: Located<number>;
    readonly subscriptionTracking?: Span & { readonly enabled: boolean; readonly substitutionTag?: string };
  };
  /** The edits fixes make to this file, in its own format. */
  readonly edits: SendEditor;
  /** An .eml's body as written, after the header block's empty line (what DKIM's body hash covers). */
  readonly rawBody?: Span;
  /** Syntax or shape problems of the file itself; `fatal` ones (bad syntax) stop the other rules. */
  readonly problems: ReadonlyArray<SendProblem>;
}

/** The kinds of value a key can hold, named alike for JSON and YAML (messages translate them). */
export type ValueType = 'text' | 'number' | 'boolean' | 'null' | 'map' | 'list' | 'nameValue' | 'nameValueList';

export interface SendProblem extends Span {
  /** The problem in English (the finding's message when it has no localised form below). */
  readonly message: string;
  readonly fatal?: boolean;
  /** A value of the wrong type: the finding names the key, the type expected and the type found. */
  readonly wrongType?: { readonly key: string; readonly expected: ValueType; readonly actual: ValueType };
  /** A key written twice in one map. */
  readonly duplicateKey?: { readonly key: string };
  /** Objects and arrays nested deeper than the parser reads. */
  readonly tooDeep?: { readonly max: number };
}

/**
 * How fixes change a send configuration, written in the file's own format (JSON keeping its
 * formatting, YAML keeping its comments, header lines with the message's line ending). Every send
 * model has one; a method returns undefined where the format has no place for that change.
 */
export interface SendEditor {
  /** Adds header fields in one edit, where this format keeps headers (after the last header line, in the headers object ...). */
  insertHeaders(fields: ReadonlyArray<readonly [string, string]>): TextEdit | undefined;
  /** Adds consent fields (campaigns: the consent block; payloads: ESP tags under the consent prefix). */
  insertConsent(fields: Readonly<Record<string, string>>): TextEdit | undefined;
  /** Sets a scalar at a key path, keeping formatting (campaign `mailFrom`, `dkim.domain` ...). */
  setValue(path: ReadonlyArray<string | number>, value: string): TextEdit | undefined;
  /** Adds SES ListManagementOptions with placeholders for the contact list and topic. */
  insertListManagement(): TextEdit | undefined;
}

const CANNOT = (): undefined => undefined;

/** A SendEditor with the edits a format can make; the others return undefined. */
export function sendEditor(can: Partial<SendEditor> = {}): SendEditor {
  return {
    insertHeaders: can.insertHeaders ?? CANNOT,
    insertConsent: can.insertConsent ?? CANNOT,
    setValue: can.setValue ?? CANNOT,
    insertListManagement: can.insertListManagement ?? CANNOT,
  };
}
