/**
 * The Worker's admin token comes from the secret GRASP_ADMIN_TOKEN rather than `grasp token
 * create` (there is no CLI on Workers). It is installed as an ordinary admin row in `tokens`
 * (SHA-256 only, like every token), so the one authentication path (src/http/auth.ts) checks it;
 * when the secret changes, the row of the previous secret is revoked.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import { hashToken, looksLikeToken } from '../../core/tokens.ts';
import { getMeta, setMetaQuery } from './commits.ts';
import { tokens } from '../schema.ts';
import type { Store } from '../store.ts';

export const META_SECRET_TOKEN = 'worker.adminTokenHash';

/** Installs (once per secret value) the admin token; `now` in epoch milliseconds. */
export async function installSecretAdminToken(store: Store, raw: string, now = Date.now()): Promise<void> {
  if (!looksLikeToken(raw)) {
    throw new GraspError('invalid', 'GRASP_ADMIN_TOKEN must look like a grasp token: "grasp_" and 43 base64url characters (grasp token create --admin prints one)');
  }
  const hash = await hashToken(raw);
  const previous = await getMeta(store, META_SECRET_TOKEN);
  if (previous === hash) return;
  const at = Math.floor(now / 1000);
  await store.atomic([
    ...(previous ? [store.db.update(tokens).set({ revokedAt: at }).where(and(eq(tokens.hash, previous), isNull(tokens.revokedAt)))] : []),
    // Setting a secret again re-activates its row (an operator's explicit choice).
    store.db
      .insert(tokens)
      .values({ hash, admin: true, engineerId: null, createdAt: at })
      .onConflictDoUpdate({ target: tokens.hash, set: { admin: true, engineerId: null, revokedAt: null, expiresAt: null } }),
    setMetaQuery(store, META_SECRET_TOKEN, hash),
  ]);
}
