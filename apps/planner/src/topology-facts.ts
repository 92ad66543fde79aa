import type { Subgraph } from '@vigil/graph';

/** The neighbourhood of the leading candidate as short sentences for the prompt, and its replicas. */
export function topologyFacts(
  subgraph: Subgraph,
  focus: string,
): { facts: string[]; replicas: number } {
  const node = subgraph.nodes.find((n) => n.id === focus);
  const replicas = Number(node?.properties.replicas ?? 1);
  const facts = subgraph.nodes.map(
    (n) =>
      `${n.id}: ${n.kind ?? 'entity'}${n.properties.replicas !== undefined ? `, ${String(n.properties.replicas)} replicas` : ''}`,
  );
  for (const e of subgraph.edges) facts.push(`${e.from} ${e.type} ${e.to}`);
  return {
    facts: facts.slice(0, 40),
    replicas: Number.isFinite(replicas) && replicas > 0 ? replicas : 1,
  };
}
