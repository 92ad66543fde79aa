import type { Alert, IncidentEvent } from '@vigil/contracts';
import { correlateBatch } from './correlate-batch';
import { correlationConfig, type CorrelationConfig } from './correlation-config';
import { decodeCorrelatorState, encodeCorrelatorState } from './correlator-snapshot';
import { IncidentCorrelator } from './incident-correlator';
import { ServiceGraph } from './service-graph';
import { firingAlert, unitVector } from './testing/alert-fixtures';

// One axis per meaning, so similarity is known without a model.
const meaning = { disk: 0, latency: 1, errors: 2, intrusion: 3, cert: 4 } as const;
type Meaning = keyof typeof meaning;
const vector = (kind: Meaning) => unitVector(6, meaning[kind]);

const graph = new ServiceGraph(
  {
    services: ['checkout', 'payment', 'payment-db'],
    edges: [
      { from: 'checkout', to: 'payment', type: 'CALLS' },
      { from: 'payment', to: 'payment-db', type: 'DEPENDS_ON' },
    ],
  },
  2,
);
const prototypes = {
  symptoms: [vector('errors'), vector('latency')],
  localConditions: [vector('disk'), vector('cert')],
};

const t0 = Date.parse('2026-11-27T10:00:00Z');
const MIN = 60_000;
const at = (minute: number) => new Date(t0 + minute * MIN).toISOString();

function alert(name: string, service: string, minute: number, extra: Partial<Alert> = {}): Alert {
  return firingAlert({ alertname: name, service }, at(minute), { source: 'prometheus', ...extra });
}
const resolved = (a: Alert, minute: number): Alert => ({
  ...a,
  status: 'resolved',
  endsAt: at(minute),
  receivedAt: at(minute),
});
/** The same alert sent again later (a re-send or a refresh), keeping its start. */
const again = (a: Alert, minute: number): Alert => ({ ...a, receivedAt: at(minute) });

/** Drives a correlator through alerts (each with its meaning) and time, collecting its events. */
class Replay {
  readonly events: IncidentEvent[] = [];
  correlator: IncidentCorrelator;

  constructor(readonly config: CorrelationConfig = correlationConfig()) {
    this.correlator = new IncidentCorrelator(config, graph, prototypes);
  }

  send(a: Alert, kind: Meaning = 'errors'): string {
    this.tick(Date.parse(a.receivedAt));
    const outcome = this.correlator.process(
      a,
      this.correlator.needsEmbedding(a) ? vector(kind) : undefined,
    );
    this.events.push(...outcome.events);
    return this.correlator.canonicalIncident(outcome.incidentId);
  }

  tick(now: number): IncidentEvent[] {
    const events = this.correlator.expire(now);
    this.events.push(...events);
    return events;
  }

  resolutions() {
    return this.events.flatMap((e) =>
      e.type === 'resolved' ? [{ incidentId: e.incidentId, at: e.at, reason: e.reason }] : [],
    );
  }

  /** A correlator restarted from the snapshot it would have written to its changelog now. */
  restart(): void {
    const json = JSON.parse(JSON.stringify(encodeCorrelatorState(this.correlator.snapshot())));
    this.correlator = new IncidentCorrelator(
      this.config,
      graph,
      prototypes,
      decodeCorrelatorState(json),
    );
  }
}

