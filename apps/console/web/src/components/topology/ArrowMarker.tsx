/** An arrow head for the edges' ends; `hot` is the explaining path's colour. */
export function ArrowMarker({ id, hot }: { id: string; hot: boolean }) {
  return (
    <marker
      id={id}
      viewBox="0 0 10 10"
      refX="9"
      refY="5"
      markerUnits="userSpaceOnUse"
      markerWidth="9"
      markerHeight="9"
      orient="auto-start-reverse"
    >
      <path d="M 0 0 L 10 5 L 0 10 z" className={hot ? 'arrow-head hot' : 'arrow-head'} />
    </marker>
  );
}
