// Maps the tsconfig path aliases (@vigil/*) for jest, so there is one list of aliases.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

function pathsToModuleNameMapper() {
  const text = readFileSync(join(__dirname, '..', '..', 'tsconfig.base.json'), 'utf8');
  const { paths } = JSON.parse(text).compilerOptions;
  const mapper = {};
  for (const [alias, [target]] of Object.entries(paths)) {
    mapper[`^${alias.replace('/', '\\/')}$`] = `<rootDir>/${target}`;
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
