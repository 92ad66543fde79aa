import type { RcaEvidenceSource } from '@vigil/contracts';
import {
  readNeighbourhoodMetrics,
  type NeighbourhoodEntities,
  type NeighbourhoodMetrics,
} from './neighbourhood-metrics';
import { PrometheusClient } from './prometheus-client';
import type { PrometheusReaderSettings } from './prometheus-env';

/**
 * The entities of a neighbourhood by the label that names them in Prometheus: instances by the
 * instance label, everything else (services, databases, caches ...) by the service label.
 */
export function neighbourhoodEntities(
  nodes: ReadonlyArray<{ id: string; kind: string | null }>,
  incidentServices: readonly string[],
): NeighbourhoodEntities {
  const instances = nodes.filter((n) => n.kind === 'instance').map((n) => n.id);
  const others = nodes.filter((n) => n.kind !== 'instance').map((n) => n.id);
  const services = [...new Set([...others, ...incidentServices])].filter(
    (id) => !instances.includes(id),
  );
  return { services, instances };
}

interface Fetched {
  at: number;
  entities: string;
  read: NeighbourhoodMetrics;
}

/**
 * Prometheus's series for the incidents apps/rca ranks: asked over the history window it keeps,
 * at most once per refresh interval per incident, and not at all for a refresh interval after
 * Prometheus could not be reached (every open incident would otherwise wait for its timeout).
 */
export class PrometheusEvidence {
  private readonly fetched = new Map<string, Fetched>();
  private down?: { until: number; source: RcaEvidenceSource };

  constructor(
    private readonly settings: PrometheusReaderSettings,
    private readonly historyMs: number,
    private readonly client: Pick<PrometheusClient, 'queryRange' | 'url'> = new PrometheusClient(
      settings,
    ),
  ) {}

  /** Whether an incident's Prometheus series are due again: a reason to re-rank it. */
  due(incidentId: string, now: number): boolean {
    const last = this.fetched.get(incidentId);
    return !last || now - last.at >= this.settings.refreshMs;
  }

  async read(
    incidentId: string,
    entities: NeighbourhoodEntities,
    now: number,
  ): Promise<NeighbourhoodMetrics> {
    const key = JSON.stringify([[...entities.services].sort(), [...entities.instances].sort()]);
    const last = this.fetched.get(incidentId);
    if (last && last.entities === key && !this.due(incidentId, now)) return last.read;
    const read =
      this.down && now < this.down.until
        ? { series: [], source: this.down.source, answered: false }
        : await readNeighbourhoodMetrics(this.client, this.settings, entities, this.window(now));
    // only a Prometheus that did not answer is waited out; one that had no series for these
    // entities may have them for the next incident's
    if (!read.answered && !(this.down && now < this.down.until))
      this.down = { until: now + this.settings.refreshMs, source: read.source };
    this.fetched.set(incidentId, { at: now, entities: key, read });
    return read;
  }

  /** Forgets the incidents no longer ranked. */
  forget(ranked: (incidentId: string) => boolean): void {
    for (const id of this.fetched.keys()) if (!ranked(id)) this.fetched.delete(id);
  }

  /** The history apps/rca keeps, on the step grid, so that one refresh lines up with the last. */
  private window(now: number): { start: number; end: number } {
    const step = this.settings.stepMs;
    return {
      start: Math.floor((now - this.historyMs) / step) * step,
      end: Math.floor(now / step) * step,
    };
  }
}
