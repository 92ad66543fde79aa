import type { IncidentListItem } from './types';

/** The moment the specs' incidents are seen from: half an hour after the first one opened. */
export const NOW = Date.parse('2025-06-01T12:00:00.000Z');

/** An open incident of the list as the API answers it, for specs; `overrides` change any field. */
export function incidentItem(overrides: Partial<IncidentListItem> = {}): IncidentListItem {
  return {
    incidentId: 'inc-1',
    title: 'High error rate on checkout',
    severity: 'critical',
    status: 'open',
    services: ['checkout', 'payments'],
    alertCount: 3,
    openedAt: '2025-06-01T11:30:00.000Z',
    updatedAt: '2025-06-01T11:50:00.000Z',
    ...overrides,
  };
}
