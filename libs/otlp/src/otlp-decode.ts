import type { TopicDefinition } from '@vigil/contracts';
import { z } from 'zod';
import { decodeJsonLogs, decodeJsonTraces } from './otlp-json';
import { OtlpFormatError, type OtlpEncoding, type OtlpLog, type OtlpSpan } from './otlp-model';
import { decodeProtoLogs, decodeProtoTraces } from './otlp-proto';

/** The spans of one Kafka message written by the Collector's Kafka exporter with `encoding`. */
export function decodeOtlpTraces(bytes: Uint8Array, encoding: OtlpEncoding): OtlpSpan[] {
  return encoding === 'otlp_json' ? decodeJsonTraces(bytes) : decodeProtoTraces(bytes);
}

/** The log records of one Kafka message written by the Collector's Kafka exporter with `encoding`. */
export function decodeOtlpLogs(bytes: Uint8Array, encoding: OtlpEncoding): OtlpLog[] {
  return encoding === 'otlp_json' ? decodeJsonLogs(bytes) : decodeProtoLogs(bytes);
}

/**
 * The schema of a topic of OTLP bytes: the message's bytes in, the decoded items out. A payload
 * that is not OTLP of `encoding` fails with the reason, so the consumer parks it on the DLQ.
 */
function otlpPayload<T>(encoding: OtlpEncoding, decode: (bytes: Uint8Array, e: OtlpEncoding) => T) {
  return z.instanceof(Uint8Array).transform((bytes, context) => {
    try {
      return decode(bytes, encoding);
    } catch (error) {
      if (!(error instanceof OtlpFormatError)) throw error;
      context.addIssue({ code: 'custom', message: `not ${encoding}: ${error.message}` });
      return z.NEVER;
    }
  });
}

export const otlpTracesPayload = (encoding: OtlpEncoding) =>
  otlpPayload(encoding, decodeOtlpTraces);
export const otlpLogsPayload = (encoding: OtlpEncoding) => otlpPayload(encoding, decodeOtlpLogs);
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
