// Overall pairwise figures of the correlator for configuration variants, on one corpus (embeddings
// are computed once and cached across variants), to see what a threshold buys:
//   npx ts-node bench/correlation/config-sweep.ts '[{}, {"relatedStartGapMs": 300000}]'   (SEED=... for another corpus)
import { generateCorpus } from './corpus-generator';
import { correlateAlerts, evaluateGrouping, type CorrelationConfig } from '@vigil/correlation';
import { CachedEmbedder, SentenceEmbedder } from '@vigil/embeddings';
async function main() {
  const seed = process.env.SEED;
  const corpus = generateCorpus(seed || undefined);
  const emb = new CachedEmbedder(await SentenceEmbedder.load(), { embedText: 'normalized' });
  const variants: Array<Partial<CorrelationConfig>> = JSON.parse(process.argv[2]);
  for (const v of variants) {
    const truth: string[] = [];
    const pred: string[] = [];
    const per: string[] = [];
    for (const sc of corpus.scenarios) {
      const { incidentOf } = await correlateAlerts(
        sc.alerts.map((a) => a.alert),
        { embed: (t) => emb.embed(t), topology: sc.topology, config: v },
      );
      const t = sc.alerts.map((a) => `${sc.id}|${a.truth}`);
      const p = incidentOf.map((id, i) => `${sc.id}|${id || 'u' + i}`);
      truth.push(...t);
      pred.push(...p);
      per.push(`${sc.id.slice(0, 3)}:${evaluateGrouping(t, p).f1.toFixed(2)}`);
    }
    const m = evaluateGrouping(truth, pred);
    console.log(
      JSON.stringify(v),
      `P=${m.precision.toFixed(3)} R=${m.recall.toFixed(3)} F1=${m.f1.toFixed(3)} inc=${m.predictedIncidents}/${m.trueIncidents}`,
      per.join(' '),
    );
  }
}
void main();
