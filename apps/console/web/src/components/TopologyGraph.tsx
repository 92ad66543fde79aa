// The incident's neighbourhood as a hand-drawn SVG: layered boxes (callers above callees), edges
// as labelled arrows, the root cause ringed in red and its explaining path highlighted.
import { useId, useMemo } from 'react';
import { edgeKey, layoutGraph, pathEdgeKeys, type Point, type PositionedEdge } from '../lib/layout';
import type { IncidentTopology } from '../lib/types';

const KINDS = ['service', 'instance', 'host', 'database', 'queue'] as const;

function kindClass(kind: string): string {
  return (KINDS as readonly string[]).includes(kind) ? `kind-${kind}` : 'kind-unknown';
}

/** The edge as a cubic curve: start, two control points, end. */
function curve(edge: PositionedEdge): [Point, Point, Point, Point] {
  const [a, b] = edge.points;
  if (edge.selfLoop) return [a, { x: a.x + 34, y: a.y - 14 }, { x: b.x + 34, y: b.y + 14 }, b];
  const dy = (b.y - a.y) / 2;
  // an upward (cycle-closing) edge bows out to the side so it does not run over the others
  const bow = edge.reversed ? 48 : 0;
  return [a, { x: a.x + bow, y: a.y + dy }, { x: b.x + bow, y: b.y - dy }, b];
}

function edgePath(edge: PositionedEdge): string {
  const [a, c1, c2, b] = curve(edge);
  return `M ${a.x} ${a.y} C ${c1.x} ${c1.y}, ${c2.x} ${c2.y}, ${b.x} ${b.y}`;
}

/** Labels sit past the middle, where edges fanning out of one node have spread apart. */
function labelPoint(edge: PositionedEdge): Point {
  if (edge.selfLoop) return edge.labelAt;
  const [a, c1, c2, b] = curve(edge);
  const t = 0.66;
  const u = 1 - t;
  const at = (p0: number, p1: number, p2: number, p3: number) =>
    u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
  return { x: at(a.x, c1.x, c2.x, b.x), y: at(a.y, c1.y, c2.y, b.y) };
}

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
            <marker
              id={arrow}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerUnits="userSpaceOnUse"
              markerWidth="9"
              markerHeight="9"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head" />
            </marker>
            <marker
              id={arrowHot}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerUnits="userSpaceOnUse"
              markerWidth="9"
              markerHeight="9"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head hot" />
            </marker>
          </defs>
          <g className="edges">
            {layout.edges.map((edge) => {
              const hot = !edge.selfLoop && pathEdges.has(edgeKey(edge));
              return (
                <g
                  key={`${edge.from}\u0000${edge.to}\u0000${edge.type}`}
                  className={`edge${hot ? ' on-path' : ''}${edge.reversed ? ' back' : ''}`}
                  data-testid="topology-edge"
                  data-from={edge.from}
                  data-to={edge.to}
                  data-type={edge.type}
                  data-on-path={hot ? 'true' : undefined}
                >
                  <title>{`${edge.from} ${edge.type} ${edge.to}`}</title>
                  <path d={edgePath(edge)} markerEnd={`url(#${hot ? arrowHot : arrow})`} />
                  <text
                    x={labelPoint(edge).x}
                    y={labelPoint(edge).y}
                    className="edge-label"
                    textAnchor="middle"
                    dominantBaseline="middle"
                  >
                    {edge.type}
                  </text>
                </g>
              );
            })}
          </g>
          <g className="nodes">
            {layout.nodes.map((node) => {
              const root = node.id === topology.rootCause;
              const path = onPath.has(node.id);
              const incident = services.has(node.id);
              const classes = [
                'node',
                kindClass(node.kind),
                root ? 'root-cause' : '',
                path ? 'on-path' : '',
                incident ? 'incident-service' : '',
              ]
                .filter(Boolean)
                .join(' ');
              const notes = [
                node.kind,
                root ? 'root cause' : '',
                path && !root ? 'on the explaining path' : '',
                incident ? 'in the incident' : '',
              ].filter(Boolean);
              return (
                <g
                  key={node.id}
                  className={classes}
                  transform={`translate(${node.x} ${node.y})`}
                  data-testid="topology-node"
                  data-node-id={node.id}
                  data-kind={node.kind}
                  data-root-cause={root ? 'true' : undefined}
                  data-on-path={path ? 'true' : undefined}
                  data-incident-service={incident ? 'true' : undefined}
                >
                  <title>{`${node.id} (${notes.join(', ')})`}</title>
                  {root && (
                    <rect
                      className="root-ring"
                      x={-5}
                      y={-5}
                      width={node.width + 10}
                      height={node.height + 10}
                      rx={10}
                    />
                  )}
                  <rect className="box" width={node.width} height={node.height} rx={6} />
                  <text
                    x={node.width / 2}
                    y={node.height / 2}
                    textAnchor="middle"
                    dominantBaseline="central"
                    className="node-label"
                  >
                    {node.label}
                  </text>
                  {incident && (
                    <circle className="incident-dot" cx={node.width - 3} cy={3} r={5}>
                      <title>in the incident</title>
                    </circle>
                  )}
                </g>
              );
            })}
          </g>
        </svg>
      </div>
      <ul className="legend" aria-label="Legend">
        {kindsShown.map((kind) => (
          <li key={kind}>
            <span className={`swatch kind-${kind}`} /> {kind}
          </li>
        ))}
        <li>
          <span className="swatch ring" /> root cause
        </li>
        <li>
          <span className="swatch path" /> explaining path
        </li>
        <li>
          <span className="swatch dot" /> incident service
        </li>
      </ul>
    </div>
  );
}
