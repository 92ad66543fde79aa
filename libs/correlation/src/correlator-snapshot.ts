import type { CorrelatorState, IncidentState } from './incident-state';

/** The JSON form of correlator state, as written to the changelog topic; vectors are exact float32. */
export interface CorrelatorSnapshotJson {
  version: 1;
  clock: number;
  incidents: Array<
    Omit<IncidentState, 'exemplars'> & {
      exemplars: Array<{ fingerprint: string; vector: string; service?: string }>;
    }
  >;
  alerts: CorrelatorState['alerts'];
}

function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

function decodeVector(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  // Copy into an aligned buffer: a Buffer's offset inside its pool need not be a multiple of 4.
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  return new Float32Array(aligned.buffer);
}

export function encodeCorrelatorState(state: CorrelatorState): CorrelatorSnapshotJson {
  return {
    version: 1,
    clock: state.clock,
    incidents: state.incidents.map((incident) => ({
      ...incident,
      exemplars: incident.exemplars.map((e) => ({
        ...e,
        vector: encodeVector(e.vector),
      })),
    })),
    alerts: state.alerts,
  };
}

export function decodeCorrelatorState(json: CorrelatorSnapshotJson): CorrelatorState {
  if (json.version !== 1)
    throw new Error(`unknown correlator snapshot version ${String(json.version)}`);
  return {
    clock: json.clock,
    incidents: json.incidents.map((incident) => ({
      ...incident,
      exemplars: incident.exemplars.map((e) => ({
        ...e,
        vector: decodeVector(e.vector),
      })),
    })),
    alerts: json.alerts,
  };
}
