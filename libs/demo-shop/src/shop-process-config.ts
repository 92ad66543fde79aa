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
