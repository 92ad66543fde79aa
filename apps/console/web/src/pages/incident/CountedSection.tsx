// A card of the incident page: its title with how many things it holds, and a line saying so when
// it holds none.
import type { ReactNode } from 'react';

interface Props {
  title: string;
  count: number;
  /** Shown instead of the children when the count is 0. */
  empty: string;
  children: ReactNode;
}

export function CountedSection({ title, count, empty, children }: Props) {
  return (
    <section className="card">
      <h2>
        {title} <span className="count">{count}</span>
      </h2>
      {count === 0 ? <p className="empty">{empty}</p> : children}
    </section>
  );
}
