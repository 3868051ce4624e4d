// Every CloudFormation fixture must be a template AWS would take: each resource is checked against
// the CloudFormation resource specification (@aws-cdk/cfnspec, a devDependency): its type exists,
// its properties are known, required ones are there, and values have the kind the specification
// gives (string, number, boolean, list, map, or a property type, recursively). Intrinsic functions
// (`!Ref`, `{"Fn::Sub": ...}`) stand for any value. A fixture AWS would reject fails here, so a rule
// is never tested on a template nobody could deploy. The specification says nothing about which
// property combinations are allowed (one destination of several): the rules check that.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import * as YAML from 'yaml';
import { detectKind } from '../../server/src/core/input';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const spec = require('@aws-cdk/cfnspec').specification() as Spec;

interface PropSpec {
  PrimitiveType?: string;
  Type?: string;
  ItemType?: string;
  PrimitiveItemType?: string;
  Required?: boolean;
}
interface TypeSpec {
  Properties?: Record<string, PropSpec>;
  PrimitiveType?: string;
}
interface Spec {
  ResourceTypes: Record<string, TypeSpec>;
  PropertyTypes: Record<string, TypeSpec>;
}

const INTRINSIC = /^(?:Ref|Condition|Fn::[A-Za-z]+)$/;
const isIntrinsic = (v: unknown): boolean => v instanceof Intrinsic || (!!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && INTRINSIC.test(Object.keys(v)[0]!));

/** A short-form tag's value: CloudFormation computes it at deploy time. */
class Intrinsic {
  constructor(readonly tag: string) {}
}
const TAGS = ['Ref', 'GetAtt', 'Sub', 'If', 'Join', 'Select', 'Split', 'FindInMap', 'ImportValue', 'Base64', 'Cidr', 'GetAZs', 'Equals', 'And', 'Or', 'Not', 'Condition', 'Transform'];
const customTags = TAGS.flatMap((name) =>
  (['scalar', 'seq', 'map'] as const).map((kind) => ({
    tag: `!${name}`,
    ...(kind === 'scalar' ? {} : { collection: kind }),
    resolve: () => new Intrinsic(name),
  })),
) as YAML.Tags;

export function validateTemplate(text: string): string[] {
  const doc = YAML.parseDocument(text, { customTags });
  const errors: string[] = doc.errors.map((e) => e.message);
  const root = doc.toJS() as { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
  for (const [id, res] of Object.entries(root.Resources ?? {})) {
    const type = res.Type ?? '';
    if (type.startsWith('Custom::') || type.startsWith('AWS::Serverless::') || type === 'AWS::CDK::Metadata') continue;
    const rt = spec.ResourceTypes[type];
    if (!rt) {
      errors.push(`${id}: unknown resource type ${type}`);
      continue;
    }
    checkProps(type, rt, res.Properties ?? {}, id, errors);
  }
  return errors;
}

function checkProps(resourceType: string, t: TypeSpec, value: unknown, where: string, errors: string[]): void {
  if (isIntrinsic(value)) return;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    errors.push(`${where}: expected an object`);
    return;
  }
  const props = t.Properties ?? {};
  for (const [k, p] of Object.entries(props)) if (p.Required && !(k in (value as object))) errors.push(`${where}: required property ${k} is missing`);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const p = props[k];
    if (!p) {
      errors.push(`${where}: unknown property ${k}`);
      continue;
    }
    checkValue(resourceType, p, v, `${where}.${k}`, errors);
  }
}

function checkValue(resourceType: string, p: PropSpec, v: unknown, where: string, errors: string[]): void {
  if (isIntrinsic(v)) return;
  if (p.PrimitiveType) return checkPrimitive(p.PrimitiveType, v, where, errors);
  if (p.Type === 'List' || p.Type === 'Map') {
    const items = p.Type === 'List' ? v : v && typeof v === 'object' && !Array.isArray(v) ? Object.values(v) : undefined;
    if (!Array.isArray(items)) {
      errors.push(`${where}: expected a ${p.Type === 'List' ? 'list' : 'map'}`);
      return;
    }
    for (const item of items) {
      if (p.PrimitiveItemType) checkPrimitive(p.PrimitiveItemType, item, where, errors);
      else if (p.ItemType) checkValue(resourceType, { Type: p.ItemType }, item, where, errors);
    }
    return;
  }
  if (p.Type) {
    const nested = spec.PropertyTypes[`${resourceType}.${p.Type}`] ?? spec.PropertyTypes[p.Type];
    if (!nested) {
      errors.push(`${where}: the specification has no type ${p.Type}`);
      return;
    }
    if (nested.PrimitiveType) return checkPrimitive(nested.PrimitiveType, v, where, errors);
    checkProps(resourceType, nested, v, where, errors);
  }
}

function checkPrimitive(type: string, v: unknown, where: string, errors: string[]): void {
  if (isIntrinsic(v)) return;
  const ok =
    type === 'String' ? typeof v === 'string' || typeof v === 'number' :
    type === 'Boolean' ? typeof v === 'boolean' || v === 'true' || v === 'false' :
    type === 'Integer' || type === 'Long' || type === 'Double' ? typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) :
    type === 'Json' ? !!v && typeof v === 'object' :
    type === 'Timestamp' ? typeof v === 'string' : true;
  if (!ok) errors.push(`${where}: expected ${type}, got ${JSON.stringify(v)}`);
}

const ROOT = join(__dirname, '..', 'fixtures');
function infraFixtures(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return infraFixtures(p);
    if (!/\.(?:ya?ml|json)$/.test(name) || /\.(?:expected|config|tf)\.json$/.test(name)) return [];
    return detectKind(p, readFileSync(p, 'utf8')) === 'infra' ? [p] : [];
  });
}

describe('CloudFormation fixtures are templates AWS would take (resource specification)', () => {
  const files = [...infraFixtures(join(ROOT, 'rules')), ...infraFixtures(join(ROOT, 'infra'))];
  test('there are CloudFormation fixtures', () => assert.ok(files.length >= 10, `found ${files.length}`));
  for (const file of files) {
    test(relative(ROOT, file), () => {
      assert.deepEqual(validateTemplate(readFileSync(file, 'utf8')), []);
    });
  }

  test('the validator rejects what AWS would reject', () => {
    const bad = [
      'Resources:',
      '  Set:',
      '    Type: AWS::SES::ConfigurationSet',
      '    Properties:',
      '      ReputationOptions:',
      '        ReputationMetricEnabled: true', // misspelt
      '  Dest:',
      '    Type: AWS::SES::ConfigurationSetEventDestination',
      '    Properties:',
      '      ConfigurationSetName: !Ref Set',
      '      EventDestination:',
      '        Enabled: [true]', // not a boolean; MatchingEventTypes missing
      '  Nope:',
      '    Type: AWS::SES::Identity',
    ].join('\n');
    const errors = validateTemplate(bad);
    assert.ok(errors.some((e) => e.includes('unknown property ReputationMetricEnabled')), errors.join('\n'));
    assert.ok(errors.some((e) => e.includes('required property MatchingEventTypes')), errors.join('\n'));
    assert.ok(errors.some((e) => e.includes('Enabled: expected Boolean')), errors.join('\n'));
    assert.ok(errors.some((e) => e.includes('unknown resource type AWS::SES::Identity')), errors.join('\n'));
  });
});
