// Reads the tag table (allowed attributes, ending tags) and the nesting rules from mjml-preset-core.
// The server bundles the resulting JSON instead of mjml-core's component classes, which pull in
// the whole HTML compiler (juice, cheerio, cssnano: megabytes) that linting never runs.
// Regenerate after upgrading mjml: node test/tools/mjml-components.cjs --write
const fs = require('node:fs');
const path = require('node:path');

function extract() {
  const presetModule = require('mjml-preset-core');
  const preset = presetModule.default ?? presetModule;
  const components = {};
  for (const C of preset.components) {
    const name = C.componentName ?? (typeof C.getTagName === 'function' ? C.getTagName() : undefined);
    if (!name) continue;
    components[name] = { allowedAttributes: C.allowedAttributes ?? {}, endingTag: !!C.endingTag };
  }
  const sorted = Object.fromEntries(Object.keys(components).sort().map((k) => [k, components[k]]));
  // Some parents accept children by pattern (mj-attributes takes any mj-* tag); JSON keeps those
  // as {"pattern": source}, revived by server/src/core/parse/mjml.ts.
  const dependencies = {};
  for (const [parent, children] of Object.entries(preset.dependencies)) {
    dependencies[parent] = children.map((c) => (c instanceof RegExp ? { pattern: c.source, flags: c.flags } : c));
  }
  return { components: sorted, dependencies };
}

const target = path.join(__dirname, '..', '..', 'server', 'src', 'core', 'parse', 'mjml-components.json');
if (require.main === module) {
  const json = JSON.stringify(extract(), null, 2) + '\n';
  if (process.argv.includes('--write')) fs.writeFileSync(target, json);
  else process.stdout.write(json);
}
module.exports = { extract, target };
