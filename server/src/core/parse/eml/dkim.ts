// DKIM-Signature header fields: the tags rules read (d=, s=, a=, h=, bh=, c=, l=), with the domain
// and the body hash located.

import type { DkimSignature, Draft, HeaderField } from '../send';
import { isFws } from './headers';

export function parseDkimSignature(text: string, field: HeaderField): DkimSignature {
  const sig: Draft<DkimSignature> = { start: field.start, end: field.end };
  let i = field.valueStart;
  const end = field.valueEnd;
  while (i < end) {
    let semi = text.indexOf(';', i);
    if (semi === -1 || semi > end) semi = end;
    const eq = text.indexOf('=', i);
    if (eq !== -1 && eq < semi) {
      const name = text.slice(i, eq).replace(/\s+/g, '').toLowerCase();
      let vs = eq + 1;
      while (vs < semi && isFws(text.charCodeAt(vs))) vs++;
      let ve = semi;
      while (ve > vs && isFws(text.charCodeAt(ve - 1))) ve--;
      // Folding and whitespace inside a tag value are not part of it (RFC 6376 §3.2).
      const value = text.slice(vs, ve).replace(/[ \t\r\n]+/g, '');
      if (name === 'd') sig.domain = { value, start: vs, end: ve };
      else if (name === 's') sig.selector = value;
      else if (name === 'a') sig.algorithm = value.toLowerCase();
      else if (name === 'bh') sig.bodyHash = { value, start: vs, end: ve };
      else if (name === 'c') sig.canonicalization = value.toLowerCase();
      else if (name === 'l') {
        // A length past 2^53 cannot be a real body; it stays unread rather than rounded.
        if (/^\d{1,15}$/.test(value)) sig.bodyLength = Number(value);
      } else if (name === 'h') sig.signedHeaders = value.split(':').map((h) => h.trim().toLowerCase()).filter(Boolean);
    }
    i = semi + 1;
  }
  return sig;
}
