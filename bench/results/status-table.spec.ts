import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderStatus, STATUS_INPUTS, type StatusInputs } from './status-table';

const committed = (): Required<StatusInputs> =>
  Object.fromEntries(
    STATUS_INPUTS.map((name) => [
      name,
      JSON.parse(readFileSync(join(__dirname, `${name}.json`), 'utf8')) as unknown,
    ]),
  ) as Required<StatusInputs>;

function must<T>(x: T | undefined): T {
  if (x === undefined) throw new Error('the committed file lacks a figure this spec reads');
  return x;
}

/** The State cell of the row whose Part starts with `part`. */
function stateOf(table: string, part: string): string {
  const line = table.split('\n').find((l) => l.startsWith(`| ${part}`));
  if (!line) throw new Error(`no row ${part}`);
  return line.split(' | ')[1].replace(/\|$/, '').trim();
}

describe('the README status table, from the result files', () => {
  it("says the loop's wrong targets as the latest run counted them", () => {
    const inputs = committed();
    const demo = must(inputs.loop.summary.find((s) => s.policy === 'demo' && s.family === 'all'));
    demo.wrongTargets = 1;
    demo.healed = demo.faults - 1;
    const loop = stateOf(renderStatus(inputs), 'The closed loop');
    expect(loop).toContain('demo policy, restart-curable faults');
    expect(loop).toContain(`${demo.faults - 1}/${demo.faults} healed`);
    expect(loop).toContain('1 wrong target,');
    // the production run kept beside it says its own alerting
    expect(loop).toContain(
      'production policy, restart-proof and novel faults, alerts from apps/ruler',
    );
  });

  it('judges the Nezha figures against the targets, system by system', () => {
    const inputs = committed();
    const figure = must(
      inputs['rca-real'].figures.find(
        (f) =>
          f.system === 'train-ticket' &&
          f.method === 'vigil' &&
          f.faultType === 'all' &&
          f.lateS === 0,
      ),
    );
    figure.metrics = { ...figure.metrics, ac1: 0.79, ac3: 0.96 };
    const rca = stateOf(renderStatus(inputs), '`apps/signals`');
    expect(rca).toContain('0.79 Train Ticket (AC@3 0.96)');
    expect(rca).toContain('Train Ticket AC@1 ≥ 0.80 not met, AC@3 ≥ 0.95 met');
  });

  it('names the compiled services that start too slowly, and the soak service that grew most', () => {
    const inputs = committed();
    for (const s of inputs.startup.services) s.compiled.readyS = 1;
    inputs.startup.services[0].compiled.readyS = 2.5;
    inputs.soak.growth = { ingest: { fromMiB: 100, toMiB: 112, percent: 12 } };
    const table = renderStatus(inputs);
    expect(stateOf(table, 'Monitoring stack')).toContain(
      `ready in < 2 s but ${inputs.startup.services[0].name} (2.5 s)`,
    );
    expect(stateOf(table, 'Reliability')).toContain(
      'at most +12.0% (ingest), target < 10%: not met',
    );
  });

  it('counts a faults trial that lost or doubled anything', () => {
    const inputs = committed();
    inputs.faults.trials[0].plansDuplicated = 1;
    expect(stateOf(renderStatus(inputs), 'Reliability')).toContain(
      `faults bench: 1 of ${inputs.faults.trials.length} trials lost, doubled or dead-lettered something`,
    );
  });

  it('says which bench to run where a result file is missing, and keeps the parts that have none', () => {
    const table = renderStatus({});
    expect(stateOf(table, 'The closed loop')).toContain(
      'no result file yet (`npm run bench:loop`)',
    );
    expect(stateOf(table, 'Security')).toContain('`npm run bench:guardrails`');
    expect(stateOf(table, 'Workspace')).toBe('done');
  });
});
