import { Reader } from 'protobufjs/minimal';
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

// Field numbers of opentelemetry/proto (collector/{trace,logs}/v1, trace/v1, logs/v1, common/v1,
// resource/v1). Only the fields Vigil uses are read; the others are skipped by wire type.

const VARINT = 0;
const I64 = 1;
const LEN = 2;
type WireType = typeof VARINT | typeof I64 | typeof LEN;

type FieldReaders = Record<number, [WireType, (reader: Reader) => void]>;

/** A 64-bit integer as protobufjs hands it: a number, or a Long when the `long` package is there. */
type Int64 = number | { toString(): string };

/**
 * Reads the fields of one message up to `end`: known ones with their reader (after checking the
 * wire type), unknown ones skipped. Groups (wire types 3 and 4) are refused: OTLP has none, and
 * a JSON text read as protobuf starts with one (`{` is field 15, wire type 3).
 */
function readFields(reader: Reader, end: number, where: string, fields: FieldReaders): void {
  if (end > reader.len) throw new OtlpFormatError(`${where}: length runs past the end`);
  while (reader.pos < end) {
    const at = reader.pos;
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw new OtlpFormatError(`${where}: field number 0 at byte ${at}`);
    if (wire === 3 || wire === 4 || wire > 5)
      throw new OtlpFormatError(`${where}: wire type ${wire} at byte ${at} is not used by OTLP`);
    const known = fields[field];
    if (!known) {
      reader.skipType(wire);
      continue;
    }
    if (known[0] !== wire)
      throw new OtlpFormatError(
        `${where}: field ${field} has wire type ${wire}, expected ${known[0]} (byte ${at})`,
      );
    known[1](reader);
  }
  if (reader.pos !== end) throw new OtlpFormatError(`${where}: a field runs past its message`);
}

/** A length-delimited sub-message: its length, then its fields. */
function readMessage(reader: Reader, where: string, fields: FieldReaders): void {
  const length = reader.uint32();
  readFields(reader, reader.pos + length, where, fields);
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const int64Text = (value: Int64) => (typeof value === 'number' ? String(value) : value.toString());

/**
 * An AnyValue with its structure: arrays and maps nest, bytes become base64. `depth` is its
 * level; past `maxAnyValueDepth` the message is refused rather than read until the stack runs out.
 */
function readAnyValue(reader: Reader, depth: number): unknown {
  if (depth > maxAnyValueDepth)
    throw new OtlpFormatError(
      `AnyValue at byte ${reader.pos}: an AnyValue nested deeper than ${maxAnyValueDepth} levels`,
    );
  let value: unknown = null;
  readMessage(reader, 'AnyValue', {
    1: [LEN, (r) => (value = r.string())],
    2: [VARINT, (r) => (value = r.bool())],
    3: [VARINT, (r) => (value = Number(int64Text(r.int64() as Int64)))],
    4: [I64, (r) => (value = r.double())],
    5: [LEN, (r) => (value = readArray(r, depth + 1))],
    6: [LEN, (r) => (value = readKeyValueList(r, depth + 1))],
    7: [LEN, (r) => (value = Buffer.from(r.bytes()).toString('base64'))],
  });
  return value;
}

/** An ArrayValue whose values are AnyValues of level `depth`. */
function readArray(reader: Reader, depth: number): unknown[] {
  const values: unknown[] = [];
  readMessage(reader, 'ArrayValue', { 1: [LEN, (r) => values.push(readAnyValue(r, depth))] });
  return values;
}

/** A KeyValueList whose values are AnyValues of level `depth`. */
function readKeyValueList(reader: Reader, depth: number): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  readMessage(reader, 'KeyValueList', {
    1: [
      LEN,
      (r) => {
        const [key, value] = readKeyValue(r, depth);
        map[key] = value;
      },
    ],
  });
  return map;
}

/** An attribute (level 1) or an entry of a KeyValueList (its value of level `depth`). */
function readKeyValue(reader: Reader, depth = 1): [string, unknown] {
  let key = '';
  let value: unknown = null;
  readMessage(reader, 'KeyValue', {
    1: [LEN, (r) => (key = r.string())],
    2: [LEN, (r) => (value = readAnyValue(r, depth))],
  });
  return [key, value];
}

function attributeField(into: OtlpAttributes): [WireType, (reader: Reader) => void] {
  return [
    LEN,
    (r) => {
      const [key, value] = readKeyValue(r);
      into[key] = flatAttribute(value);
    },
  ];
}

function readResource(reader: Reader): OtlpResource {
  const attributes: OtlpAttributes = {};
  readMessage(reader, 'Resource', { 1: attributeField(attributes) });
  return resourceOf(attributes);
}

function readStatus(reader: Reader): OtlpSpan['status'] {
  let code = 0;
  readMessage(reader, 'Status', { 3: [VARINT, (r) => (code = r.int32())] });
  return statusCodes[code] ?? 'unset';
}

