import { Link, remembered } from '../../router';

/** Back to the list, with the filters it last showed. */
export function BackToIncidents() {
  return (
    <Link to={`/${remembered.listSearch}`} className="back">
      ← Incidents
    </Link>
  );
}
