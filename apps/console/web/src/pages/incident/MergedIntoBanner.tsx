import { incidentPath } from '../../lib/routes';
import { Link } from '../../router';

/** Said when the correlator merged this incident into another: that one is where work goes on. */
export function MergedIntoBanner({ into }: { into: string }) {
  return (
    <p className="banner">
      This incident was merged into{' '}
      <Link to={incidentPath(into)} className="mono">
        {into}
      </Link>
      .
    </p>
  );
}
