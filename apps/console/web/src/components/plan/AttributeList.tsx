import { formatAttributes } from '../../lib/format';
import type { AttributeMap } from '../../lib/types';

/** A step's params or an audit event's detail, as `key=value` chips. */
export function AttributeList({ map }: { map: AttributeMap | undefined }) {
  return (
    <span className="kvs">
      {formatAttributes(map).map((kv, i) => (
        <code key={i} className="kv" title={kv}>
          {kv}
        </code>
      ))}
    </span>
  );
}
