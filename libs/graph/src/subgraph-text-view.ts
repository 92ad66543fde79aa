import type { Subgraph } from './topology-repository';

const arrows: Record<string, string> = {
  CALLS: '──calls──▶',
  DEPENDS_ON: '──depends on──▶',
  RUNS_ON: '──runs on──▶',
};

/** A terminal picture of a subgraph: each entity with its outgoing edges, grouped by kind. */
export function renderSubgraph(
  subgraph: Subgraph,
  highlight: ReadonlySet<string> = new Set(),
): string {
  const lines: string[] = [];
  const byId = new Map(subgraph.nodes.map((n) => [n.id, n]));
  const sorted = [...subgraph.nodes].sort(
    (a, b) => (a.kind ?? '').localeCompare(b.kind ?? '') || a.id.localeCompare(b.id),
  );
  for (const node of sorted) {
    const mark = highlight.has(node.id) ? '★ ' : '  ';
    lines.push(`${mark}${node.id} (${node.kind ?? 'unknown'})`);
    const outgoing = subgraph.edges
      .filter((e) => e.from === node.id)
      .sort((a, b) => a.to.localeCompare(b.to));
    outgoing.forEach((edge, index) => {
      const branch = index === outgoing.length - 1 ? '└' : '├';
      const target = byId.get(edge.to);
      lines.push(
        `    ${branch}${arrows[edge.type] ?? edge.type} ${edge.to}${target?.kind ? ` (${target.kind})` : ''}`,
      );
    });
  }
  lines.push(`${subgraph.nodes.length} entities, ${subgraph.edges.length} edges`);
  return lines.join('\n');
}
