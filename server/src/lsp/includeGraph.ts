// The include graph of the workspace: which emails use which layouts and partials, kept from the
// compositions of the lints the server runs (open documents, disk lints, the workspace scan), so a
// change to a part can re-lint the emails built from it. Pure bookkeeping: no I/O, no linting.

import * as path from 'node:path';
import type { Composition } from '../core/compose';

/** The roles judged as whole messages: the emails a part's hover lists. */
const WHOLE_MESSAGE_ROLES: ReadonlySet<string> = new Set(['email', 'undecided']);

/** A composed part's file: Go's `file.tmpl#name` is the file. */
function partFile(partPath: string): string {
  const hash = partPath.indexOf('#');
  return path.resolve(hash === -1 ? partPath : partPath.slice(0, hash));
}

/**
 * The words a missing reference may be found by once its file appears: the last segment of the
 * name, split at dots (`footer.html`, `emails.footer`, `x-button.primary`), without a leading `_`
 * or `x-`. A created file is looked up by its own name's first word, so a few extra candidates
 * cost a re-lint at most.
 */
function missingKeys(name: string): string[] {
  const last = name.split(/[\\/:]/).pop() ?? name;
  return [...new Set(last.replace(/^x-/, '').split('.').map((w) => w.replace(/^_/, '').toLowerCase()).filter(Boolean))];
}

function createdKey(filePath: string): string {
  return path.basename(filePath).replace(/^_/, '').split('.')[0]!.toLowerCase();
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (!set.size) map.delete(key);
}

export class IncludeGraph {
  /** Part file -> the files composed with it (at any depth): emails, and layouts or pages that include it. */
  private readonly users = new Map<string, Set<string>>();
  /** File -> its part files: the edges to drop when it is linted again or deleted. */
  private readonly uses = new Map<string, Set<string>>();
  /** Word of a missing reference's name -> the files waiting for such a file. */
  private readonly waiting = new Map<string, Set<string>>();
  private readonly waits = new Map<string, Set<string>>();
  /** The files whose last lint judged them whole messages. */
  private readonly emails = new Set<string>();

  /**
   * Replaces what `file` uses with what its latest lint composed. Every role keeps its edges: a
   * layout that includes a footer is linted again with the emails when the footer changes, so it
   * knows when the footer is missing, and its emails hear when the footer comes back.
   */
  record(file: string, composition: Composition | undefined): void {
    const key = path.resolve(file);
    this.forget(key);
    if (!composition || composition.role.role === 'ignored') return;
    if (WHOLE_MESSAGE_ROLES.has(composition.role.role)) this.emails.add(key);
    const parts = new Set<string>();
    for (const part of composition.parts) if (part.path) parts.add(partFile(part.path));
    parts.delete(key);
    if (parts.size) {
      this.uses.set(key, parts);
      for (const p of parts) addTo(this.users, p, key);
    }
    const words = new Set<string>();
    for (const u of composition.unresolved) if (u.reason === 'missing' && u.name) for (const w of missingKeys(u.name)) words.add(w);
    if (words.size) {
      this.waits.set(key, words);
      for (const w of words) addTo(this.waiting, w, key);
    }
  }

  /** Drops the edges of a file that is gone (or of every file under a deleted folder). */
  forget(file: string, folder = false): void {
    const key = path.resolve(file);
    const files = folder ? [...new Set([...this.uses.keys(), ...this.waits.keys()])].filter((f) => f === key || f.startsWith(key + path.sep)) : [key];
    for (const f of files) {
      for (const p of this.uses.get(f) ?? []) removeFrom(this.users, p, f);
      this.uses.delete(f);
      for (const w of this.waits.get(f) ?? []) removeFrom(this.waiting, w, f);
      this.waits.delete(f);
      this.emails.delete(f);
    }
  }

  /** The emails (whole messages) built with the part at `file`. */
  emailsUsing(file: string): string[] {
    return this.dependentsOf(file).filter((f) => this.emails.has(f));
  }

  /** The files built with the part at `file`, or with any part under it when it is a folder. */
  dependentsOf(file: string, folder = false): string[] {
    const key = path.resolve(file);
    if (!folder) return [...(this.users.get(key) ?? [])];
    const out = new Set<string>();
    for (const [p, users] of this.users) if (p === key || p.startsWith(key + path.sep)) for (const u of users) out.add(u);
    return [...out];
  }

  /** The files with a missing reference that a file created at `file` may satisfy. */
  waitingFor(file: string): string[] {
    return [...(this.waiting.get(createdKey(file)) ?? [])];
  }

  /** The part files `file` was composed with at its last lint. */
  partsOf(file: string): string[] {
    return [...(this.uses.get(path.resolve(file)) ?? [])];
  }

  get size(): number {
    return this.uses.size;
  }
}
