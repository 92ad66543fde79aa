import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** One entry of a Prometheus file_sd file: targets and the labels they all get. */
export interface ScrapeTargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

/** What the file needs of a service: its name and the ports of its instances. */
export interface ScrapedService {
  name: string;
  instances: readonly { port: number }[];
}

/**
 * The services' instances as Prometheus file_sd groups: one group per service, labelled
 * `service=<name>`, with every instance it has now, crashed ones included (their failing scrape
 * is what `up == 0` alerts on). A service without instances keeps an empty group.
 */
export function scrapeTargetGroups(services: Iterable<ScrapedService>): ScrapeTargetGroup[] {
  return [...services].map((service) => ({
    targets: service.instances.map((i) => `127.0.0.1:${i.port}`),
    labels: { service: service.name },
  }));
}

/**
 * Writes the groups as a file_sd JSON file. Prometheus watches the file and may read it at any
 * moment: write a temporary file beside it and rename, so it never reads half a file.
 */
export function writeScrapeTargets(file: string, groups: readonly ScrapeTargetGroup[]): void {
  mkdirSync(dirname(file), { recursive: true });
  // ends in .tmp: a `*.json` glob in file_sd_configs does not pick it up half-written
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(groups, null, 2)}\n`);
  renameSync(temporary, file);
}
