// A layered (Sugiyama-style) layout for the incident's topology: callers above callees, following
// each edge's direction. Cycles are broken by reversing the DFS back edges for layering only (they
// are still drawn in their real direction, pointing up). Deterministic: the same graph gives the
// same picture whatever order its nodes and edges arrive in. Pure (no DOM).

export interface LayoutNodeInput {
  id: string;
  kind: string;
}

export interface LayoutEdgeInput {
  from: string;
  to: string;
  type: string;
}

export interface LayoutOptions {
  nodeHeight?: number;
  /** Vertical space between layers. */
  layerGap?: number;
  /** Horizontal space between nodes of a layer. */
  nodeGap?: number;
  /** Average label character width, px. */
  charWidth?: number;
  /** Label padding inside a box, each side, px. */
  paddingX?: number;
  minNodeWidth?: number;
  /** Labels longer than this many characters are cut with an ellipsis. */
  maxLabelChars?: number;
  margin?: number;
  /** Barycentre ordering passes (each a down and an up sweep). */
  sweeps?: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface PositionedNode {
  id: string;
  kind: string;
  label: string;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
  layer: number;
  /** Position within its layer, from the left. */
  order: number;
}

export interface PositionedEdge {
  from: string;
  to: string;
  type: string;
  /** Start and end of the edge on the boxes' borders, in the edge's real direction. */
  points: [Point, Point];
  /** Drawn against the layering (a cycle's back edge): it points up. */
  reversed: boolean;
  selfLoop: boolean;
  /** Where its label goes. */
  labelAt: Point;
}

export interface GraphLayout {
  nodes: PositionedNode[];
  edges: PositionedEdge[];
  /** Node ids by layer, left to right. */
  layers: string[][];
  width: number;
  height: number;
}

const DEFAULTS: Required<LayoutOptions> = {
  nodeHeight: 32,
  layerGap: 64,
  nodeGap: 28,
  charWidth: 7,
  paddingX: 14,
  minNodeWidth: 72,
  maxLabelChars: 28,
  margin: 24,
  sweeps: 4,
};

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function nodeLabel(id: string, maxChars: number): string {
  return id.length <= maxChars ? id : `${id.slice(0, Math.max(1, maxChars - 1))}…`;
}

export function layoutGraph(
  nodeInputs: readonly LayoutNodeInput[],
  edgeInputs: readonly LayoutEdgeInput[],
  options: LayoutOptions = {},
): GraphLayout {
  const o = { ...DEFAULTS, ...options };

  // 1. Nodes, sorted by id; an edge's unknown end becomes a node of kind 'unknown'.
  const kinds = new Map<string, string>();
  for (const n of [...nodeInputs].sort((a, b) => compare(a.id, b.id)))
    if (!kinds.has(n.id)) kinds.set(n.id, n.kind);
  for (const e of edgeInputs)
    for (const id of [e.from, e.to]) if (!kinds.has(id)) kinds.set(id, 'unknown');
  const ids = [...kinds.keys()].sort(compare);

  // 2. Edges, once each, sorted.
  const seen = new Set<string>();
  const edges = [...edgeInputs]
    .sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.type, b.type))
    .filter((e) => {
      const key = `${e.from}\u0000${e.to}\u0000${e.type}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });

  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of edges) {
    if (e.from === e.to) continue;
    const targets = out.get(e.from) as string[];
    if (!targets.includes(e.to)) {
      targets.push(e.to);
      indegree.set(e.to, (indegree.get(e.to) as number) + 1);
    }
  }
  for (const targets of out.values()) targets.sort(compare);

  // 3. Break cycles: a DFS (from sources first, then whatever is left, each in id order) marks
  //    the edges that close a cycle; layering uses them reversed.
  const backEdges = findBackEdges(ids, out, indegree);
  const dagOut = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [from, targets] of out)
    for (const to of targets) {
      const [a, b] = backEdges.has(`${from}\u0000${to}`) ? [to, from] : [from, to];
      const targets = dagOut.get(a) as string[];
      if (!targets.includes(b)) targets.push(b);
    }
  for (const targets of dagOut.values()) targets.sort(compare);

  // 4. Layers: longest path from the sources (Kahn's order, queue kept sorted).
  const layerOf = assignLayers(ids, dagOut);
  const layerCount = ids.length ? Math.max(...ids.map((id) => layerOf.get(id) as number)) + 1 : 0;
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  for (const id of ids) layers[layerOf.get(id) as number].push(id);

  // 5. Order within layers: barycentre sweeps against the neighbours' positions.
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [from, targets] of dagOut) for (const to of targets) preds.get(to)?.push(from);
  orderLayers(layers, preds, dagOut, o.sweeps);

  // 6. Coordinates: layers packed and centred, then each node pulled towards the middle of its
  //    callers (down) and callees (up) without overlapping its neighbours or changing the order.
  const label = (id: string) => nodeLabel(id, o.maxLabelChars);
  const widths = new Map(
    ids.map((id) => [
      id,
      Math.max(o.minNodeWidth, Math.ceil(label(id).length * o.charWidth + 2 * o.paddingX)),
    ]),
  );
  const w = (id: string) => widths.get(id) as number;
  const packed = layers.map(
    (layer) =>
      layer.reduce((sum, id) => sum + w(id), 0) + Math.max(0, layer.length - 1) * o.nodeGap,
  );
  const widest = packed.length ? Math.max(...packed) : 0;
  const left = new Map<string, number>();
  layers.forEach((layer, li) => {
    let x = (widest - packed[li]) / 2;
    for (const id of layer) {
      left.set(id, x);
      x += w(id) + o.nodeGap;
    }
  });
  const centre = (id: string) => (left.get(id) as number) + w(id) / 2;
  const pull = (layer: readonly string[], neighbours: ReadonlyMap<string, readonly string[]>) => {
    const want = layer.map((id) => {
      const ns = neighbours.get(id) ?? [];
      const target = ns.length ? ns.reduce((sum, n) => sum + centre(n), 0) / ns.length : centre(id);
      return target - w(id) / 2;
    });
    // the closest order-keeping, non-overlapping placement pushed right and pushed left,
    // averaged (both satisfy the spacing constraints, so their mean does too)
    const right = [...want];
    for (let i = 1; i < layer.length; i++)
      right[i] = Math.max(right[i], right[i - 1] + w(layer[i - 1]) + o.nodeGap);
    const leftward = [...want];
    for (let i = layer.length - 2; i >= 0; i--)
      leftward[i] = Math.min(leftward[i], leftward[i + 1] - w(layer[i]) - o.nodeGap);
    layer.forEach((id, i) => left.set(id, (right[i] + leftward[i]) / 2));
  };
  for (let li = 1; li < layers.length; li++) pull(layers[li], preds);
  for (let li = layers.length - 2; li >= 0; li--) pull(layers[li], dagOut);
  for (let li = 1; li < layers.length; li++) pull(layers[li], preds);

  const minX = ids.length ? Math.min(...ids.map((id) => left.get(id) as number)) : 0;
  const maxX = ids.length ? Math.max(...ids.map((id) => (left.get(id) as number) + w(id))) : 0;
  const innerWidth = maxX - minX;
  const placed = new Map<string, PositionedNode>();
  layers.forEach((layer, li) => {
    const y = o.margin + li * (o.nodeHeight + o.layerGap);
    layer.forEach((id, order) => {
      placed.set(id, {
        id,
        kind: kinds.get(id) as string,
        label: label(id),
        x: Math.round((left.get(id) as number) - minX + o.margin),
        y,
        width: w(id),
        height: o.nodeHeight,
        layer: li,
        order,
      });
    });
  });

  // 7. Edges: border to border; edges between the same two nodes are spread apart.
  const pairCount = new Map<string, number>();
  const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  for (const e of edges)
    pairCount.set(pairKey(e.from, e.to), (pairCount.get(pairKey(e.from, e.to)) ?? 0) + 1);
  const pairSeen = new Map<string, number>();
  const positionedEdges: PositionedEdge[] = edges.map((e) => {
    const a = placed.get(e.from) as PositionedNode;
    const b = placed.get(e.to) as PositionedNode;
    const key = pairKey(e.from, e.to);
    const index = pairSeen.get(key) ?? 0;
    pairSeen.set(key, index + 1);
    const spread = (index - ((pairCount.get(key) as number) - 1) / 2) * 12;
    if (e.from === e.to) {
      const right = a.x + a.width;
      const y0 = a.y + a.height * 0.3;
      const y1 = a.y + a.height * 0.7;
      return {
        ...e,
        points: [
          { x: right, y: y0 },
          { x: right, y: y1 },
        ],
        reversed: false,
        selfLoop: true,
        labelAt: { x: right + 22 + spread, y: a.y + a.height / 2 },
      };
    }
    const down = b.layer > a.layer;
    const start = { x: a.x + a.width / 2 + spread, y: down ? a.y + a.height : a.y };
    const end = { x: b.x + b.width / 2 + spread, y: down ? b.y : b.y + b.height };
    return {
      ...e,
      points: [start, end],
      reversed: !down,
      selfLoop: false,
      labelAt: { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 },
    };
  });

  const height = layerCount
    ? 2 * o.margin + layerCount * o.nodeHeight + (layerCount - 1) * o.layerGap
    : 2 * o.margin;
  return {
    nodes: ids.map((id) => placed.get(id) as PositionedNode),
    edges: positionedEdges,
    layers,
    width: 2 * o.margin + Math.ceil(innerWidth),
    height,
  };
}

function findBackEdges(
  ids: readonly string[],
  out: ReadonlyMap<string, readonly string[]>,
  indegree: ReadonlyMap<string, number>,
): Set<string> {
  const state = new Map<string, 'active' | 'done'>();
  const back = new Set<string>();
  const roots = [...ids.filter((id) => indegree.get(id) === 0), ...ids];
  for (const root of roots) {
    if (state.has(root)) continue;
    // iterative DFS: a frame is a node and the index of its next child
    const stack: Array<[string, number]> = [[root, 0]];
    state.set(root, 'active');
    while (stack.length) {
      const frame = stack[stack.length - 1];
      const [node, next] = frame;
      const children = out.get(node) ?? [];
      if (next >= children.length) {
        state.set(node, 'done');
        stack.pop();
        continue;
      }
      frame[1] = next + 1;
      const child = children[next];
      const s = state.get(child);
      if (s === 'active') back.add(`${node}\u0000${child}`);
      else if (s === undefined) {
        state.set(child, 'active');
        stack.push([child, 0]);
      }
    }
  }
  return back;
}

function assignLayers(
  ids: readonly string[],
  dagOut: ReadonlyMap<string, readonly string[]>,
): Map<string, number> {
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const targets of dagOut.values())
    for (const to of targets) indegree.set(to, (indegree.get(to) as number) + 1);
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => indegree.get(id) === 0);
  while (queue.length) {
    queue.sort(compare);
    const node = queue.shift() as string;
    for (const to of dagOut.get(node) ?? []) {
      layer.set(to, Math.max(layer.get(to) as number, (layer.get(node) as number) + 1));
      const left = (indegree.get(to) as number) - 1;
      indegree.set(to, left);
      if (left === 0) queue.push(to);
    }
  }
  return layer;
}

function orderLayers(
  layers: string[][],
  preds: ReadonlyMap<string, readonly string[]>,
  succs: ReadonlyMap<string, readonly string[]>,
  sweeps: number,
): void {
  // relative position (0..1) of each node in its layer, so long edges weigh like short ones
  const position = new Map<string, number>();
  const record = (layer: readonly string[]) =>
    layer.forEach((id, i) => position.set(id, layer.length > 1 ? i / (layer.length - 1) : 0.5));
  layers.forEach(record);

  const reorder = (layer: string[], neighbours: ReadonlyMap<string, readonly string[]>) => {
    const keyed = layer.map((id, i) => {
      const ns = (neighbours.get(id) ?? []).filter((n) => position.has(n));
      const current = layer.length > 1 ? i / (layer.length - 1) : 0.5;
      const bary = ns.length
        ? ns.reduce((sum, n) => sum + (position.get(n) as number), 0) / ns.length
        : current;
      return { id, bary, i };
    });
    keyed.sort((a, b) => a.bary - b.bary || a.i - b.i);
    keyed.forEach((k, i) => (layer[i] = k.id));
    record(layer);
  };

  for (let s = 0; s < sweeps; s++) {
    for (let li = 1; li < layers.length; li++) reorder(layers[li], preds);
    for (let li = layers.length - 2; li >= 0; li--) reorder(layers[li], succs);
  }
}

/**
 * The edges of an explaining path (root cause first, then towards the symptoms): the path may
 * run along or against an edge's direction, so both are accepted.
 */
export function pathEdgeKeys(path: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i + 1 < path.length; i++) {
    keys.add(`${path[i]}\u0000${path[i + 1]}`);
    keys.add(`${path[i + 1]}\u0000${path[i]}`);
  }
  return keys;
}

export function edgeKey(edge: Pick<LayoutEdgeInput, 'from' | 'to'>): string {
  return `${edge.from}\u0000${edge.to}`;
}
