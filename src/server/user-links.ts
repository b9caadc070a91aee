// One-time links to set a password (wave.ts's OneTimeLink): made for a new user or a reset, by an
// admin's route or `npm run admin`; only the token's hash is stored, and the token shown once.
import { LINK_HOURS } from '../core/protocol/wave.ts';
import type { OneTimeLink } from '../core/protocol/wave.ts';
import { newToken, sha256 } from './auth.ts';
import type { ServerStore } from './store/types.ts';

/** Makes a link for `username`, valid LINK_HOURS hours; their older unused links stop working. */
export async function issueUserLink(
  store: ServerStore,
  username: string,
  createdBy: string,
  at: Date,
): Promise<OneTimeLink> {
  const token = newToken('lnk');
  const expiresAt = new Date(at.getTime() + LINK_HOURS * 3600_000).toISOString();
  await store.createUserLink({
    tokenHash: sha256(token),
    username,
    createdBy,
    createdAt: at.toISOString(),
    expiresAt,
  });
  return { username, token, expiresAt };
}
