// Preloaded into a service by `npm run bench:ingest -- --profile DIR` (node -r): samples the CPU
// from start to SIGWINCH (a signal Nest's shutdown hooks leave alone) and writes DIR/NAME.cpuprofile (open it in Chrome DevTools or read it with
// bench/ingest/profile-summary.ts). The inspector way, because a Nest app dies by its own signal,
// which --cpu-prof does not survive.
'use strict';
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.VIGIL_CPU_PROFILE_DIR;
const name = process.env.VIGIL_CPU_PROFILE_NAME || `pid-${process.pid}`;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable', () =>
    session.post('Profiler.setSamplingInterval', { interval: 1000 }, () =>
      session.post('Profiler.start'),
    ),
  );
  process.on('SIGWINCH', () =>
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(result.profile));
      process.stderr.write(`cpu profile written: ${name}\n`);
    }),
  );
}
