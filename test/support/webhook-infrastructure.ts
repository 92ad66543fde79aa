import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import {
  signatureHeader,
  timestampHeader,
  verifyWebhookSignature,
  type WebhookCall,
} from '@vigil/executor-adapters';
import { LocalReceiver } from './local-receiver';

/**
 * The infrastructure behind the executor's webhook adapter: it checks each call's signature,
 * describes every target as 4 replicas of v1, applies each idempotency key once (a repeat is
 * `already-applied`) and counts how often each key reached it. `holdVerify` leaves a
 * verification unanswered, as a platform that hangs.
 */
export class WebhookInfrastructure extends LocalReceiver {
  readonly applied = new Map<string, number>();
  readonly verifications: string[] = [];
  holdVerify = false;

  constructor(
    private readonly secret: string,
    private readonly flags: Record<string, boolean> = {},
  ) {
    super();
  }

  protected async handle(
    headers: IncomingHttpHeaders,
    body: string,
    res: ServerResponse,
  ): Promise<void> {
    const signed = verifyWebhookSignature(
      this.secret,
      headers[timestampHeader] as string | undefined,
      body,
      headers[signatureHeader] as string | undefined,
      Date.now(),
      60_000,
    );
    if (!signed.ok) return void res.writeHead(401).end();
    const call = JSON.parse(body) as WebhookCall;
    res.writeHead(200, { 'content-type': 'application/json' });
    if (call.type === 'describe')
      return void res.end(JSON.stringify({ replicas: 4, version: 'v1', flags: this.flags }));
    if (call.type === 'verify') {
      this.verifications.push(`${call.request.target}:${call.request.kind}`);
      if (this.holdVerify) return; // never answered
      return void res.end(
        JSON.stringify({ passed: true, detail: 'all instances ready', observed: 4 }),
      );
    }
    const { request } = call;
    if (request.dryRun)
      return void res.end(JSON.stringify({ outcome: 'would-apply', detail: 'would do it' }));
    const times = this.applied.get(request.idempotencyKey) ?? 0;
    this.applied.set(request.idempotencyKey, times + 1);
    const outcome = times === 0 ? 'applied' : 'already-applied';
    res.end(JSON.stringify({ outcome, detail: `${request.action} ${request.target}` }));
  }
}
