import { describeIssues } from '@vigil/contracts';
import { z } from 'zod';
import {
  checkedSpan,
  flatAttribute,
  maxAnyValueDepth,
  nanosToMs,
  OtlpFormatError,
  resourceOf,
  spanKinds,
  statusCodes,
  type OtlpAttributes,
  type OtlpLog,
  type OtlpResource,
  type OtlpSpan,
} from './otlp-model';

// OTLP/JSON as the OTLP specification defines it and the Collector's otlp_json writes it:
// lowerCamelCase field names, trace and span ids in hex, 64-bit integers as decimal strings (or
// numbers), enums as integers (or their names). Unknown fields are ignored, as the spec asks.

// A time as a number may be past 2^53 (any time since 1970-04 is): an integer, not a safe one.
const nanos = z
  .union([
    z.string().regex(/^\d+$/, 'must be nanoseconds since the epoch'),
    z.number().min(0).refine(Number.isInteger, 'must be nanoseconds since the epoch'),
  ])
  .transform((value) => nanosToMs(typeof value === 'number' ? BigInt(value).toString() : value));
const hexId = (digits: number) =>
  z
    .string()
    .regex(new RegExp(`^(|[0-9a-fA-F]{${digits}})$`), `must be ${digits} hex digits`)
    .transform((id) => id.toLowerCase());

/** An enum as its number or its proto name (`SPAN_KIND_CLIENT`): the index into `names`. */
function enumOf<T extends string>(names: readonly T[], prefix: string) {
  const byName = names.map((name) => `${prefix}${name.toUpperCase()}`);
  return z.union([z.number().int(), z.string()]).transform((value, context) => {
    const index = typeof value === 'number' ? value : byName.indexOf(value);
    if (index >= 0) return names[index] ?? names[0];
    context.addIssue({ code: 'custom', message: `unknown value ${value}` });
    return z.NEVER;
  });
}

/** `read(value)`, with an OtlpFormatError it throws (an AnyValue too deep) as the field's issue. */
function orIssue<T>(read: () => T, context: z.RefinementCtx): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof OtlpFormatError)) throw error;
    context.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
}

const keyValue = z.object({ key: z.string(), value: z.unknown().optional() });
const attributes = z
  .array(keyValue)
  .optional()
  .transform((list, context) => orIssue(() => attributeMap(list ?? []), context));
const resource = z
  .object({ attributes })
  .optional()
  .transform((r): OtlpResource => resourceOf(r?.attributes ?? {}));

const jsonSpan = z.object({
  traceId: hexId(32),
  spanId: hexId(16),
  parentSpanId: hexId(16).optional(),
  name: z.string().default(''),
  kind: enumOf(spanKinds, 'SPAN_KIND_').default('unspecified'),
  startTimeUnixNano: nanos.default(0),
  endTimeUnixNano: nanos.default(0),
  attributes,
  status: z
    .object({ code: enumOf(statusCodes, 'STATUS_CODE_').default('unset') })
    .default({ code: 'unset' }),
});

const jsonTraces = z.object({
  resourceSpans: z.array(
    z.object({
      resource,
      scopeSpans: z.array(z.object({ spans: z.array(jsonSpan).default([]) })).default([]),
    }),
  ),
});

const jsonLogRecord = z.object({
  timeUnixNano: nanos.default(0),
  observedTimeUnixNano: nanos.default(0),
  severityNumber: z
    .union([z.number().int().min(0).max(24), z.string()])
    .transform((value) => (typeof value === 'number' ? value : severityNumberOfName(value)))
    .default(0),
  severityText: z.string().default(''),
  body: z
    .unknown()
    .optional()
    .transform((body, context) => orIssue(() => flatAttribute(anyValue(body)), context)),
  attributes,
  traceId: hexId(32).optional(),
  spanId: hexId(16).optional(),
});

const jsonLogs = z.object({
  resourceLogs: z.array(
    z.object({
      resource,
      scopeLogs: z.array(z.object({ logRecords: z.array(jsonLogRecord).default([]) })).default([]),
    }),
  ),
});

