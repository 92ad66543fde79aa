import { z } from 'zod';
import type { IncidentNotification } from './notification-event';

const name = z.string().trim().min(1).max(200);
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** Where notifications go; each kind takes the fields its vendor's API needs. */
export const receiverSchema = z.discriminatedUnion('kind', [
  z.object({
    name,
    kind: z.literal('slack'),
    /** A channel id (C0123ABC) or #name the bot is a member of. */
    channel: name,
    /** The bot token (xoxb-…) for chat.postMessage. */
    token: z.string().min(1),
    apiUrl: url.default('https://slack.com/api/'),
  }),
  z.object({
    name,
    kind: z.literal('pagerduty'),
    /** The integration key of an Events API v2 integration on a PagerDuty service. */
    routingKey: z.string().min(1),
    url: url.default('https://events.pagerduty.com/v2/enqueue'),
  }),
  z.object({
    name,
    kind: z.literal('opsgenie'),
    apiKey: z.string().min(1),
    /** https://api.eu.opsgenie.com for the EU instance. */
    apiUrl: url.default('https://api.opsgenie.com'),
  }),
  z.object({
    name,
    kind: z.literal('webhook'),
    url,
    /** The HMAC-SHA256 key the receiver checks `X-Vigil-Signature` with. */
    secret: z.string().min(16, 'must be at least 16 characters'),
  }),
]);
export type Receiver = z.infer<typeof receiverSchema>;

/** An incident matches a route when it matches every field the route sets (none set: all match). */
export const routeSchema = z.object({
  receiver: name,
  services: z.array(name).optional(),
  teams: z.array(name).optional(),
  severities: z.array(z.enum(['critical', 'error', 'warning', 'info'])).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  /** As in Alertmanager: after a match, look on at the next routes instead of stopping. */
  continue: z.boolean().default(false),
});
export type Route = z.infer<typeof routeSchema>;

/** The routes file (YAML or JSON). */
export const notificationConfigSchema = z
  .object({
    receivers: z.array(receiverSchema).min(1),
    /** Team name -> the services it owns. */
    teams: z.record(z.string(), z.array(name)).default({}),
    routes: z.array(routeSchema).default([]),
    /** Where an incident no route matched goes; unset: nowhere. */
    defaultReceiver: name.optional(),
  })
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    for (const r of config.receivers) {
      if (names.has(r.name)) ctx.addIssue({ code: 'custom', message: `receiver ${r.name} twice` });
      names.add(r.name);
    }
    const used = [...config.routes.map((r) => r.receiver), config.defaultReceiver ?? []].flat();
    for (const receiver of used)
      if (!names.has(receiver))
        ctx.addIssue({ code: 'custom', message: `route names unknown receiver ${receiver}` });
  });
export type NotificationConfig = z.infer<typeof notificationConfigSchema>;

/** Validates a parsed routes file; the error names the field at fault. */
export function parseNotificationConfig(input: unknown): NotificationConfig {
  const parsed = notificationConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`routes file: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
}

function matches(route: Route, n: IncidentNotification, config: NotificationConfig): boolean {
  if (route.services && !n.services.some((s) => route.services?.includes(s))) return false;
  if (route.severities && !route.severities.includes(n.severity)) return false;
  if (route.teams) {
    const owned = route.teams.flatMap((team) => config.teams[team] ?? []);
    if (!n.services.some((s) => owned.includes(s))) return false;
  }
  for (const [label, value] of Object.entries(route.labels ?? {}))
    if (n.labels[label] !== value) return false;
  return true;
}

/**
 * The receivers an incident goes to, Alertmanager-like: routes are tried in order, the first match
 * wins unless it says `continue`; no match goes to the default receiver. Each receiver once.
 */
export function route(n: IncidentNotification, config: NotificationConfig): Receiver[] {
  const chosen: string[] = [];
  for (const r of config.routes) {
    if (!matches(r, n, config)) continue;
    chosen.push(r.receiver);
    if (!r.continue) break;
  }
  if (chosen.length === 0 && config.defaultReceiver) chosen.push(config.defaultReceiver);
  const unique = [...new Set(chosen)];
  return unique.flatMap((name) => config.receivers.filter((r) => r.name === name));
}
