import { webcrypto, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVaultKey, MAX_ITERATIONS, openVault, openVaultWithKey, PBKDF2_ITERATIONS, sealVault, VaultError, type CryptoDeps } from '../../src/owa/credentials';

const deps: CryptoDeps = { subtle: webcrypto.subtle as SubtleCrypto, randomBytes: (n) => new Uint8Array(randomBytes(n)) };
const creds = { 'https://mail.example.com': { username: 'CONTOSO\\alice', password: 'Summer2024!secret' } };

describe('credential vault', () => {
  it('seals with PBKDF2-SHA256 600 000 + AES-GCM, versioned, and opens with the passphrase', async () => {
    const key = await createVaultKey(deps, 'correct horse battery');
    const blob = await sealVault(deps, key, creds);
    expect(blob).toMatchObject({ v: 1, kdf: 'PBKDF2-SHA256', iterations: PBKDF2_ITERATIONS });
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(JSON.stringify(blob)).not.toContain('Summer2024');
    expect(JSON.stringify(blob)).not.toContain('alice');
    const opened = await openVault(deps.subtle, blob, 'correct horse battery');
    expect(opened.credentials).toEqual(creds);
    // The kept key re-opens without deriving again.
    expect(await openVaultWithKey(deps.subtle, blob, opened.key)).toEqual(creds);
  });

  it('refuses a wrong passphrase and a tampered blob', async () => {
    const key = await createVaultKey(deps, 'correct horse battery');
    const blob = await sealVault(deps, key, creds);
    await expect(openVault(deps.subtle, blob, 'wrong horse battery')).rejects.toMatchObject({ code: 'bad-passphrase' });
    const data = Buffer.from(blob.data, 'base64');
    data[0]! ^= 1;
    await expect(openVaultWithKey(deps.subtle, { ...blob, data: data.toString('base64') }, key)).rejects.toBeInstanceOf(VaultError);
  });

  it('refuses short passphrases, unknown versions and lowered iteration counts', async () => {
    await expect(createVaultKey(deps, 'short')).rejects.toMatchObject({ code: 'weak-passphrase' });
    await expect(openVault(deps.subtle, { v: 2 }, 'x')).rejects.toMatchObject({ code: 'bad-blob' });
    const key = await createVaultKey(deps, 'correct horse battery');
    const blob = await sealVault(deps, key, creds);
    await expect(openVault(deps.subtle, { ...blob, iterations: 1000 }, 'correct horse battery')).rejects.toMatchObject({ code: 'bad-blob' });
    // Raised beyond reason (a hang at every unlock), or not a whole number: refused before any derivation.
    for (const iterations of [MAX_ITERATIONS + 1, 2 ** 31, 600_000.5]) {
      await expect(openVault(deps.subtle, { ...blob, iterations }, 'correct horse battery')).rejects.toMatchObject({ code: 'bad-blob' });
    }
    // A salt that is not base64 is a damaged blob, not a crash.
    await expect(openVault(deps.subtle, { ...blob, salt: 'not base64!' }, 'correct horse battery')).rejects.toMatchObject({ code: 'bad-blob' });
  });

  it('uses a fresh IV each time it seals', async () => {
    const key = await createVaultKey(deps, 'correct horse battery');
    const a = await sealVault(deps, key, creds);
    const b = await sealVault(deps, key, creds);
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
  });
});