const severityNames = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** `SEVERITY_NUMBER_WARN2` -> 14. */
function severityNumberOfName(name: string): number {
  const match = /^SEVERITY_NUMBER_([A-Z]+)([2-4])?$/.exec(name);
  const base = match ? severityNames.indexOf(match[1]) : -1;
  return base < 0 ? 0 : base * 4 + Number(match?.[2] ?? 1);
}

/**
 * An AnyValue object with its structure: arrays and maps nest, everything else as its value.
 * `depth` is its level; past `maxAnyValueDepth` it is refused (OtlpFormatError), so a message
 * nesting thousands deep cannot recurse until the stack runs out.
 */
function anyValue(value: unknown, depth = 1): unknown {
  if (typeof value !== 'object' || value === null) return null;
  if (depth > maxAnyValueDepth)
    throw new OtlpFormatError(`an AnyValue nested deeper than ${maxAnyValueDepth} levels`);
  const v = value as Record<string, unknown>;
  if ('stringValue' in v) return String(v['stringValue']);
  if ('boolValue' in v) return Boolean(v['boolValue']);
  if ('intValue' in v) return Number(v['intValue']);
  if ('doubleValue' in v) return Number(v['doubleValue']);
  if ('bytesValue' in v) return String(v['bytesValue']);
  const list = (field: string) => {
    const inner = v[field] as { values?: unknown } | undefined;
    return Array.isArray(inner?.values) ? inner.values : [];
  };
  if ('arrayValue' in v) return list('arrayValue').map((inner) => anyValue(inner, depth + 1));
  if ('kvlistValue' in v)
    return Object.fromEntries(
      list('kvlistValue').map((kv) => {
        const { key, value: inner } = kv as { key?: unknown; value?: unknown };
        return [String(key), anyValue(inner, depth + 1)];
      }),
    );
  return null;
}

function attributeMap(list: ReadonlyArray<z.infer<typeof keyValue>>): OtlpAttributes {
  const map: OtlpAttributes = {};
  for (const { key, value } of list) {
    try {
      map[key] = flatAttribute(anyValue(value));
    } catch (error) {
      if (error instanceof OtlpFormatError)
        throw new OtlpFormatError(`attribute "${key.slice(0, 100)}": ${error.message}`);
      throw error;
    }
  }
  return map;
}

function parseJson<S extends z.ZodType>(bytes: Uint8Array, schema: S, what: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new OtlpFormatError(`${what}: not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new OtlpFormatError(`${what}: not OTLP/JSON: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** The spans of an OTLP/JSON ExportTraceServiceRequest; throws OtlpFormatError on anything else. */
export function decodeJsonTraces(bytes: Uint8Array): OtlpSpan[] {
  const request = parseJson(bytes, jsonTraces, 'ExportTraceServiceRequest');
  return request.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) =>
      ss.spans.map(
        (s): OtlpSpan =>
          checkedSpan({
            resource: rs.resource,
            traceId: s.traceId,
            spanId: s.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.name,
            kind: s.kind,
            startMs: s.startTimeUnixNano,
            endMs: s.endTimeUnixNano,
            status: s.status.code,
            attributes: s.attributes,
          }),
      ),
    ),
  );
}

/** The log records of an OTLP/JSON ExportLogsServiceRequest; throws OtlpFormatError on anything else. */
export function decodeJsonLogs(bytes: Uint8Array): OtlpLog[] {
  const request = parseJson(bytes, jsonLogs, 'ExportLogsServiceRequest');
  return request.resourceLogs.flatMap((rl) =>
    rl.scopeLogs.flatMap((sl) =>
      sl.logRecords.map(
        (l): OtlpLog => ({
          resource: rl.resource,
          timeMs: l.timeUnixNano,
          observedTimeMs: l.observedTimeUnixNano,
          severityNumber: l.severityNumber,
          severityText: l.severityText,
          ...(l.body === null ? {} : { body: String(l.body) }),
          attributes: l.attributes,
          ...(l.traceId ? { traceId: l.traceId } : {}),
          ...(l.spanId ? { spanId: l.spanId } : {}),
        }),
      ),
    ),
  );
}
