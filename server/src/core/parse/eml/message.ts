// Raw RFC 5322 messages (.eml): header fields with exact offsets, and the text and HTML MIME parts
// decoded with a map from every decoded character back to the file. Hand-written because mail
// parsers (mailparser, postal-mime) report no source offsets, and a finding inside a decoded part
// must land on that part's bytes in the file. Offsets are UTF-16 indices into the text as the host
// decoded it. Every loop is linear and the maps are typed arrays, so a 20 MB message stays cheap.
//
// This file reads the message as a whole; the pieces are beside it: header blocks (headers.ts),
// address lists (addresses.ts), DKIM signatures (dkim.ts), the MIME walk (mime.ts) and the
// decoding of a part (body.ts, transfer.ts, charset.ts), encoded words (encodedWords.ts), and the
// edits fixes make (edits.ts).

import { sendEditor, type Draft, type SendModel } from '../send';
import { firstMailbox, parseAddressList, returnPathDomain } from './addresses';
import { parseDkimSignature } from './dkim';
import { insertHeaderLines } from './edits';
import { lastLine, parseHeaderBlock } from './headers';
import { walkEntity } from './mime';

export function parseEml(text: string): SendModel {
  const source = typeof text === 'string' ? text : '';
  const model: Draft<SendModel> = { kind: 'eml', text: source, anchor: { start: 0, end: 0 }, dkim: [], headers: [], bodies: [], problems: [], edits: sendEditor() };
  try {
    fill(model, source);
  } catch (err) {
    // A bug must cost findings, never the server: keep what was read and say so.
    model.problems.push({ start: 0, end: 0, message: `The message could not be read completely (${err instanceof Error ? err.message : String(err)}); some findings may be missing.` });
  }
  return model;
}

function fill(model: Draft<SendModel>, text: string): void {
  const problems = model.problems;
  const head = parseHeaderBlock(text, 0, text.length, problems);
  model.headers = head.fields;
  if (!head.separated && text.length > 0) {
    problems.push({ ...lastLine(text, 0, text.length), message: 'No empty line ends the header block, so the whole message was read as headers and it has no body.' });
  }
  model.edits = sendEditor({ insertHeaders: (fields) => insertHeaderLines(text, head, fields) });

  const first = (name: string) => head.fields.find((f) => f.name.toLowerCase() === name);
  const fromField = first('from');
  const anchorField = fromField ?? head.fields[0];
  if (anchorField) model.anchor = { start: anchorField.start, end: anchorField.end };

  if (fromField) model.from = firstMailbox(text, fromField);
  const replyTo = first('reply-to');
  if (replyTo) model.replyTo = firstMailbox(text, replyTo);
  const returnPath = first('return-path');
  if (returnPath) model.mailFrom = returnPathDomain(text, returnPath);

  let recipients = 0;
  for (const f of head.fields) {
    const n = f.name.toLowerCase();
    if (n === 'to' || n === 'cc' || n === 'bcc') recipients += parseAddressList(text, f.valueStart, f.valueEnd).length;
  }
  model.recipients = recipients;

  for (const f of head.fields) if (f.name.toLowerCase() === 'dkim-signature') model.dkim.push(parseDkimSignature(text, f));

  if (head.separated) model.rawBody = { start: head.bodyStart, end: text.length };
  if (head.separated) walkEntity({ text, problems, bodies: model.bodies }, head.fields, head.bodyStart, text.length, '', 'text/plain', 0);
}
