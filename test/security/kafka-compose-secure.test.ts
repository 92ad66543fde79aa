import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { projectRoot } from '../support/project-root';

const exec = promisify(execFile);
const launcher = join(projectRoot, 'infra', 'local', 'launcher.mjs');

interface ComposeService {
  profiles?: string[];
  ports?: string[];
  volumes?: string[];
  command?: string[];
  healthcheck?: { test: string[] };
}

/**
 * docker-compose's secured Kafka reads files the launcher writes: this checks that the two agree
 * (the mount, the port, every path the broker and its healthcheck are given), so a change on one
 * side cannot leave the container pointing at a file that is not there.
 */
describe("docker-compose's secured Kafka and the files the launcher makes for it", () => {
  const home = mkdtempSync(join(tmpdir(), 'vigil-compose-secure-'));
  const secrets = join(home, 'secrets', 'kafka');
  const compose = parse(readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, ComposeService>;
  };
  const service = compose.services['kafka-secure'];
  const mount = (service?.volumes ?? [])
    .map((v) => v.split(':'))
    .find(([from]) => from === './.vigil/secrets/kafka');
  const inContainer = mount?.[1] ?? '/not-mounted';
  /** The host file behind a path the container sees under the mounted secrets folder. */
  const onHost = (containerPath: string) =>
    join(secrets, containerPath.slice(inContainer.length + 1));

  beforeAll(async () => {
    const { VIGIL_INFRA_INSTANCE: _instance, ...env } = process.env;
    await exec(process.execPath, [launcher, 'compose-secrets'], {
      env: { ...env, VIGIL_HOME: home },
    });
  }, 60_000);

  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('is the Kafka that runs by default, on 9094, with the secrets folder mounted read-only', () => {
    expect(service?.profiles).toBeUndefined();
    // plaintext only when chosen by name
    expect(compose.services['kafka']?.profiles).toEqual(['plaintext']);
    expect(service?.ports).toEqual(['9094:9094']);
    expect(mount?.[2]).toBe('ro');
  });

  it('gives the broker and its healthcheck only files that the launcher wrote', () => {
    const text = [
      ...(service?.command ?? []),
      ...(service?.healthcheck?.test ?? []),
      readFileSync(join(secrets, 'compose', 'server.properties'), 'utf8'),
      readFileSync(join(secrets, 'compose', 'admin.properties'), 'utf8'),
    ].join('\n');
    const paths = [...text.matchAll(new RegExp(`${inContainer}/[\\w./-]+`, 'g'))].map((m) => m[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        `${inContainer}/compose/server.properties`,
        `${inContainer}/compose/format.args`,
        `${inContainer}/broker.p12`,
        `${inContainer}/ca.pem`,
      ]),
    );
    for (const path of paths) expect(existsSync(onHost(path))).toBe(true);
  });

  it('listens for TLS + SCRAM clients on 9094 and formats the storage with every service user', () => {
    const properties = readFileSync(join(secrets, 'compose', 'server.properties'), 'utf8');
    expect(properties).toMatch(/^listeners=SASL_SSL:\/\/0\.0\.0\.0:9094,/m);
    expect(properties).toMatch(/^advertised\.listeners=SASL_SSL:\/\/localhost:9094$/m);
    expect(properties).toMatch(/^allow\.everyone\.if\.no\.acl\.found=false$/m);
    const args = readFileSync(join(secrets, 'compose', 'format.args'), 'utf8')
      .trim()
      .split('\n');
    const users = args.filter((a) => a.startsWith('SCRAM-SHA-512=[name='));
    expect(args.filter((a) => a === '--add-scram')).toHaveLength(users.length);
    expect(users.map((u) => /name=([^,]+)/.exec(u)?.[1])).toEqual(
      expect.arrayContaining(['admin', 'ingest', 'executor', 'console', 'planner']),
    );
  });

  it('keeps the passwords in owner-only files', () => {
    for (const file of ['server.properties', 'format.args', 'admin.properties'])
      expect(statSync(join(secrets, 'compose', file)).mode & 0o077).toBe(0);
  });
});
