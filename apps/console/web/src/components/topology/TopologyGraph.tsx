// The incident's neighbourhood as a hand-drawn SVG: layered boxes (callers above callees), edges
// as labelled arrows, the root cause ringed in red and its explaining path highlighted.
import { useId, useMemo } from 'react';
import { edgeKey, layoutGraph, pathEdgeKeys } from '../../lib/layout';
import { kindClass } from '../../lib/topology-drawing';
import type { IncidentTopology } from '../../lib/types';
import { ArrowMarker } from './ArrowMarker';
import { TopologyEdge } from './TopologyEdge';
import { TopologyLegend } from './TopologyLegend';
import { TopologyNode } from './TopologyNode';

export function TopologyGraph({ topology }: { topology: IncidentTopology }) {
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  const layout = useMemo(
    () => layoutGraph(topology.nodes, topology.edges),
    [topology.nodes, topology.edges],
  );
  const onPath = useMemo(() => new Set(topology.path), [topology.path]);
  const pathEdges = useMemo(() => pathEdgeKeys(topology.path), [topology.path]);
  const services = useMemo(() => new Set(topology.services), [topology.services]);
  const kindsShown = useMemo(
    () => [...new Set(layout.nodes.map((n) => kindClass(n.kind).slice(5)))].sort(),
    [layout.nodes],
  );

  if (!layout.nodes.length)
    return <p className="empty">No topology is known for this incident&apos;s services.</p>;

  const arrow = `arrow-${uid}`;
  const arrowHot = `arrow-hot-${uid}`;
  return (
    <div className="topology">
      <div className="topology-scroll">
        <svg
          data-testid="topology-graph"
          className="topology-svg"
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="img"
          aria-label={`Topology: ${layout.nodes.length} entities, ${layout.edges.length} edges${topology.rootCause ? `, root cause ${topology.rootCause}` : ''}`}
        >
          <defs>
            <ArrowMarker id={arrow} hot={false} />
            <ArrowMarker id={arrowHot} hot />
          </defs>
          <g className="edges">
            {layout.edges.map((edge) => {
              const hot = !edge.selfLoop && pathEdges.has(edgeKey(edge));
              return (
                <TopologyEdge
                  key={`${edge.from}\u0000${edge.to}\u0000${edge.type}`}
                  edge={edge}
                  hot={hot}
                  arrow={hot ? arrowHot : arrow}
                />
              );
            })}
          </g>
          <g className="nodes">
            {layout.nodes.map((node) => (
              <TopologyNode
                key={node.id}
                node={node}
                marks={{
                  root: node.id === topology.rootCause,
                  path: onPath.has(node.id),
                  incident: services.has(node.id),
                }}
              />
            ))}
          </g>
        </svg>
      </div>
      <TopologyLegend kinds={kindsShown} />
    </div>
  );
}
