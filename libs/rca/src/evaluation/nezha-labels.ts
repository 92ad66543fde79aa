import { workloadOfPod } from '../telemetry/telemetry-records';

/** One injected fault of a fault list in the layout of the Nezha data set (FSE 2023). */
export interface LabelledFault {
  /** Injection time, epoch ms. */
  at: number;
  rootService: string;
  rootInstance: string;
  faultType: string;
}

export interface FaultListResult {
  faults: LabelledFault[];
  /** Entries whose label cannot be read, with why: reported, never silently dropped. */
  unreadable: string[];
}

/**
 * A fault list: `{ "<hour>": [{ inject_time, inject_pod, inject_type }, ...] }`. `inject_time` is
 * a wall-clock time read as UTC (it matches the data's own timestamps); the root service is the
 * pod's workload.
 */
export function parseFaultList(json: string, file: string): FaultListResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(`${file}: not JSON`);
  }
  if (!parsed || typeof parsed !== 'object') throw new Error(`${file}: not an object of hours`);
  const faults: LabelledFault[] = [];
  const unreadable: string[] = [];
  for (const [hour, entries] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(entries)) {
      unreadable.push(`${file} [${hour}]: not a list`);
      continue;
    }
    entries.forEach((entry: Record<string, unknown>, i) => {
      const where = `${file} [${hour}][${i}]`;
      const at = Date.parse(`${String(entry?.inject_time ?? '').replace(' ', 'T')}Z`);
      const pod = entry?.inject_pod;
      const type = entry?.inject_type;
      if (!Number.isFinite(at) || typeof pod !== 'string' || !pod || typeof type !== 'string')
        unreadable.push(`${where}: needs inject_time, inject_pod and inject_type`);
      else faults.push({ at, rootService: workloadOfPod(pod), rootInstance: pod, faultType: type });
    });
  }
  faults.sort((a, b) => a.at - b.at);
  return { faults, unreadable };
}
