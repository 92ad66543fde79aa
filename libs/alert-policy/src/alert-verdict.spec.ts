import type { Alert, AlertPolicyEvent } from '@vigil/contracts';
import { AlertPolicyState, windowState } from './alert-policy-state';
import { alertVerdict, maintenanceOfTarget, verdictText, withholdsAlert } from './alert-verdict';
import { parseInhibitionRules } from './inhibition-rules';

const t0 = '2026-12-01T10:00:00.000Z';
const now = Date.parse('2026-12-01T10:30:00Z');

function alert(
  fingerprint: string,
  labels: Record<string, string>,
  status: Alert['status'] = 'firing',
): Alert {
  return {
    schemaVersion: 1,
    fingerprint,
    source: 'alertmanager',
    status,
    alertname: labels['alertname'] ?? 'PodCrashLooping',
    severity: 'warning',
    service: labels['service'] ?? 'checkout',
    labels,
    annotations: {},
    startsAt: t0,
    receivedAt: t0,
  };
}

const by = { user: 'alice' };
const event = (e: Record<string, unknown>): AlertPolicyEvent =>
  ({
    schemaVersion: 1,
    eventId: `e-${Math.random()}`,
    at: t0,
    by,
    via: 'console',
    ...e,
  }) as AlertPolicyEvent;

const silenceEvent = (id: string, matchers: Array<{ name: string; op: string; value: string }>) =>
  event({
    type: 'silence.created',
    silence: {
      id,
      matchers,
      startsAt: t0,
      endsAt: '2026-12-01T12:00:00.000Z',
      createdBy: 'alice',
      comment: 'upgrade',
    },
  });

describe('alertVerdict', () => {
  it('names the active silences that match a firing alert', () => {
    const state = new AlertPolicyState();
    state.apply(silenceEvent('sil-1', [{ name: 'service', op: '=', value: 'checkout' }]));
    state.apply(silenceEvent('sil-2', [{ name: 'service', op: '=', value: 'cart' }]));
    const verdict = alertVerdict(alert('a1', { service: 'checkout' }), state, now);
    expect(verdict).toEqual({ silencedBy: ['sil-1'] });
    expect(withholdsAlert(verdict)).toBe(true);
    expect(verdictText(verdict)).toBe('silenced by sil-1');
    expect(alertVerdict(alert('a2', { service: 'payment' }), state, now)).toEqual({});
  });

  it('lets a resolve through, so an incident the alert joined earlier can still resolve', () => {
    const state = new AlertPolicyState();
    state.apply(silenceEvent('sil-1', [{ name: 'service', op: '=', value: 'checkout' }]));
    expect(alertVerdict(alert('a1', { service: 'checkout' }, 'resolved'), state, now)).toEqual({});
  });

  it('stops silencing once the silence is expired, and keeps it listed as ended', () => {
    const state = new AlertPolicyState();
    state.apply(silenceEvent('sil-1', [{ name: 'service', op: '=', value: 'checkout' }]));
    const expired = event({
      type: 'silence.expired',
      silenceId: 'sil-1',
      at: '2026-12-01T10:20:00.000Z',
    });
    expect(state.apply(expired)).toBeUndefined();
    expect(alertVerdict(alert('a1', { service: 'checkout' }), state, now)).toEqual({});
    expect(state.silences.get('sil-1')?.endsAt).toBe('2026-12-01T10:20:00.000Z');
    // applying the history again gives the same state
    expect(state.apply(expired)).toBeUndefined();
    expect(state.silences.get('sil-1')?.endsAt).toBe('2026-12-01T10:20:00.000Z');
    state.forgetEnded(Date.parse('2026-12-01T10:19:00Z'));
    expect(state.silences.has('sil-1')).toBe(true);
    state.forgetEnded(Date.parse('2026-12-01T10:21:00Z'));
    expect(state.silences.has('sil-1')).toBe(false);
  });

  it('refuses a change it cannot use, and says why', () => {
    const state = new AlertPolicyState();
    expect(state.apply(silenceEvent('sil-x', [{ name: 'job', op: '=~', value: '(' }]))).toMatch(
      /bad matcher job=~"\(": invalid regular expression/,
    );
    expect(state.silences.size).toBe(0);
    expect(state.apply(event({ type: 'silence.expired', silenceId: 'nope' }))).toBe(
      'no silence nope',
    );
  });

  it('prefers a suppressing maintenance window, and ends a window when it is expired', () => {
    const state = new AlertPolicyState();
    const window = (id: string, mode: string) =>
      event({
        type: 'maintenance.created',
        window: {
          id,
          mode,
          matchers: [{ name: 'service', op: '=~', value: 'check.*' }],
          createdBy: 'alice',
          comment: 'migration',
          schedule: { kind: 'once', startsAt: t0, endsAt: '2026-12-01T11:00:00.000Z' },
        },
      });
    state.apply(window('mw-open', 'open-no-remediate'));
    const firing = alert('a1', { service: 'checkout' });
    const open = alertVerdict(firing, state, now);
    expect(open).toEqual({ maintenance: { windowId: 'mw-open', mode: 'open-no-remediate' } });
    expect(withholdsAlert(open)).toBe(false);
    state.apply(window('mw-quiet', 'suppress'));
    expect(alertVerdict(firing, state, now).maintenance).toEqual({
      windowId: 'mw-quiet',
      mode: 'suppress',
    });
    state.apply(
      event({ type: 'maintenance.expired', windowId: 'mw-quiet', at: '2026-12-01T10:10:00.000Z' }),
    );
    const quiet = state.windows.get('mw-quiet');
    if (!quiet) throw new Error('the window is kept');
    expect(windowState(quiet, now)).toBe('expired');
    expect(windowState(quiet, Date.parse('2026-12-01T10:05:00Z'))).toBe('active');
    expect(alertVerdict(firing, state, now).maintenance?.windowId).toBe('mw-open');
    expect(alertVerdict(firing, state, Date.parse('2026-12-01T11:00:00Z'))).toEqual({});
    // the executor asks by target: any active window whose matchers take the service
    expect(maintenanceOfTarget(state, 'checkout', now)).toBe('mw-open');
    expect(maintenanceOfTarget(state, 'cart', now)).toBeUndefined();
    expect(
      maintenanceOfTarget(state, 'checkout', Date.parse('2026-12-01T11:00:00Z')),
    ).toBeUndefined();
  });
});

