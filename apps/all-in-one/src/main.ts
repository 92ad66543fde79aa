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
// Each app's Nest shutdown hooks listen for the process's signals, one listener per app and
// signal: a dozen apps are a dozen listeners, not the leak Node warns of past ten.
process.setMaxListeners(Math.max(process.getMaxListeners(), names.length + 10));
runVigilApps(
  'all-in-one',
  names.map((name) => allApps[name]),
);
