// The version of this build, for versioned documentation links. It must equal package.json's
// "version" (test/unit/rule-docs.test.ts checks): bump both together when releasing.
export const VERSION = '0.1.0';
