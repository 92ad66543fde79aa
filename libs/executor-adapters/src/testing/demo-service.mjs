// A tiny HTTP service for the local-process adapter's tests and the demo system. One process is
// one instance: it listens on 127.0.0.1:$PORT and reports $VIGIL_VERSION and its pid.
// BROKEN=1 makes this version a bad release: /healthz answers 500 and requests count as errors.
// LATENCY_MS adds to the reported p99. SIGTERM closes the server and lets in-flight requests end.
import http from 'node:http';

const port = Number(process.env.PORT);
const version = process.env.VIGIL_VERSION ?? 'unknown';
const broken = process.env.BROKEN === '1';
const latencyMs = Number(process.env.LATENCY_MS ?? 5);
const flags = {};
let flushes = 0;

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readJson(req) {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      try {
        resolve(JSON.parse(text || '{}'));
      } catch {
        resolve({});
      }
    });
  });
}

const routes = {
  'GET /healthz': () => [
    broken ? 500 : 200,
    { ok: !broken, version, pid: process.pid, argv: process.argv.slice(2) },
  ],
  'GET /admin/stats': () => [
    200,
    { errorRate: broken ? 0.5 : 0.001, p99Ms: latencyMs, version, pid: process.pid },
  ],
  'GET /admin/flags': () => [200, { flags }],
  'POST /admin/flags': (body) => {
    if (typeof body.flag !== 'string' || typeof body.enabled !== 'boolean')
      return [400, { error: 'flag and enabled' }];
    flags[body.flag] = body.enabled;
    return [200, { flags }];
  },
  'POST /admin/cache/flush': (body) => [
    200,
    { flushed: body.keyPattern ?? '*', flushes: ++flushes },
  ],
  'GET /admin/diagnostics': (_body, url) => [
    200,
    { check: url.searchParams.get('check'), version, pid: process.pid, uptimeS: process.uptime() },
  ],
};

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = routes[`${req.method} ${url.pathname}`];
  if (!route) return send(res, 404, { error: 'not found' });
  const body = req.method === 'POST' ? await readJson(req) : {};
  const [status, answer] = route(body, url);
  send(res, status, answer);
});

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
