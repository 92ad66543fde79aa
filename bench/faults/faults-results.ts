/** One fault of `npm run bench:faults`, as bench/results/faults.json holds it. */
export interface FaultTrial {
  /** none (a run with no fault), kill, broker, neo4j, gateway. */
  fault: string;
  target: string;
  /** The demo-shop fault the loop was healing meanwhile. */
  shopFault?: string;
  alertsSent: number;
  alertsAccepted: number;
  alertsNeverAccepted: number;
  /** Sends answered with something other than 2xx, and retried. */
  refusals: number;
  incidents: number;
  alertsLost: number;
  incidentsDuplicated: number;
  incidentsMissing: number;
  /**
   * Incidents that differ from what an offline correlator makes of the alerts in ingest's order:
   * a partitioned stream has no one order, and borderline joins go with the order alerts arrive
   * in. Not a fault's doing (it shows in runs with no fault too); reported, not a target.
   */
  ingestOrder?: { incidentsDuplicated: number; incidentsMissing: number };
  plans: number;
  plansDuplicated: number;
  stepsApplied: number;
  /** From the audit trail (vigil.remediation.executions.v1). */
  stepsAppliedTwice: number;
  /** Keys the executor's idempotency ledgers hold twice. */
  ledgerDuplicates: number;
  dlqRecords: number;
  dlqReasons: Record<string, number>;
  /** Seconds from the fault's end until everything is healthy, a new alert reaches an incident and every group has caught up. */
  recoveryS?: number;
  recovery?: Record<string, number | undefined>;
  /** Processes a killed service had started that ran on without it. */
  orphanedProcesses?: number;
  durationS: number;
}

export interface FaultsResults {
  date: string;
  storm: { groups: number; perGroup: number; repeats: number; seconds: number };
  shopRps: number;
  outageS: number;
  trials: FaultTrial[];
  /**
   * What each trial's incidents were compared with: one uninterrupted offline correlator over
   * the very records the live one read, in the order it read them (`offline-input`); over the raw
   * alerts in ingest's order (`offline`, older runs); or (no field, older still) the bench's
   * first live run with no fault.
   */
  expectedFrom?: 'offline' | 'offline-input';
  /** What was run and what to know about it (`--note`, or written after the run). */
  note?: string;
}
