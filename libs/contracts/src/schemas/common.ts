import { z } from 'zod';

/** Every event carries the version of its schema; a breaking change is a new topic, never an edit. */
export const schemaVersion1 = z.literal(1);

export const isoTime = z.iso.datetime({ offset: true });

/** Service and entity names end up as graph ids, metric labels and Kafka keys: keep them plain. */
export const entityName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/, 'letters, digits and . _ : / @ - only');

export const stringMap = z.record(z.string(), z.string());

export const attributeMap = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);
