/**
 * An incident as the incident store indexes it: the fields history lists filter on, and the whole
 * incident view as JSON. libs/incident-view builds it (with its own narrower status and severity);
 * libs/graph saves and reads it, so the shape lives here where both may import it.
 */
export interface StoredIncident {
  id: string;
  title: string;
  severity: string;
  status: string;
  services: string[];
  alertCount: number;
  openedAt: string;
  updatedAt: string;
  resolvedAt?: string;
  fingerprints: string[];
  /** Alert names and summaries: what full-text search reads besides the title. */
  alertText: string;
  rootCause?: string;
  planState?: string;
  /** The whole incident view as JSON. */
  view: string;
}
