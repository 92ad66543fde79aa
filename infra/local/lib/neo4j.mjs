// Neo4j 5 community in-process on the JVM (org.neo4j.test:neo4j-harness), Bolt on a fixed port.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { NEO4J_VERSION, neo4jPaths, ports } from './config.mjs';
import { marker, spawnDetached } from './proc.mjs';
import { InfraError, checkJavac, resolveClasspath, run } from './toolchain.mjs';

export const neo4jDeps = () => [['org.neo4j.test', 'neo4j-harness', NEO4J_VERSION]];

/** Compiles VigilNeo4j.java unless the same source was already compiled against the same jars. */
async function compileMain(javac, classpath, p, log) {
  const source = fs.readFileSync(p.source);
  const stamp = createHash('sha256')
    .update(source)
    .update(classpath.join(path.delimiter))
    .digest('hex');
  const stampFile = path.join(p.classesDir, '.stamp');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return;
  await checkJavac(javac);
  log('compiling infra/local/neo4j/VigilNeo4j.java');
  fs.rmSync(p.classesDir, { recursive: true, force: true });
  fs.mkdirSync(p.classesDir, { recursive: true });
  try {
    await run(javac, [
      '-nowarn',
      '-d',
      p.classesDir,
      '-cp',
      classpath.join(path.delimiter),
      p.source,
    ]);
  } catch (err) {
    throw new InfraError(`javac failed on ${p.source}:\n${err.stderr || err.message}`);
  }
  fs.writeFileSync(stampFile, stamp);
}

/** The harness leaves its throw-away home behind when killed with SIGKILL; clear it before a start. */
function clearRunDir(p) {
  fs.rmSync(p.runDir, { recursive: true, force: true });
  fs.mkdirSync(p.runDir, { recursive: true });
}

export async function startNeo4j(java, javac, log) {
  const p = neo4jPaths();
  const classpath = await resolveClasspath(
    p.resolveDir,
    `neo4j-harness-${NEO4J_VERSION}`,
    neo4jDeps(),
    log,
  );
  await compileMain(javac, classpath, p, log);
  clearRunDir(p);
  fs.mkdirSync(p.logsDir, { recursive: true });
  const port = ports();
  const jvm = [
    marker('neo4j'),
    '-Xms256m',
    '-Xmx1g',
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    // The flags Neo4j's own start script passes on Java 17+ (page cache and Netty use these internals).
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/java.io=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Djdk.nio.maxCachedBufferSize=1024',
    '-Dlog4j2.disable.jmx=true',
  ];
  const cp = [p.classesDir, ...classpath].join(path.delimiter);
  const args = [p.runDir, p.dataDir, p.logsDir, port.bolt, port.http, 128].map(String);
  return spawnDetached(java, [...jvm, '-cp', cp, 'VigilNeo4j', ...args], {
    logFile: path.join(p.logsDir, 'stdout.log'),
    pidFile: p.pidFile,
    cwd: p.root,
    env: process.env,
  });
}
