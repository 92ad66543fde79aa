import type { Alert } from '@vigil/contracts';
import { fitTitle, incidentTitle, MAX_TITLE_LENGTH } from './incident-title';

const alert = (over: Partial<Alert>): Alert =>
  ({
    alertname: 'HighErrorRate',
    service: 'checkout',
    annotations: {},
    ...over,
  }) as Alert;

describe("an incident's title", () => {
  it('is the summary, else the summary annotation, else the name and service', () => {
    expect(incidentTitle(alert({ summary: 'checkout fails 5% of requests' }))).toBe(
      'checkout fails 5% of requests',
    );
    expect(incidentTitle(alert({ annotations: { summary: 'from the annotation' } }))).toBe(
      'from the annotation',
    );
    expect(incidentTitle(alert({}))).toBe('HighErrorRate on checkout');
  });

  it('skips a blank summary instead of opening an incident with no title', () => {
    expect(incidentTitle(alert({ summary: '  ', annotations: { summary: '' } }))).toBe(
      'HighErrorRate on checkout',
    );
  });

  it('cuts a summary longer than the incident contract allows, at a word, with an ellipsis', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const title = incidentTitle(alert({ summary: words }));
    expect(title.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
    expect(title.endsWith('…')).toBe(true);
    expect(words.startsWith(title.slice(0, -1))).toBe(true);
    expect(title.at(-2)).not.toBe(' ');
  });

  it("fits a split incident's title made of a long name and service", () => {
    const long = `${'A'.repeat(300)} on ${'s'.repeat(250)}`;
    expect(fitTitle(long)).toHaveLength(MAX_TITLE_LENGTH);
    expect(fitTitle('short')).toBe('short');
  });
});
