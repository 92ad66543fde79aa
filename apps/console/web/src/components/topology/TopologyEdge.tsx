// One edge of the topology graph: a labelled arrow, highlighted on the explaining path.
import type { PositionedEdge } from '../../lib/layout';
import { edgePath, labelPoint } from '../../lib/topology-drawing';

interface Props {
  edge: PositionedEdge;
  /** On the root cause's explaining path. */
  hot: boolean;
  /** The id of the arrow marker to end it with. */
  arrow: string;
}

export function TopologyEdge({ edge, hot, arrow }: Props) {
  const label = labelPoint(edge);
  return (
    <g
      className={`edge${hot ? ' on-path' : ''}${edge.reversed ? ' back' : ''}`}
      data-testid="topology-edge"
      data-from={edge.from}
      data-to={edge.to}
      data-type={edge.type}
      data-on-path={hot ? 'true' : undefined}
    >
      <title>{`${edge.from} ${edge.type} ${edge.to}`}</title>
      <path d={edgePath(edge)} markerEnd={`url(#${arrow})`} />
      <text
        x={label.x}
        y={label.y}
        className="edge-label"
        textAnchor="middle"
        dominantBaseline="middle"
      >
        {edge.type}
      </text>
    </g>
  );
}
