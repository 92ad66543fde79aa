// The secured local Kafka (the default; plaintext only with VIGIL_KAFKA_SECURITY=plaintext or
// `launcher.mjs up --plaintext`): a
// SASL_SSL listener with SCRAM-SHA-512 over TLS from a local CA, the controller listener on mutual
// TLS, StandardAuthorizer ACLs that deny what no ACL allows, one SCRAM user per Vigil service.
// Certificates and passwords are made once into <VIGIL_HOME>/secrets/kafka (git-ignored).
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, infraHome } from './config.mjs';
import { InfraError } from './errors.mjs';
import { ADMIN_PRINCIPAL, allAclBindings, principals } from './kafka-security-acls.mjs';

const exec = promisify(execFile);

export const SCRAM_MECHANISM = 'SCRAM-SHA-512';
/** The broker certificate's subject: the principal of the broker on the controller listener. */
const BROKER_DN = 'CN=vigil-kafka-broker';
const MODES = ['plaintext', 'sasl_ssl'];

/**
 * The mode asked for: VIGIL_KAFKA_SECURITY, else sasl_ssl. Kafka is Vigil's trust boundary, so
 * plaintext is only ever what someone chose by name (the test suites do, for their own brokers).
 */
export function requestedKafkaSecurity() {
  const raw = (process.env.VIGIL_KAFKA_SECURITY || 'sasl_ssl').toLowerCase();
  if (!MODES.includes(raw))
    throw new InfraError(`VIGIL_KAFKA_SECURITY=${raw}: use ${MODES.join(' or ')}`);
  return raw;
}

/** The mode the broker of this instance was last started in (written at start), else null. */
export function startedKafkaSecurity(root) {
  try {
    const mode = fs.readFileSync(path.join(root, 'security-mode'), 'utf8').trim();
    return MODES.includes(mode) ? mode : null;
  } catch {
    return null;
  }
}

/**
 * The mode to talk to this instance's broker in: VIGIL_KAFKA_SECURITY when set, else the mode it
 * was started in, so `status` and `down` need no flag.
 */
export function kafkaSecurityFor(root) {
  if (process.env.VIGIL_KAFKA_SECURITY) return requestedKafkaSecurity();
  return startedKafkaSecurity(root) ?? 'plaintext';
}

export function recordKafkaSecurity(root, mode) {
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'security-mode'), `${mode}\n`);
}

/** <VIGIL_HOME>/secrets/kafka, or .../kafka-<instance> for a second copy (VIGIL_INFRA_INSTANCE). */
export function kafkaSecretsDir() {
  const vigilHome = path.dirname(infraHome());
  const instance = process.env.VIGIL_INFRA_INSTANCE;
  return path.join(vigilHome, 'secrets', instance ? `kafka-${instance}` : 'kafka');
}

export function securityPaths(dir = kafkaSecretsDir()) {
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    keystore: path.join(dir, 'broker.p12'),
    keystorePasswordFile: path.join(dir, 'broker.p12.password'),
    usersDir: path.join(dir, 'users'),
    passwordFile: (user) => path.join(dir, 'users', `${user}.password`),
  };
}

const secret = () => randomBytes(24).toString('base64url');

function writeSecret(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
}

const readSecret = (file) => fs.readFileSync(file, 'utf8').trim();

async function tool(cmd, args, cwd) {
  try {
    await exec(cmd, args, { cwd });
  } catch (err) {
    throw new InfraError(
      `making the Kafka TLS certificates failed: ${cmd} ${args[0]}: ${(err.stderr || err.message).trim()}`,
    );
  }
}

