// Past incidents like this one, from the incident store: what they were, how they ended, why they
// look alike, and their postmortems. Hidden until the store holds this incident.
import { useEffect, useState } from 'react';
import { api, isAbort } from '../../api';
import { formatTimestamp } from '../../lib/format';
import type { SimilarIncident } from '../../lib/types';
import { CountedSection } from './CountedSection';
import './similar.css';

function useSimilar(id: string): SimilarIncident[] | null {
  const [similar, setSimilar] = useState<SimilarIncident[] | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    api.similar(id, abort.signal).then(
      (answer) => setSimilar(answer.similar),
      (e: unknown) => {
        // not stored yet (404) or the store unreachable: the page goes on without the section
        if (!isAbort(e)) setSimilar(null);
      },
    );
    return () => abort.abort();
  }, [id]);
  return similar;
}

export function SimilarSection({ id }: { id: string }) {
  const similar = useSimilar(id);
  if (!similar) return null;
  return (
    <CountedSection title="Similar past incidents" count={similar.length} empty="None found.">
      <ul className="similar-list" data-testid="similar-incidents">
        {similar.map((s) => (
          <li key={s.id} data-testid="similar-incident">
            <div>
              <strong>{s.title}</strong>{' '}
              <span className="muted">
                <time dateTime={s.openedAt}>{formatTimestamp(s.openedAt)}</time>
                {s.planState ? `, plan ${s.planState}` : ''}
                {s.resolvedAt ? ', resolved' : ''}
              </span>
            </div>
            <div className="muted">{s.reasons.join('; ')}</div>
            <a href={`/api/v1/history/incidents/${encodeURIComponent(s.id)}/postmortem`}>
              postmortem
            </a>
          </li>
        ))}
      </ul>
    </CountedSection>
  );
}
