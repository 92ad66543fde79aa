const fnvOffset64 = 0xcbf29ce484222325n;
const fnvPrime64 = 0x100000001b3n;
const mask64 = 0xffffffffffffffffn;
/** Prometheus' label separator: a byte that cannot occur in UTF-8 text. */
const separator = 0xff;

const utf8 = new TextEncoder();

function addBytes(hash: bigint, bytes: Iterable<number>): bigint {
  let h = hash;
  for (const byte of bytes) h = ((h ^ BigInt(byte)) * fnvPrime64) & mask64;
  return h;
}

/**
 * The fingerprint Alertmanager gives an alert with these labels (FNV-1a 64 over the sorted
 * name/value pairs, as prometheus/common's `LabelSet.Fingerprint`), so an alert from these rules
 * has the same id here, in Vigil and in a real Alertmanager's UI.
 */
export function labelsFingerprint(labels: Readonly<Record<string, string>>): string {
  let hash = fnvOffset64;
  for (const name of Object.keys(labels).sort()) {
    hash = addBytes(hash, utf8.encode(name));
    hash = addBytes(hash, [separator]);
    hash = addBytes(hash, utf8.encode(labels[name]));
    hash = addBytes(hash, [separator]);
  }
  return hash.toString(16).padStart(16, '0');
}
