import { dbSaturation } from './s01-db-saturation';
import { flapping } from './s02-flapping';
import { twoIncidents } from './s03-two-incidents';
import { nodeFailure } from './s04-node-failure';
import { badDeploy } from './s05-bad-deploy';
import { certificates } from './s06-certificates';
import { diskPressure } from './s07-disk-pressure';
import { memoryLeak } from './s08-memory-leak';
import { multiCluster } from './s09-multi-cluster';
import { kafkaBroker } from './s10-kafka-broker';
import { quietDay } from './s11-quiet-day';
import { providerAndDeploy } from './s12-provider-and-deploy';
import { dnsOutage } from './s13-dns-outage';
import type { Scenario } from './scenario';

export type { Scenario } from './scenario';

export const SCENARIOS: readonly Scenario[] = [
  dbSaturation,
  flapping,
  twoIncidents,
  nodeFailure,
  badDeploy,
  certificates,
  diskPressure,
  memoryLeak,
  multiCluster,
  kafkaBroker,
  quietDay,
  providerAndDeploy,
  dnsOutage,
];
