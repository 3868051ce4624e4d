// The configuration sets a workspace's infrastructure defines, for the cross-file check of the send
// payloads and campaign files that name one (configuration-set-unknown). The hosts build it: the
// CLI from the infrastructure files of a run before it lints the payloads, the language server from
// the workspace's files (kept current as they change). Plain data, so it crosses to worker threads.

import { detectKind } from '../input';
import { parseCloudFormation } from '../parse/infra/cloudformation';
import { parseTerraform, parseTerraformJson } from '../parse/infra/terraform';
import type { InfraModel } from './model';
import { get } from '../parse/infra/tree';

/** What one infrastructure file says about configuration sets. */
export interface FileSets {
  /** The literal names of the sets it defines. */
  names: string[];
  /** A set whose name is computed or generated at deploy time: what it is called cannot be known here. */
  unknown: boolean;
}

/** The configuration sets of a workspace: the literal names, and whether some set's name is not known. */
export interface ConfigurationSetIndex {
  names: string[];
  unknown: boolean;
  /** Infrastructure files that define at least one set. */
  files: number;
}

/** Words one of which every file defining a configuration set holds: files without them are not parsed. */
const MARKERS = ['AWS::SES::ConfigurationSet', 'aws_sesv2_configuration_set', 'aws_ses_configuration_set'];

/** A cheap test before parsing: can this file define a configuration set? */
export function mayDefineSets(text: string): boolean {
  return MARKERS.some((m) => text.includes(m));
}

/** The sets an infrastructure file defines; undefined when it is no infrastructure file or defines none. */
export function setsOfFile(filePath: string, text: string): FileSets | undefined {
  if (!mayDefineSets(text) || detectKind(filePath, text) !== 'infra') return undefined;
  let model: InfraModel | undefined;
  try {
    model = /\.tf$/i.test(filePath) ? parseTerraform(text) : /\.tf\.json$/i.test(filePath) ? parseTerraformJson(text) : parseCloudFormation(text);
  } catch {
    return undefined;
  }
  if (!model || model.problems.length) return undefined;
  const sets = setsOfModel(model);
  return sets.names.length || sets.unknown ? sets : undefined;
}

export function setsOfModel(model: InfraModel): FileSets {
  const names: string[] = [];
  let unknown = false;
  for (const set of model.configurationSets) {
    if (set.name === undefined) unknown = true;
    else names.push(set.name);
  }
  // Terraform's v1 configuration set (not judged by the rules yet, but a set a payload may name).
  for (const res of model.resources) {
    if (res.type !== 'aws_ses_configuration_set') continue;
    const name = get(res.props, 'name');
    if (name?.t === 'scalar' && typeof name.value === 'string') names.push(name.value);
    else unknown = true;
  }
  return { names, unknown };
}

/** One index over the files' sets (in any order). */
export function indexSets(files: Iterable<FileSets>): ConfigurationSetIndex {
  const names = new Set<string>();
  let unknown = false;
  let count = 0;
  for (const f of files) {
    count++;
    unknown ||= f.unknown;
    for (const n of f.names) names.add(n);
  }
  return { names: [...names].sort(), unknown, files: count };
}
