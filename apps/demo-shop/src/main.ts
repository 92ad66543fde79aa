import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { loadEnvConfig } from '@vigil/config';
import {
  noFaults,
  parseFaults,
  persistedFaultSchema,
  requestFate,
  shopService,
  type Faults,
  type ShopRoute,
} from '@vigil/demo-shop';
import { ShopHttpClient } from '@vigil/demo-shop-client';
import { createKafka, EventPublisher } from '@vigil/messaging';
import { FaultEffects } from './fault-effects';
import { HttpError, readJsonBody, requestUrl } from './http-body';
import { PersistedFaults } from './persisted-faults';
import { shopInstanceEnv } from './shop-instance.config';
import { ShopMetrics } from './shop-metrics';
import { ShopOtel } from './shop-otel';
import { ShopTelemetry } from './shop-telemetry';

// One instance of one service of the demo shop: real HTTP, real dependencies, real telemetry.
const config = loadEnvConfig(shopInstanceEnv);
// the runner names the instance after its target, prefix included
const bareName = config.service.startsWith(config.prefix)
  ? config.service.slice(config.prefix.length)
  : config.service;
const service = shopService(bareName);
const name = `${config.prefix}${service.name}`;
const instance = `${name}-${config.port}`;
const kafka = createKafka({ ...config.kafka, clientId: instance });
const publisher = new EventPublisher(kafka);
// traces and logs through the OpenTelemetry SDK, in the Collector's Kafka format, when asked
const otel =
  config.otlp &&
  new ShopOtel(
    { send: ({ topic, messages }) => publisher.sendRaw(topic, messages) },
    {
      service: name,
      instance,
      version: config.version,
      ...config.otlp,
      exportDelayMs: config.telemetryIntervalMs,
    },
  );
const telemetry = new ShopTelemetry(publisher, name, instance, config.version, otel || undefined);
// what Prometheus scrapes; the same request window feeds the Kafka gauges
const metrics = new ShopMetrics(telemetry.requests);
const downstream = new ShopHttpClient(config.portOffset);
const effects = new FaultEffects();
// what a restart keeps: config, volume, locks, credentials, cache entries in the data dir
const persisted = new PersistedFaults(config.dataDir, service);
persisted.start();
const flags: Record<string, boolean> = {};
let faults: Faults = noFaults;
let flushes = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A business request: own work, then each dependency in order; any failure fails it. */
async function serve(
  routeName: string,
  route: ShopRoute,
  span?: Span,
): Promise<{ status: number; body: unknown }> {
  const fate = requestFate(faults, Math.random());
  if (fate.fail === 'unavailable')
    return { status: 503, body: { error: `${name} is unavailable` } };
  const held = persisted.effect(Date.now(), Math.random());
  if (held) await sleep(held.waitMs);
  if (held?.failure) {
    telemetry.log(
      'error',
      `${service.name} ${routeName} failed: ${held.failure.message}`,
      {},
      span,
    );
    return { status: held.failure.status, body: { error: held.failure.message } };
  }
  await sleep(route.workMs * (0.5 + Math.random()) + fate.extraLatencyMs);
  if (config.broken && Math.random() < 0.6) {
    telemetry.log(
      'error',
      `NullPointerException in ${service.name}.${routeName}: order.items was null (release ${config.version})`,
      {},
      span,
    );
    return { status: 500, body: { error: 'internal error' } };
  }
  if (fate.fail === 'error') {
    telemetry.log('error', `${service.name} ${routeName} failed: internal error`, {}, span);
    return { status: 500, body: { error: 'internal error' } };
  }
  for (const dependency of route.calls) {
    const callee = `${config.prefix}${dependency.service}`;
    const call = telemetry.beginCall(callee, dependency.route, span);
    const { service: to, route: path } = dependency;
    const result = await persisted.call(downstream, to, path, call.headers);
    call.end(result.ok);
    if (!result.ok) {
      telemetry.log(
        'error',
        `${service.name} ${routeName}: call to ${dependency.service} ${dependency.route} failed: ${result.reason}`,
        {},
        span,
      );
      return { status: 502, body: { error: `${dependency.service} failed` } };
    }
  }
  return { status: 200, body: { ok: true, service: service.name, route: routeName } };
}

