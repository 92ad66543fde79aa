// One entity of the topology graph: a labelled box, ringed when it is the root cause, dotted
// when it is one of the incident's services.
import type { PositionedNode } from '../../lib/layout';
import { nodeClasses, nodeTitle, type NodeMarks } from '../../lib/topology-drawing';

export function TopologyNode({ node, marks }: { node: PositionedNode; marks: NodeMarks }) {
  const { root, path, incident } = marks;
  return (
    <g
      className={nodeClasses(node.kind, marks)}
      transform={`translate(${node.x} ${node.y})`}
      data-testid="topology-node"
      data-node-id={node.id}
      data-kind={node.kind}
      data-root-cause={root ? 'true' : undefined}
      data-on-path={path ? 'true' : undefined}
      data-incident-service={incident ? 'true' : undefined}
    >
      <title>{nodeTitle(node.id, node.kind, marks)}</title>
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
}
