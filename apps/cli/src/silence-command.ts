import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Kafka } from 'kafkajs';
import {
  AlertPolicyState,
  formatMatchers,
  importAlertmanagerSilences,
  maintenanceFromRequest,
  MatcherError,
  parseInhibitionRules,
  PolicyError,
  silenceFromRequest,
  silenceState,
  windowState,
} from '@vigil/alert-policy';
import {
  decodeEvent,
  Topics,
  type AlertPolicyEvent,
  type MaintenanceWindow,
  type Silence,
} from '@vigil/contracts';
import { ensureTopics, EventPublisher, readTopicToEnd } from '@vigil/messaging';
import { readInputFile, readJsonFile } from './input-file';
import { commandKafka } from './command-clients';

type Change = Pick<AlertPolicyEvent, 'type'> & Record<string, unknown>;

/** A policy change from this terminal, by `--by` or the login name. */
export function cliPolicyEvent(by: string, change: Change, at = new Date()): AlertPolicyEvent {
  return {
    schemaVersion: 1,
    eventId: `cli-${randomUUID()}`,
    at: at.toISOString(),
    by: { user: by },
    via: 'cli',
    ...change,
  } as AlertPolicyEvent;
}

/** One line per silence: id, state, matchers, until when, by whom, why. */
export function silenceLine(silence: Silence, now: number): string {
  const state = silenceState(silence, now).toUpperCase().padEnd(8);
  return `${silence.id}  ${state} ${formatMatchers(silence.matchers)}  ${silence.startsAt} .. ${silence.endsAt}  by ${silence.createdBy}: ${silence.comment}`;
}

export function windowLine(window: MaintenanceWindow, state: string): string {
  const { schedule } = window;
  const when =
    schedule.kind === 'once'
      ? `${schedule.startsAt} .. ${schedule.endsAt}`
      : `${schedule.days.join(',')} ${schedule.start} ${schedule.timeZone} for ${schedule.durationMs / 60_000} min`;
  return `${window.id}  ${state.toUpperCase().padEnd(9)} ${window.mode.padEnd(17)} ${formatMatchers(window.matchers)}  ${when}  by ${window.createdBy}: ${window.comment}`;
}

/** The command's Kafka client, with the policy topic there: one per command, for reads and writes. */
async function policyKafka(command: string): Promise<Kafka> {
  const kafka = await commandKafka(command);
  await ensureTopics(kafka, [Topics.alertPolicy]);
  return kafka;
}

async function publish(kafka: Kafka, events: AlertPolicyEvent[]): Promise<void> {
  const publisher = new EventPublisher(kafka);
  try {
    await publisher.publishMany(Topics.alertPolicy, events);
  } finally {
    await publisher.disconnect();
  }
}

/** The policy as the topic tells it now. */
async function readPolicy(kafka: Kafka): Promise<AlertPolicyState> {
  const state = new AlertPolicyState();
  await readTopicToEnd(kafka, Topics.alertPolicy.name, (message) => {
    const decoded = decodeEvent(Topics.alertPolicy, message.value);
    if (decoded.ok) state.apply(decoded.value);
  });
  return state;
}

