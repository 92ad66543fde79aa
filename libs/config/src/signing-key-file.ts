import {
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  createPrivateKey,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The public key's file beside a private key's: `x.pem` -> `x.pub.pem`. */
export const publicKeyPath = (privateKeyPath: string): string =>
  privateKeyPath.replace(/(\.pem)?$/, '.pub.pem');

/**
 * An Ed25519 private key from a PEM file, made at first start when the file does not exist: the
 * private key is written readable by its owner only, the public key beside it (`publicKeyPath`)
 * for the services that verify.
 */
export function ed25519KeyFromFile(path: string): { privateKey: KeyObject; publicKey: KeyObject } {
  if (!existsSync(path)) createKeyFiles(path);
  const privateKey = createPrivateKey(readFileSync(path));
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`${path}: not an Ed25519 private key (${privateKey.asymmetricKeyType})`);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

function createKeyFiles(path: string): void {
  const pair = generateKeyPairSync('ed25519');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const pem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' });
  try {
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // another process made it first (two services starting at once): use theirs
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  writeFileSync(publicKeyPath(path), pair.publicKey.export({ type: 'spki', format: 'pem' }));
}

/** An Ed25519 public key from a PEM file (or the public half of a private key's PEM). */
export function ed25519PublicKeyFromFile(path: string): KeyObject {
  const key = createPublicKey(readFileSync(path));
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`${path}: not an Ed25519 public key (${key.asymmetricKeyType})`);
  return key;
}
