// Test and benchmark only: an artificial leak of a known rate, to show that the memory measurement
// (bench/lsp.ts, measureMemoryGrowth) catches one. Preloaded into the language server with
// `node --require`, never part of it: for every didChange notification the server reads from stdin,
// it keeps DELIVERLINT_TEST_LEAK_KB kilobytes of string for good.
'use strict';

const kb = Number(process.env.DELIVERLINT_TEST_LEAK_KB || 0);
const kept = [];
globalThis.deliverlintTestLeak = kept;

if (kb > 0) {
  const marker = '"textDocument/didChange"';
  // The reader of the protocol library attaches its own listener when the server starts, before
  // the first chunk is read; both see every chunk. A marker split between two chunks is missed,
  // rarely: the rate is a little under the nominal one, never over it.
  process.stdin.on('data', (chunk) => {
    const s = chunk.toString('latin1');
    for (let i = s.indexOf(marker); i !== -1; i = s.indexOf(marker, i + 1)) {
      // A flat one-byte string of that size (a repeated one would share its halves).
      kept.push(Buffer.alloc(kb * 1024, 120).toString('latin1'));
    }
  });
}
