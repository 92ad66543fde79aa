/** What the graph's colours and marks mean; only the kinds the graph shows are listed. */
export function TopologyLegend({ kinds }: { kinds: readonly string[] }) {
  return (
    <ul className="legend" aria-label="Legend">
      {kinds.map((kind) => (
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
  );
}
