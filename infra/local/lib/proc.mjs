// Background JVMs: start detached, remember by pid file, recognise, stop.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The marker every JVM we start carries, so a recycled pid is never mistaken for ours. */
export const marker = (component) => `-Dvigil.infra=${component}`;

function commandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    try {
      // No /proc (macOS): ps gives the same answer.
      return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    } catch {
      return '';
    }
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * The pid from the pid file if that process is alive and is ours, else null. Ours: its command
 * line carries `mark` (the JVM marker by default; the Go tools pass their config path).
 */
export function ourPid(pidFile, component, mark = marker(component)) {
  let pid;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return null;
  }
  if (!pid || !alive(pid)) return null;
  const cmd = commandLine(pid);
  // A zombie has an empty command line: it is gone as far as we are concerned.
  return cmd.includes(mark) ? pid : null;
}

/** True when something accepts connections or holds the address on host:port. */
export function portBusy(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.once('listening', () => server.close(() => resolve(false)));
    server.listen({ port, host, exclusive: true });
  });
}

/** The command line for the log, with the (very long) classpath cut down to a count. */
function printable(args) {
  return args
    .map((a, i) => (args[i - 1] === '-cp' ? `<${a.split(path.delimiter).length} jars>` : a))
    .join(' ');
}

/** Starts a command that outlives this Node process; its output goes to logFile. */
export function spawnDetached(cmd, args, { logFile, pidFile, cwd, env }) {
  const out = fs.openSync(logFile, 'a');
  fs.writeSync(out, `\n--- ${new Date().toISOString()} starting: ${cmd} ${printable(args)}\n`);
  const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  fs.writeFileSync(pidFile, `${child.pid}\n`);
  // Without unref the launcher (or jest's global setup) would wait for the JVM to exit.
  child.unref();
  return child.pid;
}

/** SIGTERM, then SIGKILL after graceMs. Resolves true when the process is gone. */
export async function stopPid(pid, graceMs) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return true;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive(pid) || commandLine(pid) === '') return true;
    await sleep(200);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  await sleep(500);
  return !alive(pid);
}

/** Resident memory of a pid in MiB (Linux only), for status output. */
export function rssMiB(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

export { sleep };
