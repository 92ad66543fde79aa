/* eslint-disable @nx/enforce-module-boundaries --
   the configuration reference lists every app's variables, so it reads every app's env config;
   all-in-one is the one place that composes the apps. */
import { join } from 'node:path';
import { type EnvConfig, renderConfigurationMarkdown, renderEnvExample } from '@vigil/config';
import { shopInstanceEnv } from '../../demo-shop/src/shop-instance.config';
import { allApps } from './all-in-one-apps';
import { allInOneEnv } from './all-in-one.config';

/** Every app: the services in the order they start, then all-in-one and a demo shop instance. */
export const appEnvConfigs: readonly EnvConfig[] = [
  ...Object.values(allApps).map((app): EnvConfig => app.env),
  allInOneEnv,
  shopInstanceEnv,
];

export const repositoryRoot = join(__dirname, '..', '..', '..');

/** The generated files, relative to the repository root, and what they should hold. */
export function configDocFiles(): Array<{ path: string; text: string }> {
  return [
    { path: 'docs/configuration.md', text: renderConfigurationMarkdown(appEnvConfigs) },
    { path: '.env.example', text: renderEnvExample(appEnvConfigs) },
  ];
}
