/** Why a request was refused: the `error` of the JSON body and the `reason` label of the metric. */
export type RejectionReason =
  | 'unauthorized'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'batch-too-large'
  | 'malformed-json'
  | 'schema-violation'
  | 'overloaded'
  | 'kafka-stalled'
  | 'kafka-unavailable'
  | 'internal-error';

export interface RejectionIssue {
  /** Dotted path of the field, e.g. "alerts.0.status"; "" for the body as a whole. */
  path: string;
  message: string;
}

/** A refused request: status, reason and a message that says what to change. */
export class IngestRejection extends Error {
  constructor(
    readonly status: number,
    readonly reason: RejectionReason,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly issues: readonly RejectionIssue[] = [],
  ) {
    super(message);
    this.name = 'IngestRejection';
  }
}