function readSpan(reader: Reader, resource: OtlpResource): OtlpSpan {
  const span: OtlpSpan = {
    resource,
    traceId: '',
    spanId: '',
    name: '',
    kind: 'unspecified',
    startMs: 0,
    endMs: 0,
    status: 'unset',
    attributes: {},
  };
  readMessage(reader, 'Span', {
    1: [LEN, (r) => (span.traceId = hex(r.bytes()))],
    2: [LEN, (r) => (span.spanId = hex(r.bytes()))],
    4: [
      LEN,
      (r) => {
        const parent = hex(r.bytes());
        if (parent.length > 0) span.parentSpanId = parent;
      },
    ],
    5: [LEN, (r) => (span.name = r.string())],
    6: [VARINT, (r) => (span.kind = spanKinds[r.int32()] ?? 'unspecified')],
    7: [I64, (r) => (span.startMs = nanosToMs(int64Text(r.fixed64() as Int64)))],
    8: [I64, (r) => (span.endMs = nanosToMs(int64Text(r.fixed64() as Int64)))],
    9: attributeField(span.attributes),
    15: [LEN, (r) => (span.status = readStatus(r))],
  });
  return span;
}

/** ResourceSpans / ResourceLogs: a resource (field 1), then scoped lists (field 2) of items (field 2). */
function readResourceItems<T>(
  reader: Reader,
  names: { resource: string; scope: string },
  readItem: (reader: Reader, resource: OtlpResource) => T,
): T[] {
  // The resource may come after the scopes on the wire: read the items' bytes first, then them.
  let resource: OtlpResource = resourceOf({});
  const itemStarts: number[] = [];
  readMessage(reader, names.resource, {
    1: [LEN, (r) => (resource = readResource(r))],
    2: [
      LEN,
      (r) =>
        readMessage(r, names.scope, {
          2: [
            LEN,
            (inner) => {
              itemStarts.push(inner.pos);
              inner.skipType(LEN);
            },
          ],
        }),
    ],
  });
  const after = reader.pos;
  const items = itemStarts.map((start) => {
    reader.pos = start;
    return readItem(reader, resource);
  });
  reader.pos = after;
  return items;
}

function readLogRecord(reader: Reader, resource: OtlpResource): OtlpLog {
  const log: OtlpLog = {
    resource,
    timeMs: 0,
    observedTimeMs: 0,
    severityNumber: 0,
    severityText: '',
    attributes: {},
  };
  readMessage(reader, 'LogRecord', {
    1: [I64, (r) => (log.timeMs = nanosToMs(int64Text(r.fixed64() as Int64)))],
    11: [I64, (r) => (log.observedTimeMs = nanosToMs(int64Text(r.fixed64() as Int64)))],
    2: [VARINT, (r) => (log.severityNumber = r.int32())],
    3: [LEN, (r) => (log.severityText = r.string())],
    5: [
      LEN,
      (r) => {
        const body = flatAttribute(readAnyValue(r, 1));
        if (body !== null) log.body = String(body);
      },
    ],
    6: attributeField(log.attributes),
    9: [
      LEN,
      (r) => {
        const id = hex(r.bytes());
        if (id.length > 0) log.traceId = id;
      },
    ],
    10: [
      LEN,
      (r) => {
        const id = hex(r.bytes());
        if (id.length > 0) log.spanId = id;
      },
    ],
  });
  return log;
}

/** The top level: a request is a list of its field 1 (ResourceSpans or ResourceLogs). */
function readRequest<T>(bytes: Uint8Array, what: string, readOne: (reader: Reader) => T[]): T[] {
  if (bytes.length === 0) throw new OtlpFormatError(`${what}: empty message`);
  const reader = Reader.create(bytes);
  const items: T[] = [];
  let resources = 0;
  try {
    readFields(reader, reader.len, what, {
      1: [
        LEN,
        (r) => {
          resources += 1;
          items.push(...readOne(r));
        },
      ],
    });
  } catch (error) {
    if (error instanceof OtlpFormatError) throw error;
    // protobufjs' own errors: an index out of range, an invalid wire type while skipping
    throw new OtlpFormatError(`${what}: ${(error as Error).message}`);
  }
  if (resources === 0) throw new OtlpFormatError(`${what}: no resource in the message`);
  return items;
}

/** The spans of a protobuf ExportTraceServiceRequest; throws OtlpFormatError on anything else. */
export function decodeProtoTraces(bytes: Uint8Array): OtlpSpan[] {
  return readRequest(bytes, 'ExportTraceServiceRequest', (r) =>
    readResourceItems(r, { resource: 'ResourceSpans', scope: 'ScopeSpans' }, readSpan),
  ).map(checkedSpan);
}

/** The log records of a protobuf ExportLogsServiceRequest; throws OtlpFormatError on anything else. */
export function decodeProtoLogs(bytes: Uint8Array): OtlpLog[] {
  return readRequest(bytes, 'ExportLogsServiceRequest', (r) =>
    readResourceItems(r, { resource: 'ResourceLogs', scope: 'ScopeLogs' }, readLogRecord),
  );
}
