import { renderFeedback, type FeedbackFigures } from './feedback-table';

const figures = (f1: number, incidents: number): FeedbackFigures => ({
  alerts: 100,
  incidents,
  trueIncidents: 40,
  precision: 0.9,
  recall: 0.8,
  f1,
  macroPurity: 0.95,
});

describe('the feedback table', () => {
  it('shows without and with feedback on later alerts and on the whole replay, and what was learned', () => {
    const text = renderFeedback({
      date: '2026-12-03',
      seed: 's',
      scenarios: 2,
      alerts: 200,
      mistakesPerScenario: 10,
      corrections: { merge: 3, split: 7 },
      learnedPairs: { join: 30, apart: 12 },
      later: { before: figures(0.9, 41), after: figures(0.95, 40) },
      whole: { before: figures(0.91, 39), after: figures(0.97, 40) },
      perScenario: [
        { id: 'a', corrections: 4, laterF1Before: 0.9, laterF1After: 0.95 },
        { id: 'b', corrections: 6, laterF1Before: 0.9, laterF1After: 0.8 },
      ],
    });
    const rows = text.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(6);
    expect(rows[2]).toContain('without feedback');
    expect(rows[2]).toContain('41 vs 40');
    expect(rows[3]).toContain('0.900 / 0.800 / **0.950**');
    expect(rows[5]).toContain('**0.970**');
    expect(text).toContain('first 10 mistakes');
    expect(text).toContain('3 merges, 7 splits');
    expect(text).toContain('scenarios worse with feedback: 1');
  });
});
