import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { shopAlertRules } from '@vigil/alert-rules';
import { projectRoot, vigilHome } from '../support/project-root';

// The demo's Prometheus and Alertmanager configs, checked by the pinned tools themselves.
// The tools are built from the Go module proxy on first use (infra/local/go-tools.mjs; cached in
// .vigil/bin afterwards): the first run takes minutes.
const bin = (name: string) => join(vigilHome, 'bin', name);
const prometheusDir = join(projectRoot, 'infra', 'demo', 'prometheus');
const alertmanagerConfig = join(projectRoot, 'infra', 'demo', 'alertmanager', 'alertmanager.yml');
const buildTimeoutMs = 30 * 60_000;

function ensureBuilt(tool: 'prometheus' | 'alertmanager'): void {
  // Builds only what is missing or does not match .vigil/bin/versions.json.
  execFileSync('node', [join(projectRoot, 'infra', 'local', 'go-tools.mjs'), '--only', tool], {
    stdio: 'inherit',
    timeout: buildTimeoutMs,
  });
}

function run(tool: string, args: string[]) {
  const r = spawnSync(bin(tool), args, { encoding: 'utf8', cwd: projectRoot });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

interface RuleFile {
  groups: {
    rules: {
      alert: string;
      for?: string;
      keep_firing_for?: string;
      labels?: Record<string, string>;
    }[];
  }[];
}

describe('the demo Prometheus and Alertmanager configs', () => {
  beforeAll(() => {
    ensureBuilt('alertmanager');
    ensureBuilt('prometheus');
  }, buildTimeoutMs * 2);

  it('builds promtool and amtool at the pinned versions', () => {
    expect(existsSync(bin('promtool'))).toBe(true);
    expect(run('promtool', ['--version']).output).toContain('version 3.16.0');
    expect(run('amtool', ['--version']).output).toContain('version 0.35.0');
  });

  it('passes promtool check config, rule files included', () => {
    const r = run('promtool', ['check', 'config', join(prometheusDir, 'prometheus.yml')]);
    expect(r.output).toContain('SUCCESS: 7 rules found');
    expect(r.status).toBe(0);
  });

  it('passes promtool check rules', () => {
    const r = run('promtool', ['check', 'rules', join(prometheusDir, 'shop-alert-rules.yml')]);
    expect(r.output).toContain('SUCCESS: 7 rules found');
    expect(r.status).toBe(0);
  });

  it('fires each rule on its fault and stays quiet on a healthy shop (promtool test rules)', () => {
    const r = run('promtool', ['test', 'rules', join(prometheusDir, 'shop-alert-rules.test.yml')]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('has the rules, holds and severities of the built-in ruler', () => {
    const file = parse(
      readFileSync(join(prometheusDir, 'shop-alert-rules.yml'), 'utf8'),
    ) as RuleFile;
    const rules = file.groups.flatMap((g) => g.rules);
    const seconds = (d: string | undefined) =>
      d === undefined ? 0 : d.endsWith('m') ? Number(d.slice(0, -1)) * 60 : Number(d.slice(0, -1));
    expect(
      rules.map((r) => ({
        alert: r.alert,
        severity: r.labels?.severity,
        forS: seconds(r.for),
        keepFiringForS: seconds(r.keep_firing_for),
      })),
    ).toEqual(
      shopAlertRules.map((r) => ({
        alert: r.alert,
        severity: r.severity,
        forS: r.for / 1000,
        keepFiringForS: (r.keepFiringFor ?? 0) / 1000,
      })),
    );
  });

  it('passes amtool check-config', () => {
    const r = run('amtool', ['check-config', alertmanagerConfig]);
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});
