// Self time by function (and by file) of a .cpuprofile, heaviest first:
//   npx ts-node bench/ingest/profile-summary.ts FILE.cpuprofile [top]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const repositoryRoot = `${resolve(__dirname, '..', '..')}/`;

/** A frame's file: from its package in node_modules, else from the repository root. */
export function frameFile(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inPackage = path.replace(/^.*node_modules\//, '');
  if (inPackage !== path) return inPackage;
  return (path.startsWith(repositoryRoot) ? path.slice(repositoryRoot.length) : path) || '(native)';
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function selfTimes(profile: Profile): {
  byFunction: Map<string, number>;
  byFile: Map<string, number>;
  totalMs: number;
} {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    const file = frameFile(frame.url);
    const fn = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    const pkg = file.startsWith('(')
      ? file
      : file
          .split('/')
          .slice(0, file.startsWith('@') ? 2 : 1)
          .join('/');
    byFile.set(pkg, (byFile.get(pkg) ?? 0) + ms);
  });
  return { byFunction, byFile, totalMs };
}

if (require.main === module) {
  const [file, top = '30'] = process.argv.slice(2);
  const { byFunction, byFile, totalMs } = selfTimes(
    JSON.parse(readFileSync(file, 'utf8')) as Profile,
  );
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(top)))
      console.log(
        `  ${((100 * ms) / totalMs).toFixed(1).padStart(5)}%  ${Math.round(ms).toString().padStart(7)} ms  ${name}`,
      );
  };
  console.log(`${file}: ${Math.round(totalMs)} ms sampled`);
  print('self time by package or file', byFile);
  print('self time by function', byFunction);
}
