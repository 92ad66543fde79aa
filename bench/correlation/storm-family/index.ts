import { paymentsDbNoisyNeighbours } from './n1-payments-db-noisy-neighbours';
import { maintenanceDuringKafkaStorm } from './n2-maintenance-during-kafka-storm';
import { badReleaseSilenced } from './n3-bad-release-silenced';
import type { StormScenario } from './storm-family';

export * from './storm-family';
export * from './policy-book';

export const STORM_SCENARIOS: readonly StormScenario[] = [
  paymentsDbNoisyNeighbours,
  maintenanceDuringKafkaStorm,
  badReleaseSilenced,
];
