// Credentials at rest: only encrypted, with a key derived from a passphrase the user types
// (PBKDF2-SHA256, 600 000 iterations as OWASP recommends for 2023+, then AES-256-GCM).
// The blob is versioned so the format can change; SubtleCrypto and randomness are passed in
// so this runs in Node tests and in the service worker alike.
import { fromBase64, toBase64 } from '../shared/base64';

export interface Credential {
  username: string;
  password: string;
}

/** Every origin's credential, keyed by origin. */
export type CredentialMap = Record<string, Credential>;

export interface VaultBlobV1 {
  v: 1;
  kdf: 'PBKDF2-SHA256';
  iterations: number;
  /** base64 */
  salt: string;
  /** base64, 12 bytes */
  iv: string;
  /** base64 AES-GCM ciphertext + tag of the JSON CredentialMap */
  data: string;
}

export const PBKDF2_ITERATIONS = 600_000;
/** Blobs claiming fewer iterations are refused: someone lowered the cost. */
export const MIN_ITERATIONS = 100_000;
/**
 * Nor more: a blob rewritten to claim billions would hang the worker at every unlock (600 000
 * take well under a second; this bound, some seconds).
 */
export const MAX_ITERATIONS = 10_000_000;

export function isIterationCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_ITERATIONS && value <= MAX_ITERATIONS;
}

export interface CryptoDeps {
  subtle: SubtleCrypto;
  randomBytes(length: number): Uint8Array;
}

export class VaultError extends Error {
  constructor(
    readonly code: 'bad-passphrase' | 'bad-blob' | 'weak-passphrase',
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

const AAD = new TextEncoder().encode('owa-inspector vault v1');

/** A base64 field of a stored blob; one that is not base64 makes the blob unreadable. */
function blobBytes(text: string): Uint8Array<ArrayBuffer> {
  const bytes = fromBase64(text);
  if (!bytes) throw new VaultError('bad-blob', 'the vault is damaged (a field is not base64)');
  return bytes;
}

function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/** Raw 256-bit key bytes from the passphrase; kept (in memory only) to re-encrypt later. */
export async function deriveKeyBytes(subtle: SubtleCrypto, passphrase: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const material = await subtle.importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: copy(salt), iterations }, material, 256);
  return new Uint8Array(bits);
}

async function aesKey(subtle: SubtleCrypto, keyBytes: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return subtle.importKey('raw', copy(keyBytes), 'AES-GCM', false, [usage]);
}

export interface UnlockedVault {
  salt: Uint8Array;
  iterations: number;
  keyBytes: Uint8Array;
}

/** A new vault key from a passphrase (a fresh salt each time). */
export async function createVaultKey(deps: CryptoDeps, passphrase: string, iterations = PBKDF2_ITERATIONS): Promise<UnlockedVault> {
  if (passphrase.length < 8) throw new VaultError('weak-passphrase', 'the passphrase must have at least 8 characters');
  const salt = deps.randomBytes(16);
  return { salt, iterations, keyBytes: await deriveKeyBytes(deps.subtle, passphrase, salt, iterations) };
}

export async function sealVault(deps: CryptoDeps, key: UnlockedVault, credentials: CredentialMap): Promise<VaultBlobV1> {
  const iv = deps.randomBytes(12);
  const plain = new TextEncoder().encode(JSON.stringify(credentials));
  const data = await deps.subtle.encrypt({ name: 'AES-GCM', iv: copy(iv), additionalData: AAD }, await aesKey(deps.subtle, key.keyBytes, 'encrypt'), plain);
  return { v: 1, kdf: 'PBKDF2-SHA256', iterations: key.iterations, salt: toBase64(key.salt), iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
}

export function isVaultBlob(value: unknown): value is VaultBlobV1 {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Record<string, unknown>;
  return b.v === 1 && b.kdf === 'PBKDF2-SHA256' && typeof b.iterations === 'number' && typeof b.salt === 'string' && typeof b.iv === 'string' && typeof b.data === 'string';
}

function readCredentialMap(value: unknown): CredentialMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new VaultError('bad-blob', 'the vault does not hold credentials');
  const out: CredentialMap = {};
  for (const [origin, cred] of Object.entries(value)) {
    const c = cred as Partial<Credential> | null;
    if (c && typeof c.username === 'string' && typeof c.password === 'string') out[origin] = { username: c.username, password: c.password };
  }
  return out;
}

/** Decrypts a vault with a passphrase; a wrong passphrase fails the GCM tag check. */
export async function openVault(subtle: SubtleCrypto, blob: unknown, passphrase: string): Promise<{ key: UnlockedVault; credentials: CredentialMap }> {
  if (!isVaultBlob(blob)) throw new VaultError('bad-blob', 'unknown vault format');
  if (blob.iterations < MIN_ITERATIONS) throw new VaultError('bad-blob', 'the vault claims too few PBKDF2 iterations');
  if (!isIterationCount(blob.iterations)) throw new VaultError('bad-blob', `the vault claims more than ${MAX_ITERATIONS} PBKDF2 iterations`);
  const salt = blobBytes(blob.salt);
  const keyBytes = await deriveKeyBytes(subtle, passphrase, salt, blob.iterations);
  const key = { salt, iterations: blob.iterations, keyBytes };
  return { key, credentials: await openVaultWithKey(subtle, blob, key) };
}

export async function openVaultWithKey(subtle: SubtleCrypto, blob: VaultBlobV1, key: UnlockedVault): Promise<CredentialMap> {
  let plain: ArrayBuffer;
  try {
    plain = await subtle.decrypt({ name: 'AES-GCM', iv: blobBytes(blob.iv), additionalData: AAD }, await aesKey(subtle, key.keyBytes, 'decrypt'), blobBytes(blob.data));
  } catch {
    throw new VaultError('bad-passphrase', 'wrong passphrase (or a damaged vault)');
  }
  return readCredentialMap(JSON.parse(new TextDecoder().decode(plain)));
}
