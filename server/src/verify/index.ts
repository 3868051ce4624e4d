// The message verification as one bundle of its own (dist/verify.js): mailauth and its MIME and
// charset libraries are about 1.2 MB that every CLI run and the language server would otherwise
// compile at start-up. Front ends load it through load.ts when a verification is asked for.

export { verifyMessage, type VerifyReport, type VerifyOptions, type VerifyFinding, type DkimVerdict, type SpfVerdict, type DmarcVerdict, type ArcVerdict } from './message';
export { formatVerifyText } from './text';