/** A matcher or time that cannot be used ends the command with the reason, not a stack. */
function checked<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof MatcherError || error instanceof PolicyError) {
      process.stderr.write(`vigil: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

const defaultUser = () => process.env['USER'] ?? userInfo().username;

interface AddOptions {
  for?: string;
  until?: string;
  starts?: string;
  comment: string;
  by: string;
}

async function addSilence(matchers: string[], options: AddOptions): Promise<void> {
  const silence = checked(() =>
    silenceFromRequest(
      {
        id: `sil-${randomUUID()}`,
        matchers,
        startsAt: options.starts,
        endsAt: options.until,
        duration: options.until ? undefined : (options.for ?? '1h'),
        comment: options.comment,
        createdBy: options.by,
      },
      Date.now(),
    ),
  );
  await publish(await policyKafka('vigil silence add'), [
    cliPolicyEvent(options.by, { type: 'silence.created', silence }),
  ]);
  console.log(silenceLine(silence, Date.now()));
}

async function listSilences(options: { all?: boolean }): Promise<void> {
  const state = await readPolicy(await policyKafka('vigil silence list'));
  const now = Date.now();
  const shown = [...state.silences.values()].filter(
    (s) => options.all || silenceState(s, now) !== 'expired',
  );
  if (shown.length === 0) console.log('no silences');
  for (const silence of shown) console.log(silenceLine(silence, now));
}

/**
 * Ends a silence or a maintenance window now, unless `refusal` says why not (there is none by
 * that id, it has ended already).
 */
async function expireNow(
  command: string,
  id: string,
  options: { by: string },
  refusal: (state: AlertPolicyState, now: number) => string | undefined,
  change: Change,
): Promise<void> {
  const kafka = await policyKafka(command);
  const refused = refusal(await readPolicy(kafka), Date.now());
  if (refused) throw new Error(refused);
  await publish(kafka, [cliPolicyEvent(options.by, change)]);
  console.log(`expired ${id}`);
}

async function expireSilence(id: string, options: { by: string }): Promise<void> {
  await expireNow(
    'vigil silence expire',
    id,
    options,
    (state, now) => {
      const silence = state.silences.get(id);
      if (!silence) return `no silence ${id}`;
      if (silenceState(silence, now) === 'expired') return `silence ${id} has already ended`;
      return undefined;
    },
    { type: 'silence.expired', silenceId: id },
  );
}

async function importSilences(file: string, options: { by: string }): Promise<void> {
  const json = readJsonFile(file);
  const result = checked(() => importAlertmanagerSilences(json, Date.now()));
  for (const skipped of result.skipped) console.warn(`skipped ${skipped.id}: ${skipped.reason}`);
  const kafka = await policyKafka('vigil silence import');
  const known = await readPolicy(kafka);
  const events = result.silences.map((silence) => ({
    ...cliPolicyEvent(options.by, {
      type: known.silences.has(silence.id) ? 'silence.updated' : 'silence.created',
      silence,
    }),
    via: 'import' as const,
  }));
  if (events.length > 0) await publish(kafka, events);
  console.log(`imported ${events.length} silences, skipped ${result.skipped.length}`);
}

interface MaintenanceOptions {
  mode: string;
  starts?: string;
  until?: string;
  for?: string;
  weekly?: string;
  at?: string;
  tz?: string;
  comment: string;
  by: string;
}

async function addMaintenance(matchers: string[], options: MaintenanceOptions): Promise<void> {
  const mode = options.mode === 'open-no-remediate' ? 'open-no-remediate' : 'suppress';
  if (options.mode !== mode) throw new Error(`--mode must be suppress or open-no-remediate`);
  const window = checked(() =>
    maintenanceFromRequest(
      {
        id: `mw-${randomUUID()}`,
        matchers,
        mode,
        comment: options.comment,
        createdBy: options.by,
        schedule: options.weekly
          ? {
              kind: 'weekly',
              days: options.weekly.split(','),
              start: options.at ?? '00:00',
              duration: options.for ?? '1h',
              timeZone: options.tz ?? 'UTC',
            }
          : {
              kind: 'once',
              startsAt: options.starts,
              endsAt: options.until,
              duration: options.until ? undefined : (options.for ?? '1h'),
            },
      },
      Date.now(),
    ),
  );
  await publish(await policyKafka('vigil maintenance add'), [
    cliPolicyEvent(options.by, { type: 'maintenance.created', window }),
  ]);
  console.log(windowLine(window, 'created'));
}

async function listMaintenance(options: { all?: boolean }): Promise<void> {
  const state = await readPolicy(await policyKafka('vigil maintenance list'));
  const now = Date.now();
  const shown = [...state.windows.values()]
    .map((entry) => ({ window: entry.window, state: windowState(entry, now) }))
    .filter((w) => options.all || w.state !== 'expired');
  if (shown.length === 0) console.log('no maintenance windows');
  for (const { window, state } of shown) console.log(windowLine(window, state));
}

async function expireMaintenance(id: string, options: { by: string }): Promise<void> {
  await expireNow(
    'vigil maintenance expire',
    id,
    options,
    (state, now) => {
      const entry = state.windows.get(id);
      if (!entry) return `no maintenance window ${id}`;
      if (windowState(entry, now) === 'expired') return `maintenance window ${id} is already over`;
      return undefined;
    },
    { type: 'maintenance.expired', windowId: id },
  );
}

async function setInhibitionRules(file: string, options: { by: string }): Promise<void> {
  const rules = checked(() => parseInhibitionRules(readInputFile(file)));
  await publish(await policyKafka('vigil inhibition set'), [
    cliPolicyEvent(options.by, { type: 'inhibition.replaced', rules }),
  ]);
  console.log(`${rules.length} inhibition rules in force`);
}

async function showInhibitionRules(): Promise<void> {
  const state = await readPolicy(await policyKafka('vigil inhibition show'));
  if (state.inhibitionRules.length === 0) console.log('no inhibition rules');
  for (const rule of state.inhibitionRules)
    console.log(
      `${formatMatchers(rule.sourceMatchers)} inhibits ${formatMatchers(rule.targetMatchers)} equal on [${rule.equal.join(', ')}]`,
    );
}

/** The `list [--all]` and `expire <id>` subcommands of silences and of maintenance windows. */
function listAndExpire(
  parent: Command,
  commands: {
    all: string;
    list: [string, (options: { all?: boolean }) => Promise<void>];
    expire: [string, (id: string, options: { by: string }) => Promise<void>];
  },
): void {
  const [listDescription, list] = commands.list;
  parent.command('list').option('--all', commands.all).description(listDescription).action(list);
  const [expireDescription, expire] = commands.expire;
  parent
    .command('expire')
    .argument('<id>')
    .option('--by <user>', 'who expires it', defaultUser())
    .description(expireDescription)
    .action(expire);
}

/** `vigil silence`, `vigil maintenance` and `vigil inhibition`: every change goes on the topic. */
export function registerSilenceCommands(program: Command): void {
  const silence = program
    .command('silence')
    .description(`silences in Alertmanager's matcher syntax (on ${Topics.alertPolicy.name})`);
  silence
    .command('add')
    .argument(
      '<matchers...>',
      'e.g. \'service="db"\' \'env=~"prod.*"\', or one {a="b", c!="d"} list',
    )
    .option('--for <duration>', 'how long, like 90m, 2h, 1d (default 1h)')
    .option('--until <time>', 'ISO end time instead of --for')
    .option('--starts <time>', 'ISO start time (default now)')
    .option('-c, --comment <text>', 'why', '')
    .option('--by <user>', 'who creates it', defaultUser())
    .description('silence matching alerts: they open and extend no incident')
    .action(addSilence);
  listAndExpire(silence, {
    all: 'also the ones that ended',
    list: ['the silences in force or pending', listSilences],
    expire: ['end a silence now', expireSilence],
  });
  silence
    .command('import')
    .argument('<file>', "the JSON of Alertmanager's GET /api/v2/silences")
    .option('--by <user>', 'who imports', defaultUser())
    .description("import Alertmanager's silences (expired ones are skipped)")
    .action(importSilences);

  const maintenance = program
    .command('maintenance')
    .description('maintenance windows: one-off or weekly, in a time zone');
  maintenance
    .command('add')
    .argument('<matchers...>', 'as for silence add')
    .option('--mode <mode>', 'suppress (no incident) or open-no-remediate', 'suppress')
    .option('--starts <time>', 'one-off: ISO start (default now)')
    .option('--until <time>', 'one-off: ISO end instead of --for')
    .option('--for <duration>', 'how long each time, like 2h (default 1h)')
    .option('--weekly <days>', 'recurring on these days, e.g. tue,thu')
    .option('--at <HH:MM>', 'recurring: local start time (default 00:00)')
    .option('--tz <zone>', 'recurring: IANA time zone (default UTC)')
    .option('-c, --comment <text>', 'why', '')
    .option('--by <user>', 'who creates it', defaultUser())
    .description('declare planned work on matching alerts')
    .action(addMaintenance);
  listAndExpire(maintenance, {
    all: 'also the ones that are over',
    list: ['the maintenance windows not over', listMaintenance],
    expire: ['end a maintenance window now', expireMaintenance],
  });

  const inhibition = program
    .command('inhibition')
    .description("inhibition rules in Alertmanager's YAML form");
  inhibition
    .command('set')
    .argument('<file>', 'an Alertmanager config or a list of inhibit rules (YAML)')
    .option('--by <user>', 'who sets them', defaultUser())
    .description('replace the inhibition rules')
    .action(setInhibitionRules);
  inhibition.command('show').description('the rules in force').action(showInhibitionRules);
}