describe('alert expiry', () => {
  it('resolves a firing alert at its own endsAt when no refresh comes, and says it expired', () => {
    const replay = new Replay();
    const id = replay.send(alert('KubeJobFailed', 'payment', 0, { endsAt: at(12) }));
    // endsAt (as Alertmanager sends it) overrides the 5-minute default
    expect(replay.tick(t0 + 11 * MIN)).toEqual([]);
    replay.tick(t0 + 12 * MIN + 1);
    expect(replay.resolutions()).toEqual([{ incidentId: id, at: at(12), reason: 'expired' }]);
  });

  it('resolves an alert that is not re-sent within the resolve timeout, counted from its last send', () => {
    const replay = new Replay();
    const first = alert('HighErrorRate', 'payment', 0);
    const id = replay.send(first);
    replay.send(again(first, 4));
    replay.tick(t0 + 8 * MIN);
    expect(replay.resolutions()).toEqual([]);
    replay.tick(t0 + 60 * MIN);
    expect(replay.resolutions()).toEqual([
      { incidentId: id, at: at(9), reason: 'resolve-timeout' },
    ]);
  });

  it('gives the alerts a matcher names their own resolve timeout', () => {
    const replay = new Replay(
      correlationConfig({ resolveTimeouts: [{ match: { source: 'ids' }, timeoutMs: 15 * MIN }] }),
    );
    const ids = replay.send(
      alert('SshBruteForce', 'payment-db', 0, { source: 'ids' }),
      'intrusion',
    );
    const prom = replay.send(alert('DiskFull', 'checkout', 0), 'disk');
    replay.tick(t0 + 10 * MIN);
    expect(replay.resolutions()).toEqual([
      { incidentId: prom, at: at(5), reason: 'resolve-timeout' },
    ]);
    replay.tick(t0 + 15 * MIN + 1);
    expect(replay.resolutions().map((r) => r.incidentId)).toEqual([prom, ids]);
  });

  it('resolves an incident only when its last alert has ended, however each ended', () => {
    const replay = new Replay();
    const db = alert('PostgresDown', 'payment-db', 0);
    const errors = alert('HighErrorRate', 'payment', 1);
    const id = replay.send(db);
    expect(replay.send(errors)).toBe(id);
    replay.send(resolved(db, 3));
    expect(replay.resolutions()).toEqual([]);
    replay.tick(t0 + 6 * MIN + 1);
    expect(replay.resolutions()).toEqual([
      { incidentId: id, at: at(6), reason: 'resolve-timeout' },
    ]);
    replay.tick(t0 + 30 * MIN);
    expect(replay.resolutions()).toHaveLength(1);
  });

  it('takes a re-send that came after its alert expired back into its incident, which reopens', () => {
    const replay = new Replay();
    const first = alert('HighErrorRate', 'payment', 0);
    const id = replay.send(first);
    replay.tick(t0 + 6 * MIN);
    expect(replay.resolutions()).toHaveLength(1);
    // an irregular source: the next send comes 12 minutes later
    expect(replay.send(again(first, 12))).toBe(id);
    expect(replay.events.at(-1)).toMatchObject({
      type: 'alert-attached',
      reason: { kind: 'same-fingerprint' },
      incident: { status: 'open' },
    });
    // back long after (beyond the 30-minute window): new trouble, a new incident
    replay.tick(t0 + 18 * MIN);
    expect(replay.send(again(first, 60))).not.toBe(id);
  });

  it('still ends an incident that nothing updated for hours, at its last alert’s deadline', () => {
    const replay = new Replay();
    const alarm = alert('AlbTargetResponseTimeHigh', 'checkout', 0, { endsAt: at(10 * 60) });
    const id = replay.send(alarm);
    // hours of unrelated alerts, enough for the correlator to tidy its state
    for (let i = 1; i <= 5_001; i++) replay.send(alert(`Blip${i % 7}`, 'payment', i / 10), 'disk');
    replay.tick(t0 + 10 * 60 * MIN + 1);
    expect(replay.resolutions()).toContainEqual({ incidentId: id, at: at(600), reason: 'expired' });
  });

  it('places an alert back after a long quiet as new trouble, even while its incident is open', () => {
    const replay = new Replay();
    const db = alert('PostgresDown', 'payment-db', 0, { endsAt: at(120) });
    const errors = alert('HighErrorRate', 'payment', 1);
    const id = replay.send(db, 'intrusion');
    expect(replay.send(errors)).toBe(id);
    replay.send(resolved(errors, 5));
    // the database alert keeps the incident open; the errors come back an hour later
    expect(replay.send(again(errors, 65), 'cert')).not.toBe(id);
  });

  it('says "resolved" when every alert sent its resolve', () => {
    const replay = new Replay();
    const db = alert('PostgresDown', 'payment-db', 0);
    replay.send(db);
    replay.send(resolved(db, 2));
    expect(replay.resolutions().map((r) => r.reason)).toEqual(['resolved']);
  });

  it('keeps its deadlines across a restart from the snapshot', () => {
    const steady = new Replay();
    const restarted = new Replay();
    const db = alert('PostgresDown', 'payment-db', 0, { endsAt: at(20) });
    const errors = alert('HighErrorRate', 'payment', 1);
    for (const replay of [steady, restarted]) {
      replay.send(db);
      replay.send(errors);
    }
    restarted.restart();
    for (const replay of [steady, restarted]) replay.tick(t0 + 30 * MIN);
    expect(restarted.resolutions()).toEqual(steady.resolutions());
    expect(restarted.resolutions()).toEqual([
      { incidentId: expect.any(String), at: at(20), reason: 'expired' },
    ]);
    expect(restarted.events.at(-1)?.eventId).toBe(steady.events.at(-1)?.eventId);
  });

  it('ends what expired before each alert of a batch when asked to, in its outcome', async () => {
    const correlator = new IncidentCorrelator(correlationConfig(), graph, prototypes);
    const embed = async (texts: string[]) => texts.map(() => vector('errors'));
    const first = alert('HighErrorRate', 'payment', 0);
    const outcomes = await correlateBatch(correlator, [first, again(first, 40)], embed, {
      expire: true,
    });
    expect(outcomes[1]?.events.map((e) => e.type)).toEqual(['resolved', 'opened']);
    expect(outcomes[1]?.incidentId).not.toBe(outcomes[0]?.incidentId);
  });
});

