import { dirname, join, resolve } from 'node:path';
import { portRange, shopServices } from './shop-catalogue';

export interface ShopProcessOptions {
  /** How to start one instance: node and its arguments up to the shop's main. */
  command: string;
  args: readonly string[];
  cwd: string;
  /** Given to every instance (Kafka brokers, telemetry interval ...). */
  env: Readonly<Record<string, string>>;
  /** Before every service name, as in the topology: runs side by side stay apart. */
  prefix?: string;
  portOffset?: number;
  /**
   * A folder for the services' data dirs, one per service (`<dataRoot>/<service>`): where the
   * faults a restart cannot cure are held (docs/faults.md). Without it the treatments that change
   * those files (rollback-config, free-disk, release-lock ...) are unsupported.
   */
  dataRoot?: string;
}

/**
 * The shop as the executor's local-process adapter runs it (`localProcess.services` of
 * EXECUTOR_ADAPTERS_FILE): each service has a good release v1 and a bad release v2 (up, but
 * failing most requests), starts on v1, and exposes the admin paths the adapter's actions and
 * checks use.
 */
export function shopProcessConfig(options: ShopProcessOptions) {
  const prefix = options.prefix ?? '';
  const offset = options.portOffset ?? 0;
  const base = {
    command: options.command,
    args: [...options.args],
    cwd: options.cwd,
  };
  const env = { ...options.env, SHOP_PREFIX: prefix, SHOP_PORT_OFFSET: String(offset) };
  return Object.fromEntries(
    shopServices.map((service) => {
      const { from, to } = portRange(service);
      return [
        `${prefix}${service.name}`,
        {
          versions: [
            { version: 'v1', ...base, env },
            { version: 'v2', ...base, env: { ...env, SHOP_BROKEN: 'true' } },
          ],
          initialVersion: 'v1',
          initialReplicas: service.replicas,
          ports: { from: from + offset, to: to + offset },
          healthPath: '/healthz',
          ...(options.dataRoot && { dataDir: join(options.dataRoot, service.name) }),
          endpoints: {
            stats: '/admin/stats',
            flags: '/admin/flags',
            cacheFlush: '/admin/cache/flush',
            diagnostics: '/admin/diagnostics',
          },
        },
      ];
    }),
  );
}

/**
 * How long the executor waits for a shop instance. A compiled instance answers in about a second;
 * one through ts-node compiles the shop at every start, which under a full loop on two cores has
 * taken more than 10 s.
 */
export const shopProcessTimings = { startupTimeoutMs: 45_000, healthTimeoutMs: 20_000 } as const;

type ShopCommand = Pick<ShopProcessOptions, 'command' | 'args' | 'cwd'>;

/** Node running the shop's compiled main from the build (`npm run build`) of the checkout at `root`. */
export function shopFromBuild(root: string): ShopCommand {
  return {
    command: process.execPath,
    args: [join(root, 'dist', 'apps', 'demo-shop', 'src', 'main.js')],
    cwd: root,
  };
}

/**
 * Node running the shop the way this code itself runs: when this module is compiled (the demo's
 * `vigil shop adapters-file` runs from dist/), the shop's main from the same build, found from
 * this module's own place in it; otherwise (tests, `npm run vigil`) the shop's source in the
 * checkout at `root` through ts-node. `self` is this module's file, given only by tests.
 */
export function shopFromSource(root: string, self: string = __filename): ShopCommand {
  if (self.endsWith('.js')) return shopFromBuild(resolve(dirname(self), '..', '..', '..', '..'));
  return {
    command: process.execPath,
    args: [
      join(root, 'node_modules', 'ts-node', 'dist', 'bin.js'),
      join(root, 'apps', 'demo-shop', 'src', 'main.ts'),
    ],
    cwd: root,
  };
}

/** The executor's adapters file (EXECUTOR_ADAPTERS_FILE) for a shop the local-process adapter runs. */
export function shopAdaptersFile(options: ShopProcessOptions) {
  return { localProcess: { services: shopProcessConfig(options), timings: shopProcessTimings } };
}
