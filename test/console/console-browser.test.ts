import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { decodeEvent, Topics } from '@vigil/contracts';
import { GraphTestScope } from '@vigil/graph';
import type { EventPublisher } from '@vigil/messaging';
import { collectFromTopic, testKafka, testPublisher } from '../support/kafka-test-kit';
import { projectRoot } from '../support/project-root';
import { startProcess, startService, type ServiceProcess } from '../support/service-process';
import { incidentStory, PASSWORD, writeUsersFile } from './console-fixtures';

const runId = randomUUID().slice(0, 8);
const PORT = 3195;
const OIDC_PORT = 3194;
const base = `http://127.0.0.1:${PORT}`;
const uiDir = join(projectRoot, 'dist', 'console-web');
const artifacts = join(projectRoot, '.vigil', 'test-artifacts');

/** Debian's chromium through playwright-core; infra/test.sh finds or installs it. */
function browserPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(
      `no browser at ${path}: run \`bash infra/browser/ensure-chromium.sh\` or set CHROMIUM_PATH`,
    );
  return path;
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('incident-list').waitFor();
}

describe('console in a real browser', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let graph: GraphTestScope | undefined;
  let browser: Browser;
  const processes: ServiceProcess[] = [];
  const prefix = `b${runId}`;
  const story = incidentStory(prefix, `inc-${prefix}`);
  const incidentId = story.opened.incidentId;
  const planId = story.plan.planId;

  beforeAll(async () => {
    if (!existsSync(join(uiDir, 'index.html')))
      throw new Error(`no built UI in ${uiDir}: run \`npm run console:build\``);
    kafka = testKafka();
    publisher = await testPublisher(kafka);
    graph = new GraphTestScope(`${prefix}-`);
    const repository = graph.topology;
    const at = Date.now();
    for (const [name, kind] of [
      ['frontend', 'service'],
      ['checkout', 'service'],
      ['payment', 'service'],
      ['payment-db', 'database'],
      ['cart', 'service'],
    ] as const)
      await repository.upsertEntity({ id: story.svc(name), kind, properties: {} }, at);
    for (const [from, to, type] of [
      ['frontend', 'checkout', 'CALLS'],
      ['checkout', 'payment', 'CALLS'],
      ['checkout', 'cart', 'CALLS'],
      ['payment', 'payment-db', 'DEPENDS_ON'],
    ] as const)
      await repository.upsertEdge(
        { type, from: story.svc(from), to: story.svc(to), properties: {} },
        at,
      );
    const callback = `${base}/api/v1/auth/oidc/callback`;
    processes.push(
      await startProcess(
        'oidc test provider',
        [
          join('test', 'support', 'oidc-test-provider.mjs'),
          String(OIDC_PORT),
          'vigil-console',
          'test-secret',
          callback,
        ],
        { OIDC_TEST_GROUPS: JSON.stringify({ olga: ['sre-leads'], nora: ['marketing'] }) },
        `http://127.0.0.1:${OIDC_PORT}/.well-known/openid-configuration`,
      ),
    );
    processes.push(
      await startService(
        'console',
        {
          CONSOLE_PORT: String(PORT),
          CONSOLE_USERS_FILE: await writeUsersFile(),
          CONSOLE_OIDC_ISSUER: `http://127.0.0.1:${OIDC_PORT}`,
          CONSOLE_OIDC_CLIENT_ID: 'vigil-console',
          CONSOLE_OIDC_CLIENT_SECRET: 'test-secret',
          CONSOLE_OIDC_REDIRECT_URL: callback,
          CONSOLE_OIDC_NAME: 'Test SSO',
          CONSOLE_OIDC_ROLE_MAP: JSON.stringify({ 'sre-leads': 'approver' }),
          LOG_LEVEL: 'warn',
        },
        PORT,
      ),
    );
    browser = await chromium.launch({ executablePath: browserPath(), args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const p of processes.reverse()) await p.stop();
    await publisher?.disconnect();
    await graph?.close();
  });

  it('shows an incident produced through Kafka in the open list without a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'ann');
    // survives only if the page is never reloaded
    await page.evaluate('window.vigilNoReload = true');
    await publisher.publish(Topics.incidents, story.opened);
    const row = page.locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"]`);
    await row.waitFor({ timeout: 30_000 });
    await expect(row.textContent()).resolves.toContain(`checkout errors ${prefix}`);
    expect(await page.evaluate('window.vigilNoReload === true')).toBe(true);
    await page.close();
  });

  it('draws the topology with the root cause and its path highlighted, and the plan', async () => {
    await publisher.publish(Topics.rca, story.rca);
    await publisher.publish(Topics.remediationPlans, story.plan);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'ann');
    await page.goto(`${base}/incidents/${incidentId}`);
    await page
      .locator(`[data-testid="plan"][data-plan-id="${planId}"]`)
      .waitFor({ timeout: 30_000 });
    const graph = page.getByTestId('topology-graph');
    await graph.waitFor();
    const root = graph.locator('[data-testid="topology-node"][data-root-cause="true"]');
    await expect(root.getAttribute('data-node-id')).resolves.toBe(story.svc('payment-db'));
    const onPath = await graph
      .locator('[data-testid="topology-node"][data-on-path="true"]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node-id')).sort());
    expect(onPath).toEqual(
      [story.svc('checkout'), story.svc('payment'), story.svc('payment-db')].sort(),
    );
    await expect(page.getByTestId('rca-candidate').first().textContent()).resolves.toContain(
      story.svc('payment-db'),
    );
    mkdirSync(artifacts, { recursive: true });
    const shot = await page.screenshot({
      path: join(artifacts, 'console-incident-page.png'),
      fullPage: true,
    });
    // a PNG of a real page, not an empty one
    expect(shot.subarray(1, 4).toString()).toBe('PNG');
    expect(shot.length).toBeGreaterThan(30_000);
    await page.close();
  });

  it('refuses a viewer’s approve click, then records an approver’s on the topic', async () => {
    const viewer = await browser.newPage();
    await signIn(viewer, 'vic');
    await viewer.goto(`${base}/incidents/${incidentId}`);
    await viewer.getByTestId('approve-button').click();
    await expect(viewer.getByTestId('action-error').textContent()).resolves.toContain('viewer');
    await viewer.close();

    const approver = await browser.newPage();
    await signIn(approver, 'ann');
    await approver.goto(`${base}/incidents/${incidentId}`);
    await approver.getByTestId('approve-button').click();
    await approver.getByTestId('action-done').waitFor();
    await approver.close();

    // Read until the approver's decision: the viewer's refused click must not be before it.
    const messages = await collectFromTopic(
      kafka,
      Topics.remediationDecisions.name,
      (m) => m.key?.toString() === planId,
      (kept) => kept.some((m) => m.value?.toString().includes('"approver"')),
    );
    const decisions = messages.flatMap((m) => {
      const d = decodeEvent(Topics.remediationDecisions, m.value);
      return d.ok ? [d.value] : [];
    });
    expect(decisions.map((d) => [d.decision, d.by.user, d.by.role, d.via])).toEqual([
      ['approve', 'ann', 'approver', 'console'],
    ]);
  });

  it('signs in through the OIDC provider, with the role its groups give', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.getByText('Test SSO').click();
    await page.locator('input[name="login"]').fill('olga');
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click(); // the provider's consent
    await page.getByTestId('incident-list').waitFor();
    await expect(page.getByTestId('user-menu').textContent()).resolves.toMatch(/olga.*approver/s);

    // someone whose groups give no role is sent back to sign-in, told why
    const other = await browser.newPage();
    await other.goto(`${base}/login`);
    await other.getByText('Test SSO').click();
    await other.locator('input[name="login"]').fill('nora');
    await other.locator('input[name="password"]').fill('any');
    await other.locator('button[type="submit"]').click();
    await other.locator('button[type="submit"]').click();
    await other.getByTestId('login-error').waitFor();
    await expect(other.getByTestId('login-error').textContent()).resolves.toContain('no group');
  });
});
