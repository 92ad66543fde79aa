import 'reflect-metadata';
import { loadEnvConfig } from '@vigil/config';
import { runVigilApps } from '@vigil/messaging';
import { allApps, chooseApps } from './all-in-one-apps';
import { allInOneEnv } from './all-in-one.config';

// Every Vigil service in one process, each on its own port with its own configuration (the same
// variables as when run alone); ALL_IN_ONE_APPS picks some.
let names;
try {
  names = chooseApps(loadEnvConfig(allInOneEnv).apps);
} catch (error) {
  process.stderr.write(`all-in-one: ${(error as Error).message}\n`);
  process.exit(1);
}
runVigilApps(
  'all-in-one',
  names.map((name) => allApps[name]),
);
