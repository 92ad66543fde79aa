// How the topology graph is drawn once laid out: edges as curves, their labels' places, and the
// classes and notes that mark a node. Pure: no DOM, so jest checks it.
import type { Point, PositionedEdge } from './layout';

const KINDS = ['service', 'instance', 'host', 'database', 'queue'] as const;

/** `kind-service`; `kind-unknown` for a kind the stylesheet has no colour for. */
export function kindClass(kind: string): string {
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

/** The SVG path of the edge's curve. */
export function edgePath(edge: PositionedEdge): string {
  const [a, c1, c2, b] = curve(edge);
  return `M ${a.x} ${a.y} C ${c1.x} ${c1.y}, ${c2.x} ${c2.y}, ${b.x} ${b.y}`;
}

/** Labels sit past the middle, where edges fanning out of one node have spread apart. */
export function labelPoint(edge: PositionedEdge): Point {
  if (edge.selfLoop) return edge.labelAt;
  const [a, c1, c2, b] = curve(edge);
  const t = 0.66;
  const u = 1 - t;
  const at = (p0: number, p1: number, p2: number, p3: number) =>
    u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
  return { x: at(a.x, c1.x, c2.x, b.x), y: at(a.y, c1.y, c2.y, b.y) };
}

export interface NodeMarks {
  /** The root cause. */
  root: boolean;
  /** On the root cause's explaining path. */
  path: boolean;
  /** One of the incident's services. */
  incident: boolean;
}

/** The node's classes: its kind and each mark it has. */
export function nodeClasses(kind: string, marks: NodeMarks): string {
  return [
    'node',
    kindClass(kind),
    marks.root ? 'root-cause' : '',
    marks.path ? 'on-path' : '',
    marks.incident ? 'incident-service' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The node's tooltip: `payment-db (database, root cause, in the incident)`. */
export function nodeTitle(id: string, kind: string, marks: NodeMarks): string {
  const notes = [
    kind,
    marks.root ? 'root cause' : '',
    marks.path && !marks.root ? 'on the explaining path' : '',
    marks.incident ? 'in the incident' : '',
  ].filter(Boolean);
  return `${id} (${notes.join(', ')})`;
}
