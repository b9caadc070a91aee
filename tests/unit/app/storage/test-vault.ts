// A vault on a fresh random key, for store tests: the key ring and its PIN derivation (slow on
// purpose) are tested in vault.test.ts.
import { Vault } from '../../../../src/app/storage/vault.ts';

export async function testVault(): Promise<Vault> {
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
  return new Vault(key);
}