describe('inhibition', () => {
  const yaml = `
route: { receiver: default }
inhibit_rules:
  - source_matchers: ['alertname="ClusterDown"']
    target_matchers: ['alertname=~"Pod.*"', 'severity!="critical"']
    equal: [cluster]
`;

  function stateWithRules(): AlertPolicyState {
    const state = new AlertPolicyState({ sourceMaxAgeMs: 10 * 60_000 });
    expect(
      state.apply(event({ type: 'inhibition.replaced', rules: parseInhibitionRules(yaml) })),
    ).toBeUndefined();
    return state;
  }

  const clusterDown = alert('src', { alertname: 'ClusterDown', cluster: 'prod-eu' });
  const pod = (cluster: string) =>
    alert(`pod-${cluster}`, { alertname: 'PodCrashLooping', cluster });

  it('mutes the pod alerts of a cluster that is down, not those of another cluster', () => {
    const state = stateWithRules();
    state.observe(clusterDown, now);
    expect(alertVerdict(pod('prod-eu'), state, now)).toEqual({ inhibitedBy: ['src'] });
    expect(alertVerdict(pod('prod-us'), state, now)).toEqual({});
    expect(alertVerdict(clusterDown, state, now)).toEqual({});
  });

  it('stops muting when the source resolves or is not refreshed in time', () => {
    const state = stateWithRules();
    state.observe(clusterDown, now);
    state.observe({ ...clusterDown, status: 'resolved' }, now);
    expect(alertVerdict(pod('prod-eu'), state, now)).toEqual({});
    state.observe(clusterDown, now);
    expect(alertVerdict(pod('prod-eu'), state, now + 11 * 60_000)).toEqual({});
  });

  it('forgets sources that stopped without a resolve once their time is up', () => {
    // a storm of alerts that are never re-sent nor resolved (log-derived alerts, mostly)
    const state = stateWithRules();
    for (let i = 0; i < 1_000; i++) state.observe(pod(`storm-${i}`), now + i);
    expect(state.firingSources).toBe(1_000);
    // kept one more max age (10 minutes here) for alerts judged out of order, then dropped
    state.observe(clusterDown, now + 11 * 60_000);
    expect(state.firingSources).toBe(1_001);
    state.observe(clusterDown, now + 21 * 60_000);
    expect(state.firingSources).toBe(1);
    expect(alertVerdict(pod('prod-eu'), state, now + 21 * 60_000)).toEqual({
      inhibitedBy: ['src'],
    });
  });

  it('applies rules replaced after the source began firing', () => {
    const state = new AlertPolicyState();
    state.observe(clusterDown, now);
    expect(alertVerdict(pod('prod-eu'), state, now)).toEqual({});
    state.apply(event({ type: 'inhibition.replaced', rules: parseInhibitionRules(yaml) }));
    expect(alertVerdict(pod('prod-eu'), state, now)).toEqual({ inhibitedBy: ['src'] });
  });
});
