import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { shopKafkaEnv } from './shop-kafka-env';
import type { Command } from 'commander';
import { shopAdaptersFile, shopFromSource, shopTopology } from '@vigil/demo-shop';
import { LoadGenerator } from '@vigil/demo-shop-client';
import { numberOption, portOffsetOption } from './number-option';

const root = resolve(__dirname, '..', '..', '..');

interface AdaptersFileOptions {
  out: string;
  prefix: string;
  portOffset: string;
  dataRoot?: string;
  scrapeTargets?: string;
  brokers: string;
  kafkaUser?: string;
  kafkaPasswordFile?: string;
}

/** `vigil shop adapters-file | topology | load`: the demo shop's files and its customers. */
export function registerShopCommand(program: Command): void {
  const shop = program.command('shop').description('the demo shop (apps/demo-shop)');
  shop
    .command('adapters-file')
    .description('write an EXECUTOR_ADAPTERS_FILE that runs the shop as local processes')
    .requiredOption('--out <path>', 'where to write it')
    .option('--prefix <p>', 'before every service name', '')
    .option('--port-offset <n>', 'added to every port', '0')
    .option(
      '--data-root <dir>',
      'a data dir per service under it, where faults a restart cannot cure are held (docs/faults.md); without it their treatments are unsupported',
    )
    .option(
      '--scrape-targets <file>',
      "a Prometheus file_sd file the executor keeps listing the shop's live instances (docs/prometheus.md)",
    )
    .option(
      '--brokers <list>',
      'Kafka for the instances',
      process.env.KAFKA_BROKERS ?? 'localhost:9092',
    )
    .option('--kafka-user <name>', 'the Kafka user the instances produce as (a secured broker)')
    .option('--kafka-password-file <file>', "the file holding that user's password")
    .action((o: AdaptersFileOptions) => {
      const file = shopAdaptersFile({
        ...shopFromSource(root),
        env: shopKafkaEnv(o),
        prefix: o.prefix,
        portOffset: portOffsetOption(o.portOffset),
        // absolute: the executor may run from another folder than this command
        ...(o.dataRoot && { dataRoot: resolve(o.dataRoot) }),
      });
      const scrapeTargetsFile = o.scrapeTargets && resolve(o.scrapeTargets);
      const written = scrapeTargetsFile
        ? { ...file, localProcess: { ...file.localProcess, scrapeTargetsFile } }
        : file;
      writeFileSync(o.out, `${JSON.stringify(written, null, 2)}\n`);
      process.stdout.write(
        `${Object.keys(file.localProcess.services).length} shop services in ${o.out}\n`,
      );
    });
  shop
    .command('topology')
    .description('print the shop as a topology file (for `vigil topology import`)')
    .option('--prefix <p>', 'before every service name', '')
    .action((o: { prefix: string }) => {
      process.stdout.write(`${JSON.stringify(shopTopology(o.prefix), null, 2)}\n`);
    });
  shop
    .command('load')
    .description('shoppers on the front door at a steady rate, with a line every 5 s')
    .option('--rps <n>', 'requests per second', '20')
    .option('--seconds <n>', 'stop after this long (default: until Ctrl-C)')
    .option('--port-offset <n>', 'the shop port offset', '0')
    .action(async (o: { rps: string; seconds?: string; portOffset: string }) => {
      const seconds =
        o.seconds === undefined ? undefined : numberOption(o.seconds, '--seconds', { above: 0 });
      const load = new LoadGenerator(
        numberOption(o.rps, '--rps', { above: 0 }),
        portOffsetOption(o.portOffset),
      );
      load.start();
      const print = setInterval(() => {
        const r = load.report();
        process.stdout.write(
          `${new Date().toISOString().slice(11, 19)} sent ${r.sent} ok ${r.ok} failed ${r.failed} p99 ${r.p99Ms} ms\n`,
        );
      }, 5_000);
      const stop = () => {
        clearInterval(print);
        load.stop();
      };
      process.once('SIGINT', stop);
      if (seconds !== undefined) {
        await new Promise((r) => setTimeout(r, seconds * 1000));
        stop();
      }
    });
}
