/**
 * What Vigil did in a loop run, from the topics: incidents, root-cause revisions, plans and their
 * audit events for the services of one run (their prefix), over the last minutes. For finding
 * out why a fault of `bench:loop` was not healed.
 * `npx ts-node -T bench/loop/inspect-run.ts PREFIX [MINUTES]`
 */
import { decodeEvent, Topics } from '@vigil/contracts';
import { planSource } from '@vigil/action-catalog';
import { readTopic, testKafka } from '../../test/support/kafka-test-kit';
const prefix = process.argv[2] ?? '';
const since = Date.now() - Number(process.argv[3] ?? '20') * 60_000;
async function main() {
  const kafka = testKafka();
  const plans = new Set<string>();
  for (const m of await readTopic(kafka, Topics.incidents.name)) {
    const d = decodeEvent(Topics.incidents, m.value);
    if (
      !d.ok ||
      !d.value.incident.services.some((s) => s.startsWith(prefix)) ||
      Date.parse(d.value.at) < since
    )
      continue;
    console.log(
      'INC',
      d.value.at,
      d.value.type,
      d.value.incidentId,
      d.value.incident.title,
      d.value.incident.services.join(','),
    );
  }
  for (const m of await readTopic(kafka, Topics.rca.name)) {
    const d = decodeEvent(Topics.rca, m.value);
    if (!d.ok || Date.parse(d.value.generatedAt) < since) continue;
    const c = d.value.candidates.slice(0, 3);
    if (!c.some((x) => x.service.startsWith(prefix))) continue;
    console.log(
      'RCA',
      d.value.generatedAt,
      d.value.incidentId,
      d.value.revision,

      c.map((x) => `${x.service}:${x.score.toFixed(2)}`).join(' '),
    );
  }
  for (const m of await readTopic(kafka, Topics.remediationPlans.name)) {
    const d = decodeEvent(Topics.remediationPlans, m.value);
    if (
      !d.ok ||
      Date.parse(d.value.createdAt) < since ||
      !d.value.steps.some((s) => s.target.startsWith(prefix))
    )
      continue;
    plans.add(d.value.planId);
    console.log(
      'PLAN',
      d.value.createdAt,
      d.value.planId,
      d.value.faultClass,
      planSource(d.value.provenance),
      d.value.steps.map((s) => `${s.action}@${s.target}`).join(','),
    );
  }
  for (const m of await readTopic(kafka, Topics.remediationExecutions.name)) {
    const d = decodeEvent(Topics.remediationExecutions, m.value);
    if (!d.ok || Date.parse(d.value.at) < since) continue;
    if (!String(d.value.detail['target'] ?? '').startsWith(prefix) && !plans.has(d.value.planId))
      continue;
    console.log(
      'EXE',
      d.value.at,
      d.value.planId.slice(0, 12),
      d.value.type,
      d.value.stepId ?? '',
      JSON.stringify(d.value.detail).slice(0, 300),
    );
  }
  process.exit(0);
}
void main();
