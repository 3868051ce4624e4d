// The configuration sets the workspace's infrastructure files define, as the server has read them
// (open documents with their unsaved text, closed files from the workspace scan and the watcher),
// and the send payloads and campaign files whose lint depends on them (configuration-set-unknown).
// When an infrastructure file adds, renames or drops a set, those files are linted again.

import * as path from 'node:path';
import { indexSets, setsOfFile, type ConfigurationSetIndex, type FileSets } from '../core/infra/sets';
import type { LintResult } from '../core/types';
import { identityInputsOf, type InfraIdentityInput } from '../core/infra/domainInputs';

export class WorkspaceSets {
  private readonly byFile = new Map<string, FileSets>();
  /** The SES identities of each infrastructure file, for the domain check. */
  private readonly identitiesByFile = new Map<string, InfraIdentityInput[]>();
  /** Payloads and campaign files: linted again when the index changes. */
  private readonly users = new Set<string>();
  private cached: ConfigurationSetIndex | undefined;
  /** Told the files to lint again when the index changed. */
  onChange?: (users: string[]) => void;

  /** The index for the next lint. */
  index(): ConfigurationSetIndex {
    return (this.cached ??= indexSets(this.byFile.values()));
  }

  /** A file was linted (`text` as linted): keep what it defines and whether it depends on the index. */
  noteLint(filePath: string, text: string, result: LintResult): void {
    if (result.kind === 'ses' || result.kind === 'campaign') this.users.add(filePath);
    else this.users.delete(filePath);
    this.set(filePath, result.kind === 'infra' ? setsOfFile(filePath, text) : undefined);
    const ids = result.kind === 'infra' ? identityInputsOf(filePath, text, this.shown(filePath)) : [];
    if (ids.length) this.identitiesByFile.set(filePath, ids);
    else this.identitiesByFile.delete(filePath);
  }

  /** How a file is named where the domain check says where an input came from (relative to its workspace folder). */
  shown: (filePath: string) => string = (p) => p;

  identities(): InfraIdentityInput[] {
    return [...this.identitiesByFile.values()].flat();
  }

  /** A file or folder was deleted. */
  deleted(filePath: string): void {
    const under = filePath + path.sep;
    for (const p of [...this.users]) if (p === filePath || p.startsWith(under)) this.users.delete(p);
    for (const p of [...this.byFile.keys()]) if (p === filePath || p.startsWith(under)) this.set(p, undefined);
    for (const p of [...this.identitiesByFile.keys()]) if (p === filePath || p.startsWith(under)) this.identitiesByFile.delete(p);
  }

  private set(filePath: string, sets: FileSets | undefined): void {
    const old = this.byFile.get(filePath);
    if (same(old, sets)) return;
    const before = this.index();
    if (sets) this.byFile.set(filePath, sets);
    else this.byFile.delete(filePath);
    this.cached = undefined;
    const after = this.index();
    if (sameIndex(before, after)) return;
    if (this.users.size) this.onChange?.([...this.users]);
  }
}

function same(a: FileSets | undefined, b: FileSets | undefined): boolean {
  if (!a || !b) return a === b;
  return a.unknown === b.unknown && a.names.join('\0') === b.names.join('\0');
}

function sameIndex(a: ConfigurationSetIndex, b: ConfigurationSetIndex): boolean {
  return a.unknown === b.unknown && (a.files > 0) === (b.files > 0) && a.names.join('\0') === b.names.join('\0');
}
