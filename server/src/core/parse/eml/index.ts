// Raw RFC 5322 messages (.eml): see message.ts.

export { type Mailbox, parseAddressList } from './addresses';
export { decodeEncodedWords } from './encodedWords';
export { parseEml } from './message';
