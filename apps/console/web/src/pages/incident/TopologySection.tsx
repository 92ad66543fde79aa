// The incident's neighbourhood in the topology, with the root cause and its path named above it.
import { TopologyGraph } from '../../components/topology/TopologyGraph';
import { explainingPath } from '../../lib/root-causes';
import type { IncidentTopology } from '../../lib/types';

interface Props {
  topology: IncidentTopology | null;
  error: string | null;
}

function RootCauseNote({ topology }: { topology: IncidentTopology }) {
  const path = explainingPath(topology.path);
  return (
    <span className="h-note">
      root cause <span className="mono">{topology.rootCause}</span>
      {path && (
        <>
          {' '}
          · path <span className="mono">{path}</span>
        </>
      )}
    </span>
  );
}

export function TopologySection({ topology, error }: Props) {
  return (
    <section className="card">
      <h2>
        Topology
        {topology?.rootCause && <RootCauseNote topology={topology} />}
      </h2>
      {error ? (
        <p className="feedback error">Could not load the topology: {error}</p>
      ) : topology ? (
        <TopologyGraph topology={topology} />
      ) : (
        <p className="empty">No topology for this incident.</p>
      )}
    </section>
  );
}
