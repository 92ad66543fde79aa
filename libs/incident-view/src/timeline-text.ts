import type {
  IncidentAction,
  IncidentEndReason,
  IncidentEvent,
  RemediationExecution,
} from '@vigil/contracts';

const resolvedText: Record<IncidentEndReason, string> = {
  resolved: 'all alerts resolved',
  expired: 'all alerts ended; the last ones expired (not sent again by their endsAt)',
  'resolve-timeout':
    'all alerts ended; the last ones were not sent again within their resolve timeout',
  'max-age': 'closed at its maximum age; alerts still firing start a new incident',
};

export function describeEvent(event: IncidentEvent): string {
  switch (event.type) {
    case 'opened':
      if (event.reason.kind === 'split-by-people')
        return `opened by people: ${event.alert?.alertname ?? event.fingerprint} split out of ${event.reason.fromIncidentId}`;
      return `opened by ${event.alert?.alertname ?? event.fingerprint} on ${event.alert?.service ?? event.incident.services.join(', ')}`;
    case 'alert-attached':
      return `${event.alert?.alertname ?? event.fingerprint}${event.alert ? ` on ${event.alert.service}` : ''} joined: ${reasonText(event.reason)}`;
    case 'merged':
      return `merged with ${event.mergedIncidentId}`;
    case 'resolved':
      return resolvedText[event.reason ?? 'resolved'];
  }
}

export function reasonText(reason: Extract<IncidentEvent, { reason: unknown }>['reason']): string {
  switch (reason.kind) {
    case 'first-alert':
      return 'first alert';
    case 'same-fingerprint':
      return 'same fingerprint';
    case 'similar-text':
      return `reads like ${reason.similarTo} (similarity ${reason.score.toFixed(2)})`;
    case 'topology-neighbour':
      return reason.hops === 0
        ? 'on a service already in the incident'
        : `${reason.hops} hop${reason.hops === 1 ? '' : 's'} away via ${reason.via.join(' → ')}`;
    case 'split-by-people':
      return `split out of ${reason.fromIncidentId} by people`;
    case 'learned-from-people':
      return `people merged ${reason.kinds.join(' and ')} before`;
  }
}

export function describeExecution(event: RemediationExecution): string {
  const step = event.stepId ? ` ${event.stepId}` : '';
  const verdict = event.type === 'verdict' ? `: ${String(event.detail['verdict'] ?? '')}` : '';
  const refused =
    event.type === 'plan-refused' || event.type === 'decision-refused'
      ? `: ${String(event.detail['reason'] ?? '')}`
      : '';
  return `executor: ${event.type}${step}${verdict}${refused}`;
}

export function describeAction(action: IncidentAction): string {
  const verb = action.action === 'acknowledge' ? 'acknowledged' : 'resolved';
  return `${action.by.displayName ?? action.by.user} ${verb} via ${action.via}${action.note ? `: ${action.note}` : ''}`;
}
