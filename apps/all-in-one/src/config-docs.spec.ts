import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_DOCS_COMMAND, envVariableDocs } from '@vigil/config';
import { appEnvConfigs, configDocFiles, repositoryRoot } from './config-docs';

describe('the committed configuration reference', () => {
  it.each(configDocFiles())('$path is what the schemas say', ({ path, text }) => {
    const file = join(repositoryRoot, path);
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (committed !== text)
      throw new Error(`${path} is stale: run \`${CONFIG_DOCS_COMMAND}\` and commit the result`);
  });

  it('describes every variable and names every old duration variable it replaced', () => {
    const variables = appEnvConfigs.flatMap((config) => envVariableDocs(config));
    expect(variables.filter((v) => !v.description)).toEqual([]);
    const replaced = variables.flatMap((v) => v.replaces);
    expect(replaced).toEqual(
      expect.arrayContaining(['RCA_LEAD_MINUTES', 'TOPOLOGY_SYNC_SPAN_FLUSH_SECONDS']),
    );
    // one unit for durations: no variable is named in seconds or minutes any more
    expect(variables.map((v) => v.name).filter((n) => /_(SECONDS|MINUTES)$/.test(n))).toEqual([]);
  });
});
