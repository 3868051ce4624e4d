// The benchmark's memory measurement (bench/lsp.ts, measureMemoryGrowth) tells a leak from noise:
// two runs of the same server agree, and an artificial leak of a known rate (test/tools/leak.cjs,
// preloaded into the server process only here) shows as that rate.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { measureMemoryGrowth, memoryServerOptions, type MemoryGrowth } from '../../bench/lsp';
import { LspClient, makeWorkspace, removeWorkspace, uriOf } from './client';
import { NEWSLETTER } from './templates';

const PLAN = { cycles: 300, every: 30, warmup: 60 };
const LEAK_KB = 20;

describe('memory growth, measured after forced collections as a fitted slope', () => {
  let ws: string;
  const uri = () => uriOf(path.join(ws, 'emails', 'weekly.html'));

  before(() => {
    ws = makeWorkspace({ 'emails/.keep': '' });
  });
  after(() => removeWorkspace(ws));

  async function run(leakKb: number): Promise<MemoryGrowth> {
    const client = await LspClient.start({ folders: [ws], ...memoryServerOptions(leakKb) });
    try {
      client.scopedSettings.set(uri(), { lintDelay: 0 });
      return await measureMemoryGrowth(client, uri(), NEWSLETTER, PLAN);
    } finally {
      await client.stop();
    }
  }

  it('agrees between two runs and stays near zero without a leak, and shows a leak at its rate', async (t) => {
    const first = await run(0);
    const second = await run(0);
    const leaking = await run(LEAK_KB);
    const show = (g: MemoryGrowth) => `${g.slopeMbPer1000.toFixed(2)} MB/1,000 edits, samples ${g.samples.map(([, mb]) => mb.toFixed(1)).join(' ')}`;
    t.diagnostic(`no leak: ${show(first)}; again: ${show(second)}; leaking ${LEAK_KB} KB per edit: ${show(leaking)}`);
    assert.equal(first.samples.length, PLAN.cycles / PLAN.every + 1);
    assert.ok(Math.abs(first.slopeMbPer1000) < 3, `first run: ${show(first)}`);
    assert.ok(Math.abs(second.slopeMbPer1000) < 3, `second run: ${show(second)}`);
    assert.ok(Math.abs(first.growthMb - second.growthMb) < 1, `the runs differ: ${show(first)} / ${show(second)}`);
    // 20 KB kept per edit is 19.5 MiB per 1,000 edits.
    const expected = (LEAK_KB * 1000) / 1024;
    assert.ok(leaking.slopeMbPer1000 > expected * 0.8 && leaking.slopeMbPer1000 < expected * 1.15, `with the leak: ${show(leaking)}`);
  });
});
