import { z } from 'zod';
import { alertSeverity } from '@vigil/contracts';

/** A query parameter holding a comma-separated list, each item checked against `item`. */
export const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(item))
    .optional();

/** An ISO time with an offset, as epoch milliseconds. */
export const isoInstant = z.iso
  .datetime({ offset: true, message: 'must be an ISO time, e.g. 2026-11-27T10:00:00Z' })
  .transform((s) => Date.parse(s))
  .optional();

/** The filters both the live board and the stored history accept, checked the same way. */
export const incidentFilterFields = {
  status: commaList(z.enum(['open', 'acknowledged', 'resolved'])),
  severity: commaList(alertSeverity),
  since: isoInstant,
  until: isoInstant,
};
