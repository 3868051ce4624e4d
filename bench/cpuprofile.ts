// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time,
// with their share of all samples. Used to find where a missed benchmark target goes.
//   node --import tsx bench/cpuprofile.ts <file.cpuprofile> [top=25]

import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

export function topSelfTime(profile: Profile, top = 25): SelfTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const f = node.callFrame;
    const where = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '';
    const key = `${f.functionName}|${where}`;
    const entry = selfUs.get(key) ?? { name: f.functionName || '(anonymous)', where, us: 0 };
    entry.us += dt;
    selfUs.set(key, entry);
  });
  return [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, ms: e.us / 1000, share: total ? e.us / total : 0 }));
}

if (process.argv[1] && path.basename(process.argv[1]).startsWith('cpuprofile')) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: cpuprofile.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  for (const t of topSelfTime(profile, Number(process.argv[3] ?? 25))) {
    process.stdout.write(`${(t.share * 100).toFixed(1).padStart(5)}%  ${t.ms.toFixed(1).padStart(8)} ms  ${t.name}  ${t.where}\n`);
  }
}
