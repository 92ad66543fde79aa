import type { TopicDefinition } from '@vigil/contracts';
import { z } from 'zod';
import { decodeJsonLogs, decodeJsonTraces } from './otlp-json';
import {
  isWritableTime,
  OtlpFormatError,
  type OtlpBatch,
  type OtlpEncoding,
  type OtlpLog,
  type OtlpSpan,
} from './otlp-model';
import { decodeProtoLogs, decodeProtoTraces } from './otlp-proto';

/**
 * `decode(bytes)`, with anything it throws as an OtlpFormatError: whatever a payload makes go
 * wrong (a RangeError, a bug) is that payload's reason, never an error past the decoder.
 */
function formatErrorOf<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof OtlpFormatError) throw error;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new OtlpFormatError(`${what}: cannot be decoded: ${reason}`);
  }
}

/** A span's start and end must be times a topic can hold: a span is dropped when either is not. */
function keptSpans(spans: OtlpSpan[]): OtlpBatch<OtlpSpan> {
  const batch: OtlpBatch<OtlpSpan> = { records: [], dropped: [] };
  for (const span of spans) {
    const bad = !isWritableTime(span.startMs) ? 'start' : !isWritableTime(span.endMs) ? 'end' : '';
    if (!bad) batch.records.push(span);
    else
      batch.dropped.push(
        `span ${span.spanId} "${span.name.slice(0, 100)}" of trace ${span.traceId}: ` +
          `its ${bad} time is past 9999-12-31, dropped`,
      );
  }
  return batch;
}

/**
 * A log record's time or observed time past what a topic can hold is no time: 0, as OTLP says
 * for one unknown (the observed time, else when it was received, then dates it). None is dropped.
 */
function keptLogs(logs: OtlpLog[]): OtlpBatch<OtlpLog> {
  const records = logs.map((log) =>
    isWritableTime(log.timeMs) && isWritableTime(log.observedTimeMs)
      ? log
      : {
          ...log,
          timeMs: isWritableTime(log.timeMs) ? log.timeMs : 0,
          observedTimeMs: isWritableTime(log.observedTimeMs) ? log.observedTimeMs : 0,
        },
  );
  return { records, dropped: [] };
}

/**
 * The spans of one Kafka message written by the Collector's Kafka exporter with `encoding`, and
 * why any were dropped. Throws OtlpFormatError, and nothing else, when it is not OTLP traces.
 */
export function decodeOtlpTraceBatch(
  bytes: Uint8Array,
  encoding: OtlpEncoding,
): OtlpBatch<OtlpSpan> {
  return keptSpans(
    formatErrorOf('ExportTraceServiceRequest', () =>
      encoding === 'otlp_json' ? decodeJsonTraces(bytes) : decodeProtoTraces(bytes),
    ),
  );
}

/**
 * The log records of one Kafka message written by the Collector's Kafka exporter with
 * `encoding`. Throws OtlpFormatError, and nothing else, when it is not OTLP logs.
 */
export function decodeOtlpLogBatch(bytes: Uint8Array, encoding: OtlpEncoding): OtlpBatch<OtlpLog> {
  return keptLogs(
    formatErrorOf('ExportLogsServiceRequest', () =>
      encoding === 'otlp_json' ? decodeJsonLogs(bytes) : decodeProtoLogs(bytes),
    ),
  );
}

/** The spans `decodeOtlpTraceBatch` keeps (without why others were dropped). */
export function decodeOtlpTraces(bytes: Uint8Array, encoding: OtlpEncoding): OtlpSpan[] {
  return decodeOtlpTraceBatch(bytes, encoding).records;
}

/** The log records `decodeOtlpLogBatch` keeps. */
export function decodeOtlpLogs(bytes: Uint8Array, encoding: OtlpEncoding): OtlpLog[] {
  return decodeOtlpLogBatch(bytes, encoding).records;
}

/**
 * The schema of a topic of OTLP bytes: the message's bytes in, the decoded batch out. A payload
 * that is not OTLP of `encoding` fails with the reason, so the consumer parks it on the DLQ;
 * nothing the payload makes go wrong is thrown out of the schema's safeParse.
 */
function otlpPayload<T>(
  encoding: OtlpEncoding,
  decode: (bytes: Uint8Array, e: OtlpEncoding) => OtlpBatch<T>,
) {
  return z.instanceof(Uint8Array).transform((bytes, context): OtlpBatch<T> => {
    try {
      return decode(bytes, encoding);
    } catch (error) {
      // decode throws only OtlpFormatErrors; anything else is a reason all the same
      const reason = error instanceof Error ? error.message : String(error);
      context.addIssue({ code: 'custom', message: `not ${encoding}: ${reason}` });
      return z.NEVER;
    }
  });
}

export const otlpTracesPayload = (encoding: OtlpEncoding) =>
  otlpPayload(encoding, decodeOtlpTraceBatch);
export const otlpLogsPayload = (encoding: OtlpEncoding) =>
  otlpPayload(encoding, decodeOtlpLogBatch);
export type OtlpTracesPayload = ReturnType<typeof otlpTracesPayload>;
export type OtlpLogsPayload = ReturnType<typeof otlpLogsPayload>;

/**
 * A topic the Collector writes (`ForeignTopics.otlpSpans` or `otlpLogs` of `@vigil/contracts`)
 * under the name the deployment gives it, read with `schema` (`otlpTracesPayload` ...).
 */
export function otlpTopic<S extends z.ZodType>(
  base: Pick<TopicDefinition<z.ZodType>, 'description' | 'partitions' | 'encoding'>,
  name: string,
  schema: S,
): TopicDefinition<S> {
  return {
    name,
    description: base.description,
    partitions: base.partitions,
    encoding: base.encoding,
    schema,
    // Vigil never writes these topics: it has no key of its own for them.
    keyOf: () => '',
  };
}
