import type { RcaTopology } from './rca-case';

/**
 * The topology as a fault sees it: a fault in a dependency (a callee, a database, the host a
 * service runs on) reaches its dependents (the callers, the residents), never the other way round.
 */
export class CausalGraph {
  readonly nodes: string[];
  private readonly index = new Map<string, number>();
  /** dependencies[i]: what node i calls, depends on or runs on. */
  readonly dependencies: number[][];
  /** dependents[i]: who calls node i, depends on it or runs on it. */
  readonly dependents: number[][];
  /** callees[i]: what node i calls or depends on (not the host it runs on). */
  readonly callees: number[][];

  constructor(topology: RcaTopology, extraNodes: Iterable<string> = []) {
    const nodes = new Set([...topology.services, ...extraNodes]);
    for (const edge of topology.edges) nodes.add(edge.from).add(edge.to);
    this.nodes = [...nodes];
    this.nodes.forEach((node, i) => this.index.set(node, i));
    this.dependencies = this.nodes.map(() => []);
    this.dependents = this.nodes.map(() => []);
    this.callees = this.nodes.map(() => []);
    for (const edge of topology.edges) {
      const from = this.indexOf(edge.from);
      const to = this.indexOf(edge.to);
      if (from === undefined || to === undefined || from === to) continue;
      if (!this.dependencies[from].includes(to)) this.dependencies[from].push(to);
      if (!this.dependents[to].includes(from)) this.dependents[to].push(from);
      if (edge.type !== 'RUNS_ON' && !this.callees[from].includes(to)) this.callees[from].push(to);
    }
  }

  get size(): number {
    return this.nodes.length;
  }

  indexOf(node: string): number | undefined {
    return this.index.get(node);
  }

  /** Everything a fault in `source` can reach: its dependents, theirs, and so on (not itself). */
  reachableDependents(source: number): number[] {
    const seen = new Uint8Array(this.size);
    seen[source] = 1;
    const order: number[] = [];
    const queue = [source];
    for (let head = 0; head < queue.length; head++) {
      for (const next of this.dependents[queue[head]]) {
        if (seen[next]) continue;
        seen[next] = 1;
        order.push(next);
        queue.push(next);
      }
    }
    return order;
  }

  /**
   * The cheapest path from `source` to `target` along dependents, where entering a node costs
   * `cost(node)`: the path through the most anomalous services explains the symptom best.
   */
  cheapestPath(source: number, target: number, cost: (node: number) => number): number[] {
    const distance = new Float64Array(this.size).fill(Number.POSITIVE_INFINITY);
    const previous = new Int32Array(this.size).fill(-1);
    distance[source] = 0;
    const heap = new MinHeap();
    heap.push(source, 0);
    for (let top = heap.pop(); top; top = heap.pop()) {
      const [current, reached] = top;
      if (reached > distance[current]) continue;
      if (current === target) break;
      for (const next of this.dependents[current]) {
        const candidate = reached + cost(next);
        if (candidate < distance[next]) {
          distance[next] = candidate;
          previous[next] = current;
          heap.push(next, candidate);
        }
      }
    }
    if (distance[target] === Number.POSITIVE_INFINITY) return [source];
    const path: number[] = [];
    for (let node = target; node >= 0; node = previous[node]) path.unshift(node);
    return path;
  }
}

/** A binary heap of (node, priority), smallest priority first. */
class MinHeap {
  private readonly items: Array<[number, number]> = [];

  push(node: number, priority: number): void {
    const items = this.items;
    items.push([node, priority]);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (items[parent][1] <= items[i][1]) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }

  pop(): [number, number] | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && items[left][1] < items[smallest][1]) smallest = left;
        if (right < items.length && items[right][1] < items[smallest][1]) smallest = right;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i], items[smallest]];
        i = smallest;
      }
    }
    return top;
  }
}
