import {
  layoutGraph,
  pathEdgeKeys,
  type GraphLayout,
  type LayoutEdgeInput,
  type LayoutNodeInput,
  type PositionedNode,
} from './layout';

const calls = (from: string, to: string): LayoutEdgeInput => ({ from, to, type: 'CALLS' });
const service = (id: string): LayoutNodeInput => ({ id, kind: 'service' });

/** The layout's nodes by id; a missing node fails the test. */
function byId(layout: GraphLayout) {
  const nodes = new Map(layout.nodes.map((n) => [n.id, n]));
  return {
    get(id: string): PositionedNode {
      const node = nodes.get(id);
      if (!node) throw new Error(`no node ${id} in the layout`);
      return node;
    },
  };
}

function edge(layout: GraphLayout, from: string, to: string) {
  const found = layout.edges.find((e) => e.from === from && e.to === to);
  if (!found) throw new Error(`no edge ${from} -> ${to}`);
  return found;
}

function expectNoOverlap(layout: GraphLayout) {
  const nodes = layout.nodes;
  for (let i = 0; i < nodes.length; i++)
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i];
      const b = nodes[j];
      const apart =
        a.x + a.width <= b.x ||
        b.x + b.width <= a.x ||
        a.y + a.height <= b.y ||
        b.y + b.height <= a.y;
      expect(apart).toBe(true);
    }
  for (const n of nodes) {
    expect(n.x).toBeGreaterThanOrEqual(0);
    expect(n.y).toBeGreaterThanOrEqual(0);
    expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
    expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
  }
}

describe('layoutGraph', () => {
  const nodes = ['frontend', 'checkout', 'cart', 'payments', 'payments-db', 'redis'].map(service);
  const edges = [
    calls('frontend', 'checkout'),
    calls('frontend', 'cart'),
    calls('checkout', 'payments'),
    calls('checkout', 'cart'),
    calls('payments', 'payments-db'),
    calls('cart', 'redis'),
    { from: 'payments-db', to: 'host-1', type: 'RUNS_ON' },
  ];

  it('puts callers above callees along every edge', () => {
    const layout = layoutGraph(nodes, edges);
    const at = byId(layout);
    for (const e of edges) expect(at.get(e.from).y).toBeLessThan(at.get(e.to).y);
    expect(layout.edges.every((e) => !e.reversed)).toBe(true);
    expect(at.get('frontend').layer).toBe(0);
    // the longest path decides: cart is called by frontend and by checkout
    expect(at.get('cart').layer).toBe(2);
    expectNoOverlap(layout);
  });

  it('is deterministic whatever the input order', () => {
    const first = layoutGraph(nodes, edges);
    const shuffled = layoutGraph([...nodes].reverse(), [...edges].reverse());
    expect(shuffled).toEqual(first);
    expect(layoutGraph(nodes, edges)).toEqual(first);
  });

  it('adds nodes that only edges mention, as unknown', () => {
    const layout = layoutGraph(nodes, edges);
    expect(byId(layout).get('host-1').kind).toBe('unknown');
  });

  it('handles cycles: every node placed once, one edge drawn upwards', () => {
    const cycle = [calls('a', 'b'), calls('b', 'c'), calls('c', 'a'), calls('entry', 'a')];
    const layout = layoutGraph(['a', 'b', 'c', 'entry'].map(service), cycle);
    expect(layout.nodes.map((n) => n.id).sort()).toEqual(['a', 'b', 'c', 'entry']);
    const at = byId(layout);
    expect(at.get('entry').y).toBeLessThan(at.get('a').y);
    expect(at.get('a').y).toBeLessThan(at.get('b').y);
    expect(at.get('b').y).toBeLessThan(at.get('c').y);
    const up = layout.edges.filter((e) => e.reversed);
    expect(up.map((e) => `${e.from}->${e.to}`)).toEqual(['c->a']);
    // the upward edge leaves its source from the top and enters its target from below
    const [start, end] = up[0].points;
    expect(start.y).toBe(at.get('c').y);
    expect(end.y).toBe(at.get('a').y + at.get('a').height);
    expectNoOverlap(layout);
  });

  it('handles a graph that is only a cycle, mutual calls and self loops', () => {
    const layout = layoutGraph(
      [],
      [
        calls('x', 'y'),
        calls('y', 'x'),
        calls('y', 'y'),
        { from: 'x', to: 'y', type: 'DEPENDS_ON' },
      ],
    );
    expect(layout.nodes.map((n) => n.id)).toEqual(['x', 'y']);
    const at = byId(layout);
    expect(at.get('x').y).toBeLessThan(at.get('y').y);
    expect(edge(layout, 'y', 'y').selfLoop).toBe(true);
    // two edges between the same pair do not share a line
    const between = layout.edges.filter((e) => !e.selfLoop).map((e) => e.points[0].x);
    expect(new Set(between).size).toBe(between.length);
  });

  it('places disconnected nodes side by side on the top layer', () => {
    const layout = layoutGraph(['b', 'a', 'c'].map(service), []);
    expect(layout.layers).toEqual([['a', 'b', 'c']]);
    expectNoOverlap(layout);
  });

  it('lays out a big graph without overlaps', () => {
    const many: LayoutEdgeInput[] = [];
    for (let i = 0; i < 60; i++) many.push(calls(`svc-${i}`, `svc-${(i * 7 + 3) % 60}`));
    const layout = layoutGraph([], many);
    expect(layout.nodes).toHaveLength(60);
    expectNoOverlap(layout);
  });

  it('cuts long labels and gives an empty picture for an empty graph', () => {
    const long = 'a-very-long-service-name-that-goes-on-and-on';
    const layout = layoutGraph([service(long)], [], { maxLabelChars: 20 });
    expect(layout.nodes[0].label).toHaveLength(20);
    expect(layout.nodes[0].label.endsWith('…')).toBe(true);
    const empty = layoutGraph([], []);
    expect(empty.nodes).toEqual([]);
    expect(empty.width).toBeGreaterThan(0);
  });

  it('knows the explaining path edges in either direction', () => {
    const keys = pathEdgeKeys(['db', 'api', 'web']);
    expect(keys.has('db\u0000api')).toBe(true);
    expect(keys.has('web\u0000api')).toBe(true);
    expect(keys.has('db\u0000web')).toBe(false);
  });
});
