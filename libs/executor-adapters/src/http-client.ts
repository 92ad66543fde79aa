import http from 'node:http';
import https from 'node:https';

export interface HttpCall {
  method: 'GET' | 'POST';
  url: string;
  body?: string;
  headers?: Record<string, string>;
  /** For the whole exchange (connect, send, answer), not just the idle socket. */
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

/** Answers larger than this are cut: an adapter reads small JSON documents, never bulk data. */
const maxAnswerBytes = 1_000_000;

/**
 * One HTTP exchange with node:http (no dependency). Rejects with a readable reason on timeout,
 * refused connections and oversized answers. No keep-alive: the peers are short-lived
 * processes and a pooled socket to a killed child only produces confusing resets.
 */
export function httpCall(call: HttpCall): Promise<HttpAnswer> {
  const url = new URL(call.url);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const request = transport.request(
      url,
      { method: call.method, headers: call.headers, agent: false },
      (response) => collect(response, resolve, reject),
    );
    const timer = setTimeout(
      () => request.destroy(new Error(`timed out after ${call.timeoutMs} ms`)),
      call.timeoutMs,
    );
    request.on('error', reject);
    request.on('close', () => clearTimeout(timer));
    request.end(call.body);
  });
}

function collect(
  response: http.IncomingMessage,
  resolve: (answer: HttpAnswer) => void,
  reject: (error: Error) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  response.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxAnswerBytes) response.destroy(new Error(`answer over ${maxAnswerBytes} bytes`));
    else chunks.push(chunk);
  });
  response.on('error', reject);
  response.on('end', () =>
    resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
  );
}

/** The error's message, for a `detail` line. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A peer's text shortened for a detail line. */
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
