import type { PositionedEdge } from './layout';
import { edgePath, kindClass, labelPoint, nodeClasses, nodeTitle } from './topology-drawing';

function edge(overrides: Partial<PositionedEdge> = {}): PositionedEdge {
  return {
    from: 'checkout',
    to: 'payment',
    type: 'CALLS',
    points: [
      { x: 100, y: 40 },
      { x: 100, y: 140 },
    ],
    reversed: false,
    selfLoop: false,
    labelAt: { x: 100, y: 90 },
    ...overrides,
  };
}

describe('kindClass', () => {
  it('names the known kinds and falls back for others', () => {
    expect(kindClass('database')).toBe('kind-database');
    expect(kindClass('lambda')).toBe('kind-unknown');
  });
});

describe('edgePath', () => {
  it('draws a downward edge as a straight-running curve between its ends', () => {
    expect(edgePath(edge())).toBe('M 100 40 C 100 90, 100 90, 100 140');
  });

  it('bows a reversed (cycle-closing) edge out to the side', () => {
    expect(edgePath(edge({ reversed: true }))).toBe('M 100 40 C 148 90, 148 90, 100 140');
  });

  it('loops a self edge out to the right', () => {
    const loop = edge({
      selfLoop: true,
      points: [
        { x: 10, y: 20 },
        { x: 10, y: 40 },
      ],
    });
    expect(edgePath(loop)).toBe('M 10 20 C 44 6, 44 54, 10 40');
  });
});

describe('labelPoint', () => {
  it('puts the label past the middle of the edge', () => {
    const p = labelPoint(edge());
    expect(p.x).toBeCloseTo(100);
    expect(p.y).toBeGreaterThan(90);
    expect(p.y).toBeLessThan(140);
  });

  it('uses the layout’s place for a self loop', () => {
    expect(labelPoint(edge({ selfLoop: true }))).toEqual({ x: 100, y: 90 });
  });
});

describe('nodeClasses and nodeTitle', () => {
  const none = { root: false, path: false, incident: false };

  it('marks the root cause, the path and the incident’s services', () => {
    expect(nodeClasses('service', none)).toBe('node kind-service');
    expect(nodeClasses('database', { root: true, path: true, incident: true })).toBe(
      'node kind-database root-cause on-path incident-service',
    );
  });

  it('says what the node is, naming the path only for a node that is not the root', () => {
    expect(nodeTitle('cart', 'service', none)).toBe('cart (service)');
    expect(nodeTitle('payment', 'service', { ...none, path: true, incident: true })).toBe(
      'payment (service, on the explaining path, in the incident)',
    );
    expect(nodeTitle('payment-db', 'database', { root: true, path: true, incident: false })).toBe(
      'payment-db (database, root cause)',
    );
  });
});
