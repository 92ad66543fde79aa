// "Does it answer?" checks that speak the real protocols, not just "is the port open".
// The project's own clients (kafkajs, neo4j-driver) are used when node_modules has them, so the
// check is the same conversation the apps will have; otherwise a minimal hand-written request.
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './config.mjs';

const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));

function optional(name) {
  try {
    return requireFromRepo(name);
  } catch {
    return null;
  }
}

/** Sends one request, collects the reply until `done(buffer)` says it is complete. */
function exchange(port, request, done, timeoutMs) {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const socket = net.connect({ host: '127.0.0.1', port });
    const finish = (value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => finish(null));
    socket.once('error', () => finish(null));
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (done(buf)) finish(buf);
    });
    socket.once('end', () => finish(buf.length ? buf : null));
  });
}

/** Kafka ApiVersions v0 (kept by every broker, 4.x included): error code 0 means it serves requests. */
async function rawKafkaApiVersions(port, timeoutMs) {
  const clientId = Buffer.from('vigil-launcher');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0); // api key: ApiVersions
  body.writeInt16BE(0, 2); // api version 0
  body.writeInt32BE(1, 4); // correlation id
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  const reply = await exchange(
    port,
    Buffer.concat([size, body]),
    (b) => b.length >= 4 && b.length >= 4 + b.readInt32BE(0),
    timeoutMs,
  );
  return !!reply && reply.length >= 10 && reply.readInt32BE(4) === 1 && reply.readInt16BE(8) === 0;
}

async function kafkajsDescribe(kafkajs, port, timeoutMs) {
  const kafka = new kafkajs.Kafka({
    clientId: 'vigil-launcher',
    brokers: [`127.0.0.1:${port}`],
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 3000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller !== -1;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export async function kafkaAnswers(port, timeoutMs = 5000) {
  const kafkajs = optional('kafkajs');
  return kafkajs ? kafkajsDescribe(kafkajs, port, timeoutMs) : rawKafkaApiVersions(port, timeoutMs);
}

/** Bolt handshake: magic + four proposed versions; a non-zero reply is a version the server picked. */
async function rawBoltHandshake(port, timeoutMs) {
  const magic = [0x60, 0x60, 0xb0, 0x17];
  // Each proposal is [0, range, minor, major]: 5.8 down to 5.0, 4.4 down to 4.2, 4.1, 3.
  const proposals = [
    [0, 8, 8, 5],
    [0, 2, 4, 4],
    [0, 0, 1, 4],
    [0, 0, 0, 3],
  ];
  const request = Buffer.from([...magic, ...proposals.flat()]);
  const reply = await exchange(port, request, (b) => b.length >= 4, timeoutMs);
  return !!reply && reply.length >= 4 && reply.readUInt32BE(0) !== 0;
}

async function driverVerify(neo4j, port, timeoutMs) {
  const driver = neo4j.driver(`bolt://127.0.0.1:${port}`, neo4j.auth.none(), {
    connectionTimeout: timeoutMs,
    maxConnectionPoolSize: 1,
    logging: { level: 'error', logger: () => {} },
  });
  try {
    await driver.verifyConnectivity();
    return true;
  } catch {
    return false;
  } finally {
    await driver.close().catch(() => {});
  }
}

export async function boltAnswers(port, timeoutMs = 5000) {
  const neo4j = optional('neo4j-driver');
  return neo4j ? driverVerify(neo4j, port, timeoutMs) : rawBoltHandshake(port, timeoutMs);
}
