import { ed25519KeyFromFile } from '@vigil/config';
import type { DecisionSigner } from '@vigil/remediation-engine';

const loaded = new Map<string, DecisionSigner>();

/**
 * The console's decision key, read (or made, at first start) once per file: every decision it
 * publishes is signed with it, so the executor can tell it from one anybody wrote to Kafka.
 */
export function decisionSigner(settings: { file: string; keyId: string }): DecisionSigner {
  const key = `${settings.keyId}@${settings.file}`;
  let signer = loaded.get(key);
  if (!signer) {
    signer = { keyId: settings.keyId, privateKey: ed25519KeyFromFile(settings.file).privateKey };
    loaded.set(key, signer);
  }
  return signer;
}
