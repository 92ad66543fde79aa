// The README table of bench:feedback (bench/results/feedback.json), for bench/results/results-tables.ts.
import { markdownTable } from './results/markdown-table';

/** Pairwise figures of one grouping. */
export interface FeedbackFigures {
  alerts: number;
  incidents: number;
  trueIncidents: number;
  precision: number;
  recall: number;
  f1: number;
  macroPurity: number;
}

export interface FeedbackResults {
  date: string;
  seed: string;
  scenarios: number;
  alerts: number;
  mistakesPerScenario: number;
  corrections: { merge: number; split: number };
  learnedPairs: { join: number; apart: number };
  /** Second half of each scenario: the alerts after the corrections. */
  later: { before: FeedbackFigures; after: FeedbackFigures };
  /** Every alert, replayed again with what was learned. */
  whole: { before: FeedbackFigures; after: FeedbackFigures };
  perScenario: Array<{
    id: string;
    corrections: number;
    laterF1Before: number;
    laterF1After: number;
  }>;
}

const f3 = (x: number) => x.toFixed(3);

/** Without and with people's corrections: on the alerts after them, and on the whole replay. */
export function renderFeedback(results: FeedbackResults): string {
  const row = (what: string, pair: FeedbackResults['later'], which: 'before' | 'after') => {
    const x = pair[which];
    return [
      what,
      which === 'before' ? 'without feedback' : 'with feedback',
      `${x.incidents} vs ${x.trueIncidents}`,
      `${f3(x.precision)} / ${f3(x.recall)} / ${which === 'after' ? `**${f3(x.f1)}**` : f3(x.f1)}`,
      f3(x.macroPurity),
    ];
  };
  const worse = results.perScenario.filter((s) => s.laterF1After < s.laterF1Before).length;
  return [
    markdownTable(
      ['alerts', 'correlator', 'incidents found vs truth', 'P / R / F1', 'macro purity'],
      [
        row('later (second half of each scenario)', results.later, 'before'),
        row('later (second half of each scenario)', results.later, 'after'),
        row('all, replayed again', results.whole, 'before'),
        row('all, replayed again', results.whole, 'after'),
      ],
    ),
    `${results.scenarios} scenarios, ${results.alerts} alerts. A simulated responder corrected the first ${results.mistakesPerScenario} mistakes of each scenario's first half (${results.corrections.merge} merges, ${results.corrections.split} splits; ${results.learnedPairs.join} joined and ${results.learnedPairs.apart} parted pairs of alert kinds learned, kept for the scenarios after). "Later" alerts came after the corrections and none was corrected; scenarios worse with feedback: ${worse}. Run of ${results.date}, from \`bench/results/feedback.json\` (\`npm run bench:feedback\`).`,
  ].join('\n\n');
}