async function hasOpenssl() {
  if (process.env.VIGIL_KAFKA_TLS_TOOL === 'keytool') return false;
  try {
    await exec('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}

/** CA + broker key pair and certificate with openssl (fast: no JVM per step). */
async function certificatesWithOpenssl(dir, storePass) {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await tool('openssl', [
    'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650',
    '-subj', '/CN=Vigil local Kafka CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ], dir); // prettier-ignore
  await tool('openssl', ['req', ...ec, '-keyout', 'broker.key', '-out', 'broker.csr', '-subj', `/${BROKER_DN}`], dir); // prettier-ignore
  fs.writeFileSync(
    path.join(dir, 'broker.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  await tool('openssl', [
    'x509', '-req', '-in', 'broker.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'broker.pem', '-days', '825', '-extfile', 'broker.ext',
  ], dir); // prettier-ignore
  await tool('openssl', [
    'pkcs12', '-export', '-in', 'broker.pem', '-inkey', 'broker.key', '-certfile', 'ca.pem',
    '-name', 'broker', '-out', 'broker.p12', '-passout', `pass:${storePass}`,
  ], dir); // prettier-ignore
  for (const f of ['ca.key', 'ca.srl', 'broker.key', 'broker.csr', 'broker.ext', 'broker.pem'])
    fs.rmSync(path.join(dir, f), { force: true });
}

/** The same with the JDK's keytool only (no openssl on the machine): seven short JVM runs. */
async function certificatesWithKeytool(dir, storePass) {
  const keytool = process.env.JAVA_HOME
    ? path.join(process.env.JAVA_HOME, 'bin', 'keytool')
    : 'keytool';
  const caPass = secret();
  const ec = ['-keyalg', 'EC', '-groupname', 'secp256r1', '-storetype', 'PKCS12'];
  const ca = ['-keystore', 'ca.p12', '-storepass', caPass];
  const broker = ['-keystore', 'broker.p12', '-storepass', storePass];
  await tool(keytool, ['-genkeypair', '-alias', 'ca', ...ec, ...ca, '-dname', 'CN=Vigil local Kafka CA', '-ext', 'bc:c', '-validity', '3650'], dir); // prettier-ignore
  await tool(keytool, ['-exportcert', '-rfc', '-alias', 'ca', ...ca, '-file', 'ca.pem'], dir);
  await tool(keytool, ['-genkeypair', '-alias', 'broker', ...ec, ...broker, '-dname', BROKER_DN, '-validity', '825'], dir); // prettier-ignore
  await tool(keytool, ['-certreq', '-alias', 'broker', ...broker, '-file', 'broker.csr'], dir);
  await tool(keytool, [
    '-gencert', '-alias', 'ca', ...ca, '-infile', 'broker.csr', '-outfile', 'broker.pem', '-rfc',
    '-validity', '825', '-ext', 'SAN=dns:localhost,ip:127.0.0.1', '-ext', 'KU=digitalSignature',
    '-ext', 'EKU=serverAuth,clientAuth',
  ], dir); // prettier-ignore
  await tool(keytool, ['-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.pem', ...broker], dir); // prettier-ignore
  await tool(keytool, ['-importcert', '-noprompt', '-alias', 'broker', '-file', 'broker.pem', ...broker], dir); // prettier-ignore
  for (const f of ['ca.p12', 'broker.csr', 'broker.pem'])
    fs.rmSync(path.join(dir, f), { force: true });
}

/** Makes what is missing: the CA and broker keystore, one password per principal. Idempotent. */
export async function ensureKafkaSecrets(log, paths = securityPaths()) {
  fs.mkdirSync(paths.usersDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(paths.dir, 0o700);
  if (!fs.existsSync(paths.caFile) || !fs.existsSync(paths.keystore)) {
    const storePass = secret();
    const openssl = await hasOpenssl();
    log(
      `making a local CA and the broker certificate in ${paths.dir} (${openssl ? 'openssl' : 'keytool'})`,
    );
    fs.rmSync(paths.keystore, { force: true });
    if (openssl) await certificatesWithOpenssl(paths.dir, storePass);
    else await certificatesWithKeytool(paths.dir, storePass);
    fs.chmodSync(paths.keystore, 0o600);
    writeSecret(paths.keystorePasswordFile, storePass);
  }
  for (const user of principals()) {
    const file = paths.passwordFile(user);
    if (!fs.existsSync(file)) writeSecret(file, secret());
  }
  return paths;
}

/** Every principal and its password, from the secrets folder. */
export function scramUsers(paths = securityPaths()) {
  return principals().map((name) => ({ name, password: readSecret(paths.passwordFile(name)) }));
}

/**
 * The server.properties lines of the secured broker (the caller writes the file 0600). `where`
 * is for a broker elsewhere (a container): the hosts it listens on and advertises, and the paths
 * at which it sees the secrets folder; the secrets themselves are read from `paths`.
 */
export function securedServerProperties(port, paths = securityPaths(), where = {}) {
  const listen = where.listenHost ?? '127.0.0.1';
  const advertise = where.advertiseHost ?? '127.0.0.1';
  const seen = where.paths ?? paths;
  const admin = readSecret(paths.passwordFile(ADMIN_PRINCIPAL));
  return `listeners=SASL_SSL://${listen}:${port.kafka},CONTROLLER://${listen}:${port.kafkaController}
advertised.listeners=SASL_SSL://${advertise}:${port.kafka}
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_SSL
# Clients: SCRAM over TLS. The controller listener: mutual TLS, only the broker's own certificate.
listener.security.protocol.map=CONTROLLER:SSL,SASL_SSL:SASL_SSL
sasl.enabled.mechanisms=${SCRAM_MECHANISM}
sasl.mechanism.inter.broker.protocol=${SCRAM_MECHANISM}
listener.name.sasl_ssl.${SCRAM_MECHANISM.toLowerCase()}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${ADMIN_PRINCIPAL}" password="${admin}";
ssl.keystore.type=PKCS12
ssl.keystore.location=${seen.keystore}
ssl.keystore.password=${readSecret(paths.keystorePasswordFile)}
ssl.truststore.type=PEM
ssl.truststore.location=${seen.caFile}
listener.name.controller.ssl.client.auth=required
ssl.enabled.protocols=TLSv1.3,TLSv1.2
# What no ACL allows is denied. The admin (SCRAM) and the broker itself (its certificate) are super users.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:${ADMIN_PRINCIPAL};User:${BROKER_DN}
`;
}

/** The Kafka CLI tools' client properties for the admin user (TLS + SCRAM), e.g. for a healthcheck. */
export function adminClientProperties(paths = securityPaths(), seen = paths) {
  const admin = readSecret(paths.passwordFile(ADMIN_PRINCIPAL));
  return `security.protocol=SASL_SSL
sasl.mechanism=${SCRAM_MECHANISM}
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${ADMIN_PRINCIPAL}" password="${admin}";
ssl.truststore.type=PEM
ssl.truststore.location=${seen.caFile}
`;
}

/** `StorageTool format` arguments that create every SCRAM user with its password. */
export function scramFormatArgs(paths = securityPaths()) {
  return scramUsers(paths).flatMap(({ name, password }) => [
    '--add-scram',
    `${SCRAM_MECHANISM}=[name=${name},password=${password}]`,
  ]);
}

/** A digest of the users and passwords the storage was formatted with (no secret in it). */
export function scramUsersStamp(paths = securityPaths()) {
  const h = createHash('sha256');
  for (const { name, password } of scramUsers(paths)) h.update(`${name}\0${password}\0`);
  return h.digest('hex');
}

const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));

function kafkajsOrFail() {
  try {
    return requireFromRepo('kafkajs');
  } catch {
    throw new InfraError('the secured Kafka needs kafkajs from node_modules (run npm ci first)');
  }
}

function adminClient(kafkajs, port, timeoutMs, paths, host = '127.0.0.1') {
  return new kafkajs.Kafka({
    clientId: 'vigil-launcher',
    brokers: [`${host}:${port}`],
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 5000),
    authenticationTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    ssl: { ca: [fs.readFileSync(paths.caFile, 'utf8')] },
    sasl: {
      mechanism: SCRAM_MECHANISM.toLowerCase(),
      username: ADMIN_PRINCIPAL,
      password: readSecret(paths.passwordFile(ADMIN_PRINCIPAL)),
    },
  }).admin();
}

/** Readiness of the secured broker: describeCluster as the admin, over TLS. */
export async function securedKafkaAnswers(port, timeoutMs = 5000, paths = securityPaths()) {
  let admin;
  try {
    admin = adminClient(kafkajsOrFail(), port, timeoutMs, paths);
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller !== -1;
  } catch {
    return false;
  } finally {
    await admin?.disconnect().catch(() => {});
  }
}

/**
 * The controller commits ACLs before the broker's authorizer has them: wait until the broker
 * lists them all, so a client started right after `up` is not refused.
 */
async function untilBrokerHas(kafkajs, admin, count, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { resources } = await admin.describeAcls({
      resourceType: kafkajs.AclResourceTypes.ANY,
      resourcePatternType: kafkajs.ResourcePatternTypes.ANY,
      operation: kafkajs.AclOperationTypes.ANY,
      permissionType: kafkajs.AclPermissionTypes.ANY,
    });
    const known = resources.reduce((n, r) => n + r.acls.length, 0);
    if (known >= count) return;
    if (Date.now() > deadline)
      throw new InfraError(`the broker lists ${known} of ${count} ACLs after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Creates every ACL of the table (creating one that exists changes nothing). */
export async function applyKafkaAcls(port, log, paths = securityPaths(), host = '127.0.0.1') {
  const kafkajs = kafkajsOrFail();
  const admin = adminClient(kafkajs, port, 30_000, paths, host);
  const acl = allAclBindings().flatMap(({ principal, bindings }) =>
    bindings.map((b) => ({
      resourceType: kafkajs.AclResourceTypes[b.resourceType],
      resourceName: b.name,
      resourcePatternType: kafkajs.ResourcePatternTypes[b.patternType],
      principal: `User:${principal}`,
      host: '*',
      operation: kafkajs.AclOperationTypes[b.operation],
      permissionType: kafkajs.AclPermissionTypes.ALLOW,
    })),
  );
  await admin.connect();
  try {
    await admin.createAcls({ acl });
    await untilBrokerHas(kafkajs, admin, acl.length);
  } finally {
    await admin.disconnect().catch(() => {});
  }
  log(`kafka ACLs in place: ${acl.length} for ${allAclBindings().length} principals`);
}

/** What a Vigil service sets to reach the secured broker as `user` (docs/kafka-security.md). */
export function clientEnv(user, paths = securityPaths()) {
  return {
    KAFKA_SSL: 'true',
    KAFKA_SSL_CA_FILE: paths.caFile,
    KAFKA_SASL_MECHANISM: SCRAM_MECHANISM.toLowerCase(),
    ...(user
      ? { KAFKA_SASL_USERNAME: user, KAFKA_SASL_PASSWORD_FILE: paths.passwordFile(user) }
      : {}),
  };
}
