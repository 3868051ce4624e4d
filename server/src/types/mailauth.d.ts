// mailauth declares its public entry points; these cover the internal modules Deliverlint calls
// directly: the DKIM body hashers (the offline lint rule needs no DNS, no stream and no message
// parser) and the SPF walk that names the mechanism which matched (the public `spf()` keeps it).
declare module 'mailauth/lib/dkim/body/relaxed' {
  export class RelaxedHash {
    constructor(algorithm?: string, maxBodyLength?: number);
    update(chunk: Buffer | null, final?: boolean): void;
    digest(encoding: 'base64'): string;
    bodyHashedBytes: number;
    canonicalizedLength: number;
  }
}
declare module 'mailauth/lib/dkim/body/simple' {
  export class SimpleHash {
    constructor(algorithm?: string, maxBodyLength?: number);
    update(chunk: Buffer): void;
    digest(encoding: 'base64'): string;
    bodyHashedBytes: number;
    canonicalizedLength: number;
  }
}
declare module 'mailauth/lib/spf/spf-verify' {
  export interface SpfMatch {
    type?: string;
    val?: string;
    qualifier?: string;
    include?: SpfMatch;
    error?: string;
    text?: string;
  }
  export function spfVerify(
    domain: string,
    opts: { sender: string; ip: string; helo?: string; mta?: string; resolver: (name: string, type: string) => Promise<unknown> },
  ): Promise<SpfMatch | null | undefined>;
}
