/** The two payload encodings of the OpenTelemetry Collector's Kafka exporter that Vigil reads. */
export const otlpEncodings = ['otlp_proto', 'otlp_json'] as const;
export type OtlpEncoding = (typeof otlpEncodings)[number];

/** An attribute as Vigil keeps it: arrays, maps and bytes are flattened to text (JSON, base64). */
export type OtlpAttributeValue = string | number | boolean | null;
export type OtlpAttributes = Record<string, OtlpAttributeValue>;

export type OtlpSpanKind =
  | 'unspecified'
  | 'internal'
  | 'server'
  | 'client'
  | 'producer'
  | 'consumer';
export type OtlpStatusCode = 'unset' | 'ok' | 'error';

/** What a resource says about who sent the telemetry. */
export interface OtlpResource {
  /** The `service.name` resource attribute, as sent (absent: undefined). */
  serviceName?: string;
  /** The `service.instance.id` resource attribute. */
  serviceInstanceId?: string;
  attributes: OtlpAttributes;
}

/** One span of an ExportTraceServiceRequest with its resource. Times are epoch ms (fractions kept). */
export interface OtlpSpan {
  resource: OtlpResource;
  /** Lower-case hex: 32 digits for the trace, 16 for spans. */
  traceId: string;
  spanId: string;
  /** Absent for a root span. */
  parentSpanId?: string;
  name: string;
  kind: OtlpSpanKind;
  startMs: number;
  endMs: number;
  status: OtlpStatusCode;
  attributes: OtlpAttributes;
}

/** One log record of an ExportLogsServiceRequest with its resource. Times are epoch ms. */
export interface OtlpLog {
  resource: OtlpResource;
  /** When the event happened; 0 when the sender did not say. */
  timeMs: number;
  /** When the Collector or SDK saw it; 0 when unset. */
  observedTimeMs: number;
  /** 1..24 (TRACE..FATAL4); 0 when unset. */
  severityNumber: number;
  severityText: string;
  /** The body flattened to text (a map or an array as JSON); absent when the record had none. */
  body?: string;
  attributes: OtlpAttributes;
  traceId?: string;
  spanId?: string;
}

/** A payload that is not OTLP of the expected encoding: the reason says where it went wrong. */
export class OtlpFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpFormatError';
  }
}

export const spanKinds: readonly OtlpSpanKind[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
export const statusCodes: readonly OtlpStatusCode[] = ['unset', 'ok', 'error'];

/** The resource's well-known attributes picked out of all of them. */
export function resourceOf(attributes: OtlpAttributes): OtlpResource {
  const text = (key: string) => {
    const value = attributes[key];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  return {
    serviceName: text('service.name'),
    serviceInstanceId: text('service.instance.id'),
    attributes,
  };
}

/**
 * Epoch ms from nanoseconds given as decimal text (int64 and fixed64 do not fit a double). Text
 * of more than 24 digits (no time at all: a uint64 has 20) is Infinity, without reading it.
 */
export function nanosToMs(nanos: string): number {
  if (!/^\d+$/.test(nanos)) throw new OtlpFormatError(`not a time in nanoseconds: ${nanos}`);
  const digits = nanos.replace(/^0+(?=\d)/, '');
  if (digits.length > 24) return Infinity;
  return Number(BigInt(digits) / 1000n) / 1000;
}

/**
 * The last time Vigil's topics can hold (9999-12-31T23:59:59.999Z): their times are RFC 3339
 * with a four-digit year, and `toISOString` writes later ones as `+010000-...` (and throws past
 * 8.64e15 ms). A protobuf fixed64 cannot go past 2554; OTLP/JSON's decimal text can.
 */
export const maxTimeMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Whether epoch ms `ms` is a time Vigil can write: 0 (the epoch, OTLP's "unset") to `maxTimeMs`. */
export function isWritableTime(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= maxTimeMs;
}

/**
 * How deep AnyValues may nest (an attribute's or a body's value is level 1, each value inside an
 * `arrayValue` or `kvlistValue` one more). Real telemetry stays within a few levels; a message
 * nesting deeper is refused (OtlpFormatError), so neither encoding recurses without bound.
 */
export const maxAnyValueDepth = 64;

/**
 * What one message held: the records kept, and why each record left out was (a span whose start
 * or end is past `maxTimeMs`). The message's other records are kept; a message that is not OTLP
 * at all is refused whole (OtlpFormatError).
 */
export interface OtlpBatch<T> {
  records: T[];
  /** One reason per record left out: `dropped.length` of them. */
  dropped: string[];
}

/** An attribute value as Vigil keeps it: arrays and maps become JSON text. */
export function flatAttribute(value: unknown): OtlpAttributeValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  return JSON.stringify(value);
}

/** A span must name its trace and itself: without them it is not a span (and bytes were misread). */
export function checkedSpan(span: OtlpSpan): OtlpSpan {
  if (!/^[0-9a-f]{32}$/.test(span.traceId) || /^0+$/.test(span.traceId))
    throw new OtlpFormatError(`span "${span.name}": the trace id is not 16 bytes`);
  if (!/^[0-9a-f]{16}$/.test(span.spanId) || /^0+$/.test(span.spanId))
    throw new OtlpFormatError(`span "${span.name}": the span id is not 8 bytes`);
  if (span.parentSpanId !== undefined && !/^[0-9a-f]{16}$/.test(span.parentSpanId))
    throw new OtlpFormatError(`span "${span.name}": the parent span id is not 8 bytes`);
  return span;
}
