import type { ScenarioBuilder } from '../scenario-builder';

/** One alert storm: what it models, how long it lasts, and how it is generated. */
export interface Scenario {
  id: string;
  title: string;
  /** What happens and which alerts make up which true incident (shown in the README). */
  models: string;
  durationMinutes: number;
  build(b: ScenarioBuilder): void;
}
