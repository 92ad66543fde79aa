// What happened to the incident, in order: alerts, analyses, plans, decisions, executor events.
import { formatClock, formatTimestamp } from '../../lib/format';
import type { TimelineEntry } from '../../lib/types';
import { CountedSection } from './CountedSection';

export function TimelineSection({ timeline }: { timeline: readonly TimelineEntry[] }) {
  return (
    <CountedSection title="Timeline" count={timeline.length} empty="Nothing yet.">
      <ol className="timeline" data-testid="timeline">
        {timeline.map((t, i) => (
          <li key={i} className={`tl-${t.kind}`} data-testid="timeline-entry">
            <time dateTime={t.at} title={formatTimestamp(t.at)}>
              {formatClock(t.at)}
            </time>
            <span className={`pill tl-kind kind-${t.kind}`}>{t.kind}</span>
            <span className="tl-text">{t.text}</span>
          </li>
        ))}
      </ol>
    </CountedSection>
  );
}
