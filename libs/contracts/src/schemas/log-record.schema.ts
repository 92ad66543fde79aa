import { z } from 'zod';
import { attributeMap, entityName, isoTime, schemaVersion1 } from './common';

export const logLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** One log record on `vigil.logs.v1`. */
export const logRecordSchema = z.object({
  schemaVersion: schemaVersion1,
  service: entityName,
  instance: entityName.optional(),
  level: logLevel,
  body: z.string().max(16_000),
  attributes: attributeMap.default({}),
  time: isoTime,
});
export type LogRecord = z.infer<typeof logRecordSchema>;
