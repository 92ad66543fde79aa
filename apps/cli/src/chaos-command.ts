import type { Command } from 'commander';
import {
  allFaultKinds,
  defaultTargets,
  randomScenario,
  scenario,
  type AnyFaultKind,
} from '@vigil/demo-shop';
import { clearFaults, injectFault } from '@vigil/demo-shop-client';
import { numberOption, portOffsetOption } from './number-option';

interface ShopOptions {
  prefix: string;
  portOffset: string;
  executor: string;
  token?: string;
}

const address = (o: ShopOptions) => ({
  prefix: o.prefix,
  portOffset: portOffsetOption(o.portOffset),
});

function shopOptions(command: Command): Command {
  return command
    .option('--prefix <p>', 'the shop prefix (SHOP_PREFIX)', '')
    .option('--port-offset <n>', 'the shop port offset (SHOP_PORT_OFFSET)', '0')
    .option('--executor <url>', 'the executor that runs the shop', 'http://127.0.0.1:3109')
    .option('--token <t>', 'EXECUTOR_ADMIN_TOKEN (bad deploys)', process.env.EXECUTOR_ADMIN_TOKEN);
}

/** `vigil chaos FAULT --service S | --random SEED | clear --service S`: faults into the demo shop. */
export function registerChaosCommand(program: Command): void {
  const chaos = program
    .command('chaos')
    .description(`inject a fault into the demo shop: ${allFaultKinds.join(', ')}, or clear`);
  shopOptions(
    chaos
      .command('inject [fault]')
      .description('inject FAULT on --service, or a seeded random scenario with --random SEED')
      .option('--service <name>', 'the shop service to hurt (default: where the fault shows best)')
      .option(
        '--strength <x>',
        'ms of latency, share of errors or CPU, MiB/s of leak, ms of timeout, extra requests/s of a load spike',
      )
      .option('--random <seed>', 'a random fault on a random service, the same for the same seed'),
  ).action(
    async (
      fault: string | undefined,
      o: ShopOptions & { service?: string; strength?: string; random?: string },
    ) => {
      const chosen =
        o.random !== undefined
          ? randomScenario(numberOption(o.random, '--random', { integer: true }))
          : scenario(
              checkedFault(fault),
              o.service ?? defaultTargets[checkedFault(fault)],
              o.strength === undefined
                ? undefined
                : numberOption(o.strength, '--strength', { above: 0 }),
            );
      const report = await injectFault(chosen, address(o), { url: o.executor, token: o.token });
      process.stdout.write(
        `${report.at} injected ${chosen.fault} on ${chosen.service}: ${chosen.description} (${report.touched.join(', ')})\n`,
      );
      const spike = report.spike;
      if (spike) {
        // the spike is this process's requests: it lasts as long as the command runs
        process.stdout.write('the load spike runs until its time is up; Ctrl-C ends it\n');
        process.once('SIGINT', () => spike.stop());
        await spike.done;
        process.stdout.write(`load spike over: ${JSON.stringify(spike.totals)}\n`);
      }
    },
  );
  shopOptions(
    chaos
      .command('clear')
      .description('take injected faults off a service (crashes and deploys are for Vigil to heal)')
      .requiredOption('--service <name>', 'the shop service'),
  ).action(async (o: ShopOptions & { service: string }) => {
    const count = await clearFaults(o.service, address(o));
    process.stdout.write(`cleared faults on ${count} instance(s) of ${o.service}\n`);
  });
}

function checkedFault(fault: string | undefined): AnyFaultKind {
  const found = allFaultKinds.find((k) => k === fault);
  return found ?? failWith(`FAULT must be one of ${allFaultKinds.join(', ')}`);
}

function failWith(message: string): never {
  throw new Error(message);
}
