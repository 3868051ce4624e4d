// Validates SARIF logs against the OASIS SARIF 2.1.0 schema (vendored beside this file; see its
// NOTICE) with ajv. The schema is draft-04, hence ajv-draft-04; formats (uri, date-time) are checked.
// ajv's default strictness: its strictRequired mode would reject the OASIS schema's own style.

import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SARIF_SCHEMA_FILE = join(__dirname, 'sarif-schema-2.1.0.json');

let validator: ReturnType<Ajv['compile']> | undefined;

/** The schema's complaints about `log`, one line each; empty when it is valid SARIF 2.1.0. */
export function sarifErrors(log: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as object);
  }
  if (validator(log)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