const admin: Record<string, (req: IncomingMessage, url: URL) => Promise<[number, unknown]>> = {
  'GET /healthz': async () => [
    config.broken ? 500 : 200,
    { ok: !config.broken, version: config.version, pid: process.pid },
  ],
  'GET /admin/stats': async () => {
    const stats = telemetry.requests.stats(Date.now());
    return [
      200,
      {
        errorRate: stats.errorRatio,
        p99Ms: stats.p99Ms,
        requestsPerSecond: stats.requestsPerSecond,
        version: config.version,
        pid: process.pid,
      },
    ];
  },
  'GET /admin/faults': async () => [200, { faults }],
  'POST /admin/faults': async (req) => {
    const parsed = parseFaults(await readJsonBody(req));
    if (!parsed.ok) return [400, { error: parsed.reason }];
    faults = parsed.faults;
    effects.apply(faults);
    // the injector's own trace stays off the shop's log stream: Vigil must find the fault from
    // what it does, as a real chaos tool leaves no line in the application's log
    process.stderr.write(`faults set: ${JSON.stringify(faults)}\n`);
    return [200, { faults }];
  },
  'DELETE /admin/faults': async () => {
    faults = noFaults;
    effects.apply(faults);
    return [200, { faults }];
  },
  'POST /admin/crash': async () => {
    telemetry.log('fatal', `${service.name} crashed: segmentation fault in worker thread`);
    setTimeout(() => void telemetry.stop({ final: false }).finally(() => process.exit(139)), 50);
    return [202, { crashing: true }];
  },
  'GET /admin/flags': async () => [200, { flags }],
  'POST /admin/flags': async (req) => {
    const body = (await readJsonBody(req)) as { flag?: unknown; enabled?: unknown } | null;
    if (typeof body?.flag !== 'string' || typeof body.enabled !== 'boolean')
      return [400, { error: 'body: { "flag": string, "enabled": boolean }' }];
    flags[body.flag] = body.enabled;
    return [200, { flags }];
  },
  'POST /admin/cache/flush': async (req) => {
    const body = await readJsonBody(req);
    // an object with an optional pattern: anything else is refused, never read as "flush all"
    const keyPattern =
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? ((body as { keyPattern?: unknown }).keyPattern ?? '*')
        : undefined;
    if (typeof keyPattern !== 'string')
      return [400, { error: 'body: { "keyPattern"?: string } (`*` matches any characters)' }];
    const deleted = persisted.flush(keyPattern);
    return [200, { flushed: keyPattern, deleted, flushes: ++flushes }];
  },
  'GET /admin/persisted-faults': async () => [200, { view: persisted.view }],
  'POST /admin/persisted-faults': async (req) => {
    const parsed = persistedFaultSchema.safeParse(await readJsonBody(req));
    if (!parsed.success) return [400, { error: parsed.error.message }];
    try {
      const done = persisted.inject(parsed.data);
      process.stderr.write(`persisted fault: ${done}\n`); // off the shop's log stream, as above
      return [200, { done }];
    } catch (error) {
      return [409, { error: error instanceof Error ? error.message : String(error) }];
    }
  },
  'GET /admin/diagnostics': async (_req, url) => [
    200,
    {
      check: url.searchParams.get('check'),
      version: config.version,
      pid: process.pid,
      uptimeS: process.uptime(),
      rssBytes: process.memoryUsage.rss(),
      faults,
      config: persisted.view.config,
    },
  ],
};

const server = createServer((req, res) => {
  void answer(req, res).catch((error: unknown) => refuse(res, error));
});

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = requestUrl(req.url);
  if (req.method === 'GET' && url.pathname === '/metrics') {
    const text = await metrics.render();
    res.writeHead(200, { 'content-type': metrics.contentType });
    res.end(text);
    return;
  }
  const handler = admin[`${req.method} ${url.pathname}`];
  if (handler) {
    const [status, body] = await handler(req, url);
    return send(res, status, body);
  }
  const routeName = url.pathname.startsWith('/api/') ? url.pathname.slice(5) : '';
  const route = service.routes[routeName];
  if (req.method !== 'GET' || !route)
    return send(res, 404, { error: `no route ${req.method} ${url.pathname}` });
  const started = Date.now();
  const span = telemetry.request(routeName, started, req.headers);
  const { status, body } = await serve(routeName, route, span);
  const took = Date.now() - started;
  telemetry.requests.record(Date.now(), took, status < 500);
  // a sampled access log, as most services write: the baseline a new log line stands out from
  if (Math.random() < 0.1)
    telemetry.log('info', `GET /api/${routeName} ${status} in ${took} ms`, {}, span);
  telemetry.respond(span, status);
  send(res, status, body);
}

/** A refused request gets its status and message; anything else a 500, and the shop stays up. */
function refuse(res: ServerResponse, error: unknown): void {
  if (!(error instanceof HttpError))
    process.stderr.write(
      `request failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  if (res.headersSent) return void res.destroy();
  const status = error instanceof HttpError ? error.status : 500;
  send(res, status, { error: error instanceof Error ? error.message : String(error) });
}

server.listen(config.port, '127.0.0.1', () => {
  telemetry.start(config.telemetryIntervalMs);
  telemetry.log('info', `${service.name} ${config.version} started on port ${config.port}`);
});

process.on('SIGTERM', () => {
  server.close();
  void telemetry.stop({ final: true }).finally(() => process.exit(0));
});