describe('chronic and flapping alerts', () => {
  /** An intrusion alert that has fired on payment-db for 90 minutes, re-sent every 2 minutes. */
  function chronicIncident(replay: Replay): string {
    const chronic = alert('SshBruteForce', 'payment-db', 0);
    const id = replay.send(chronic, 'intrusion');
    for (let minute = 2; minute <= 90; minute += 2) replay.send(again(chronic, minute));
    return id;
  }

  it('does not let a long-running alert pull a new, unrelated alert on its service into its incident', () => {
    // with slow faults in mind, the service's later alerts join for as long as it is open ...
    const replay = new Replay(correlationConfig({ sameServiceWhileOpen: true }));
    const chronic = chronicIncident(replay);
    // ... but what holds it open is only an alert firing for an hour and a half
    expect(replay.send(alert('DiskFull', 'payment-db', 90), 'disk')).not.toBe(chronic);
  });

  it('still takes a new alert with its own evidence: text like the incident says', () => {
    const replay = new Replay();
    const chronic = chronicIncident(replay);
    expect(replay.send(alert('SshInvalidUser', 'payment-db', 90), 'intrusion')).toBe(chronic);
  });

  /** A chronic alert on payment-db whose incident checkout's errors joined at minute 3 and left at 10. */
  function chronicIncidentAfterCallerErrors(replay: Replay): string {
    const chronic = alert('SshBruteForce', 'payment-db', 0);
    const id = replay.send(chronic, 'intrusion');
    // a caller's errors join while the trouble is fresh, and end
    const errors = alert('HighErrorRate', 'checkout', 3);
    expect(replay.send(errors, 'errors')).toBe(id);
    replay.send(resolved(errors, 10));
    for (let minute = 2; minute <= 90; minute += 2) replay.send(again(chronic, minute));
    return id;
  }

  it('takes text as evidence only when it reads like what the new alert’s own service said', () => {
    const replay = new Replay();
    const id = chronicIncidentAfterCallerErrors(replay);
    // checkout was in the incident an hour ago; reading like the chronic alert on another service
    // is not its own evidence
    expect(replay.send(alert('SshInvalidUser', 'checkout', 90), 'intrusion')).not.toBe(id);
  });

  it('counts only the services still firing in an incident that a chronic alert alone holds', () => {
    const replay = new Replay();
    const id = chronicIncidentAfterCallerErrors(replay);
    // checkout's errors ended an hour ago: errors there now are new trouble
    expect(replay.send(alert('Http5xxRatio', 'checkout', 90), 'errors')).not.toBe(id);
  });

  it('takes any alert on the same service while the trouble in the incident is fresh', () => {
    const replay = new Replay();
    const id = replay.send(alert('SshBruteForce', 'payment-db', 0), 'intrusion');
    expect(replay.send(alert('DiskFull', 'payment-db', 3), 'disk')).toBe(id);
  });

  it('does not let a re-firing alert that keeps coming back hold the door open on its service', () => {
    const replay = new Replay();
    const noisy = alert('LogErrorBurst', 'payment-db', 0);
    let id = '';
    // a log-derived alert, never resolved, back every 10 minutes for two hours: it expires and
    // fires again, each time with a fresh start
    for (let minute = 0; minute <= 120; minute += 10)
      id = replay.send({ ...noisy, startsAt: at(minute), receivedAt: at(minute) }, 'intrusion');
    expect(replay.send(alert('DiskFull', 'payment-db', 121), 'disk')).not.toBe(id);
  });

  it('marks an alert flapping once it changed state four times within 30 minutes', () => {
    const replay = new Replay();
    const rule = alert('CPUThrottlingHigh', 'checkout', 0);
    replay.send(rule, 'latency');
    for (const minute of [2, 4, 6, 8, 10]) {
      replay.send(resolved(rule, minute));
      replay.send(again(rule, minute + 1));
    }
    const refires = replay.events.filter((e) => e.type === 'alert-attached');
    const flags = refires.map((e) => (e.type === 'alert-attached' ? !!e.alert?.flapping : false));
    // changes: resolved 2, fired 3 (2 changes), resolved 4, fired 5 (4: flapping) ...
    expect(flags).toEqual([false, true, true, true, true]);
  });

  it('lets a flapping alert alone not pull a new alert on its service into its incident', () => {
    const replay = new Replay(correlationConfig({ sameServiceGapMs: 60 * MIN }));
    const rule = alert('CPUThrottlingHigh', 'payment', 0);
    const id = replay.send(rule, 'latency');
    for (const minute of [2, 4, 6, 8]) {
      replay.send(resolved(rule, minute));
      replay.send(again(rule, minute + 1));
    }
    expect(replay.send(alert('DiskFull', 'payment', 10), 'disk')).not.toBe(id);
  });
});

describe('incident maximum age', () => {
  const config = correlationConfig({ incidentMaxAgeMs: 60 * MIN });

  it('closes an incident at its maximum age; what still fires then starts a new one', () => {
    const replay = new Replay(config);
    const chronic = alert('SshBruteForce', 'payment-db', 0);
    const first = replay.send(chronic, 'intrusion');
    for (let minute = 1; minute < 60; minute++) replay.send(again(chronic, minute));
    replay.tick(t0 + 60 * MIN + 1);
    expect(replay.resolutions()).toEqual([{ incidentId: first, at: at(60), reason: 'max-age' }]);
    const second = replay.send(again(chronic, 61));
    expect(second).not.toBe(first);
    expect(replay.events.at(-1)).toMatchObject({ type: 'opened', incidentId: second });
  });

  it('puts a new alert into a new incident after the maximum age even without a tick', () => {
    const replay = new Replay(config);
    const first = replay.send(alert('SshBruteForce', 'payment-db', 0), 'intrusion');
    const correlator = replay.correlator;
    const late = alert('SshInvalidUser', 'payment-db', 70);
    const outcome = correlator.process(late, vector('intrusion'));
    expect(outcome.incidentId).not.toBe(first);
  });
});
