import type { RcaResult, RootCauseCandidate } from '@vigil/contracts';
import { DiagnosisGate } from './diagnosis-gate';

const t0 = Date.parse('2026-11-27T10:00:00Z');
const evidence = {
  metrics: [{ metric: 'http_error_ratio', score: 9, onset: '2026-11-27T09:59:50Z' }],
  logTemplates: [],
  alerts: [],
};
const candidate = (service: string, score: number, withEvidence = true): RootCauseCandidate => ({
  service,
  rank: 1,
  score,
  evidence: withEvidence ? evidence : { metrics: [], logTemplates: [], alerts: [] },
  path: [service],
});
let revision = 0;
const result = (seconds: number, ...candidates: RootCauseCandidate[]): RcaResult => ({
  schemaVersion: 1,
  incidentId: 'inc-1',
  revision: revision++,
  generatedAt: new Date(t0 + seconds * 1000).toISOString(),
  method: 'test',
  candidates,
});

describe('DiagnosisGate: when a root cause is firm enough to plan for', () => {
  it('waits while the lead is new and close, and plans once it has held', () => {
    const gate = new DiagnosisGate({ settleMs: 8_000 });
    expect(gate.observe(result(0, candidate('payment', 1), candidate('checkout', 0.8))).act).toBe(
      false,
    );
    expect(gate.observe(result(4, candidate('payment', 1), candidate('checkout', 0.8))).act).toBe(
      false,
    );
    const verdict = gate.observe(result(9, candidate('payment', 1), candidate('checkout', 0.8)));
    expect(verdict).toMatchObject({ act: true, candidate: { service: 'payment' } });
  });

  it('says when to ask again, and acts when asked then with nothing new', () => {
    const gate = new DiagnosisGate({ settleMs: 8_000 });
    const close = result(0, candidate('payment', 1), candidate('checkout', 0.8));
    expect(gate.observe(close)).toMatchObject({ act: false, retryInMs: 8_000 });
    expect(gate.observe(close, t0 + 8_000).act).toBe(true);
  });

  it('restarts the clock when the lead changes hands', () => {
    const gate = new DiagnosisGate({ settleMs: 8_000 });
    gate.observe(result(0, candidate('frontend', 1), candidate('payment', 0.7)));
    gate.observe(result(6, candidate('payment', 1), candidate('frontend', 0.7)));
    expect(gate.observe(result(10, candidate('payment', 1), candidate('frontend', 0.7))).act).toBe(
      false,
    );
    expect(gate.observe(result(15, candidate('payment', 1), candidate('frontend', 0.7))).act).toBe(
      true,
    );
  });

  it('makes a leader only narrowly ahead wait the longer settle time, then plans for it', () => {
    const gate = new DiagnosisGate({
      settleMs: 8_000,
      clearLeadRatio: 1.25,
      closeRaceSettleMs: 30_000,
    });
    // a young process's memory leading the service whose latency is the fault, by 6%
    const narrow = result(0, candidate('catalog-db', 0.75), candidate('catalog', 0.71));
    expect(gate.observe(narrow)).toMatchObject({ act: false, retryInMs: 30_000 });
    const later = gate.observe(narrow, t0 + 9_000);
    expect(later).toMatchObject({ act: false, retryInMs: 21_000 });
    expect(later.reason).toContain('narrowly ahead of catalog');
    expect(gate.observe(narrow, t0 + 30_000)).toMatchObject({
      act: true,
      candidate: { service: 'catalog-db' },
    });
  });

  it('plans after the usual settle time once the lead has become clear', () => {
    const gate = new DiagnosisGate({
      settleMs: 8_000,
      clearLeadRatio: 1.25,
      closeRaceSettleMs: 30_000,
    });
    gate.observe(result(0, candidate('catalog', 0.75), candidate('catalog-db', 0.71)));
    expect(
      gate.observe(result(9, candidate('catalog', 1.4), candidate('catalog-db', 0.67))),
    ).toMatchObject({
      act: true,
      candidate: { service: 'catalog' },
    });
  });

  const gone = (service: string, score: number): RootCauseCandidate => ({
    ...candidate(service, score),
    evidence: {
      metrics: [
        {
          metric: 'process_resident_memory_bytes',
          score: 9.7,
          onset: '2026-11-27T09:59:55Z',
          direction: 'down',
        },
      ],
      logTemplates: [],
      alerts: [{ fingerprint: 'f1', alertname: 'TargetDown', startsAt: '2026-11-27T09:59:55Z' }],
    },
  });

  it('plans early for a decisive lead, and can be made to wait for a second ranking', () => {
    const gate = new DiagnosisGate({ settleMs: 60_000, decisiveRatio: 2, minLeads: 2 });
    expect(gate.observe(result(0, gone('payment', 1), candidate('cart', 0.2))).act).toBe(false);
    expect(gate.observe(result(2, gone('payment', 1), candidate('cart', 0.2))).act).toBe(true);
  });

  it("waits however far ahead a leader is whose fault may be a callee's (errors, latency, load)", () => {
    const gate = new DiagnosisGate({ settleMs: 8_000, decisiveRatio: 2 });
    // the caller fails first: the crashed callee's own signals are not in yet
    expect(gate.observe(result(0, candidate('checkout', 1), candidate('payment', 0.2)))).toEqual({
      act: false,
      reason: 'checkout has led for 0 ms only',
      retryInMs: 8_000,
    });
    // they came: the callee leads, proven gone, and is planned for at once
    const verdict = gate.observe(result(3, gone('payment', 1.4), candidate('checkout', 0.2)));
    expect(verdict).toMatchObject({ act: true, candidate: { service: 'payment' } });
  });

  it('does not plan twice for the same service, even when the lead comes back to it', () => {
    const gate = new DiagnosisGate({ settleMs: 0, maxPlans: 5 });
    gate.observe(result(0, candidate('payment', 1)));
    expect(gate.observe(result(1, candidate('payment', 1))).act).toBe(true);
    gate.planned('inc-1', 'payment', 'errors');
    gate.observe(result(2, candidate('cart', 1)));
    gate.observe(result(3, candidate('payment', 1)));
    const again = gate.observe(result(4, candidate('payment', 1)));
    expect(again).toEqual({
      act: false,
      reason: 'a plan for payment (errors) was already drafted',
    });
  });

  it('plans again for the same service when its evidence shows another kind of fault', () => {
    const gate = new DiagnosisGate({ settleMs: 0, maxPlans: 5 });
    gate.observe(result(0, candidate('catalog', 1)));
    expect(gate.observe(result(1, candidate('catalog', 1))).act).toBe(true);
    gate.planned('inc-1', 'catalog', 'errors');
    // the config change behind the errors is reported: a bad config, which a restart did not treat
    const reconfigured: RootCauseCandidate = {
      ...candidate('catalog', 1),
      evidence: {
        ...evidence,
        deploys: [],
        configChanges: [{ version: 'config 2', at: '2026-11-27T09:59:40Z' }],
      },
    };
    expect(gate.observe(result(2, reconfigured))).toMatchObject({ act: true });
    gate.planned('inc-1', 'catalog', 'bad-config');
    expect(gate.observe(result(3, reconfigured))).toEqual({
      act: false,
      reason: 'a plan for catalog (bad-config) was already drafted',
    });
  });

  it('leaves the incident to a human after the plan budget is spent', () => {
    const gate = new DiagnosisGate({ settleMs: 0, maxPlans: 1 });
    gate.observe(result(0, candidate('payment', 1)));
    gate.observe(result(1, candidate('payment', 1)));
    gate.planned('inc-1', 'payment', 'errors');
    gate.observe(result(2, candidate('cart', 1)));
    const verdict = gate.observe(result(3, candidate('cart', 1)));
    expect(verdict.act).toBe(false);
    expect(verdict.reason).toMatch(/next is for a human/);
    expect(gate.plansFor('inc-1')).toBe(1);
  });

  it('does not act on a leader with no evidence of its own', () => {
    const gate = new DiagnosisGate({ settleMs: 0 });
    gate.observe(result(0, candidate('frontend', 1, false)));
    expect(gate.observe(result(1, candidate('frontend', 1, false))).reason).toMatch(
      /no evidence of its own/,
    );
  });

  it('starts afresh for an incident it was told to forget', () => {
    const gate = new DiagnosisGate({ settleMs: 0 });
    gate.observe(result(0, candidate('payment', 1)));
    gate.observe(result(1, candidate('payment', 1)));
    gate.planned('inc-1', 'payment', 'errors');
    gate.forget('inc-1');
    expect(gate.plansFor('inc-1')).toBe(0);
  });

  it('waits longer for a leader known only by its alerts, however far ahead', () => {
    const gate = new DiagnosisGate({ settleMs: 8_000, alertsOnlySettleMs: 30_000 });
    const alerted: RootCauseCandidate = {
      ...candidate('frontend', 1),
      evidence: {
        metrics: [],
        logTemplates: [],
        alerts: [
          { fingerprint: 'f', alertname: 'HighLatencyP99', startsAt: '2026-11-27T10:00:00Z' },
        ],
      },
    };
    gate.observe(result(0, alerted, candidate('catalog', 0.1)));
    expect(gate.observe(result(10, alerted, candidate('catalog', 0.1))).reason).toMatch(
      /on alerts alone/,
    );
    expect(gate.observe(result(31, alerted, candidate('catalog', 0.1))).act).toBe(true);
  });

  // payment crashed and is being restarted; checkout, its caller, still fails for a while
  it.each([
    {
      when: 'payment still ranks among the leaders',
      ranking: (s: number) => result(s, candidate('checkout', 1.3), candidate('payment', 1)),
    },
    {
      when: 'payment, planned for in this incident, has left the ranking',
      ranking: (s: number) => result(s, candidate('checkout', 2), candidate('frontend', 1)),
    },
  ])(
    'holds checkout while the plan on payment is under way, then while its effects show, when $when',
    ({ ranking }) => {
      const gate = new DiagnosisGate({ settleMs: 0, coolDownMs: 60_000 });
      gate.planned('inc-1', 'payment', 'crash');
      gate.treating('payment', t0);
      expect(gate.observe(ranking(0))).toMatchObject({
        act: false,
        reason: 'a plan on payment is under way',
      });
      gate.treated('payment', t0 + 5_000, true);
      expect(gate.observe(ranking(10))).toMatchObject({ act: false, retryInMs: 55_000 });
      // still failing a minute after payment came back: checkout's own trouble
      expect(gate.observe(ranking(66))).toMatchObject({
        act: true,
        candidate: { service: 'checkout' },
      });
    },
  );

  it('waits no more once a plan failed: the next diagnosis may be planned for', () => {
    const gate = new DiagnosisGate({ settleMs: 0 });
    gate.treating('payment', t0);
    gate.treated('payment', t0, false);
    expect(gate.observe(result(1, candidate('checkout', 1.3), candidate('payment', 1))).act).toBe(
      true,
    );
  });

  it('forgets treatments whose wait is over, for services no ranking names again', () => {
    const gate = new DiagnosisGate({ coolDownMs: 60_000, inFlightMs: 120_000 });
    gate.treating('payment-7f9c', t0);
    gate.treating('cart-2b1d', t0);
    gate.treated('cart-2b1d', t0 + 10_000, true);
    gate.sweep(t0 + 60_000);
    expect(gate.treatments).toBe(2);
    // cart settled a minute after its plan; payment's plan never reported its end
    gate.sweep(t0 + 70_000);
    expect(gate.treatments).toBe(1);
    gate.sweep(t0 + 120_000);
    expect(gate.treatments).toBe(0);
  });
});
