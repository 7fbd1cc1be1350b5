/**
 * API tokens: created for an engineer (writes their own marks) or as admin (manages engineers).
 * Only the SHA-256 of a token is stored; the raw token is shown once, at creation.
 */
import { eq, sql } from 'drizzle-orm';
import { GraspError } from '../../core/errors.ts';
import { constantTimeEqual, generateToken, hashToken, looksLikeToken } from '../../core/tokens.ts';
import { engineers, tokens } from '../schema.ts';
import type { Store } from '../store.ts';
import { getEngineer } from './engineers.ts';
import { preparedFor } from './prepared.ts';

/** Who a valid token speaks for. */
export interface Principal {
  tokenId: number;
  admin: boolean;
  /** null for admin tokens. */
  engineer: { id: number; handle: string } | null;
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

export interface TokenInfo {
  id: number;
  /** null for an admin token. */
  engineer: string | null;
  admin: boolean;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  status: TokenStatus;
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: string };

const seconds = (ms: number): number => Math.floor(ms / 1000);

function statusOf(row: { expiresAt: number | null; revokedAt: number | null }, nowSec: number): TokenStatus {
  if (row.revokedAt !== null) return 'revoked';
  if (row.expiresAt !== null && row.expiresAt <= nowSec) return 'expired';
  return 'active';
}

/** Shortest and longest token lifetimes, in days: a shorter one would be expired on arrival. */
export const MIN_TOKEN_DAYS = 1 / 24;
export const MAX_TOKEN_DAYS = 3650;

export interface CreateTokenOptions {
  /** Engineer handle; omit with admin: true for an admin token. */
  handle?: string;
  admin?: boolean;
  /** Lifetime in days; none = never expires. */
  expiresInDays?: number;
  now?: number;
}

/** Creates a token and returns it with the raw text (the only time it is available). */
export async function createToken(store: Store, opts: CreateTokenOptions): Promise<TokenInfo & { token: string }> {
  const now = opts.now ?? Date.now();
  const admin = opts.admin === true;
  if (admin === (opts.handle !== undefined)) {
    throw new GraspError('invalid', 'a token is either for an engineer (give a handle) or admin (--admin), not both');
  }
  const days = opts.expiresInDays;
  if (days !== undefined && !(Number.isFinite(days) && days >= MIN_TOKEN_DAYS && days <= MAX_TOKEN_DAYS)) {
    throw new GraspError('invalid', `a token's lifetime must be from one hour (${MIN_TOKEN_DAYS.toFixed(3)} days) to ${MAX_TOKEN_DAYS} days`);
  }
  const engineer = opts.handle !== undefined ? await getEngineer(store, opts.handle) : null;
  const token = generateToken();
  const createdAt = seconds(now);
  const expiresAt = opts.expiresInDays !== undefined ? createdAt + Math.round(opts.expiresInDays * 86400) : null;
  const [row] = await store.db
    .insert(tokens)
    .values({ hash: await hashToken(token), engineerId: engineer?.id ?? null, admin, createdAt, expiresAt })
    .returning({ id: tokens.id });
  return {
    id: row!.id,
    engineer: engineer?.handle ?? null,
    admin,
    createdAt,
    expiresAt,
    revokedAt: null,
    status: 'active',
    token,
  };
}

/** Revokes a token by id (idempotent: revoking twice keeps the first time). */
export async function revokeToken(store: Store, id: number, now = Date.now()): Promise<TokenInfo> {
  const found = await store.db.select({ id: tokens.id }).from(tokens).where(eq(tokens.id, id));
  if (found.length === 0) throw new GraspError('not-found', `no token with id ${id}`);
  await store.db
    .update(tokens)
    .set({ revokedAt: sql`coalesce(${tokens.revokedAt}, ${seconds(now)})` })
    .where(eq(tokens.id, id));
  const info = (await listTokens(store, now)).find((t) => t.id === id);
  return info!;
}

export async function listTokens(store: Store, now = Date.now()): Promise<TokenInfo[]> {
  const rows = await store.db
    .select({
      id: tokens.id,
      engineer: engineers.handle,
      admin: tokens.admin,
      createdAt: tokens.createdAt,
      expiresAt: tokens.expiresAt,
      revokedAt: tokens.revokedAt,
    })
    .from(tokens)
    .leftJoin(engineers, eq(engineers.id, tokens.engineerId))
    .orderBy(tokens.id);
  return rows.map((r) => ({ ...r, status: statusOf(r, seconds(now)) }));
}

// The token lookup runs on every authenticated request.
const tokenLookup = preparedFor((store) =>
  store.db
    .select({
      id: tokens.id,
      hash: tokens.hash,
      admin: tokens.admin,
      engineerId: tokens.engineerId,
      handle: engineers.handle,
      expiresAt: tokens.expiresAt,
      revokedAt: tokens.revokedAt,
    })
    .from(tokens)
    .leftJoin(engineers, eq(engineers.id, tokens.engineerId))
    .where(eq(tokens.hash, sql.placeholder('hash')))
    .limit(1)
    .prepare(),
);

/**
 * Checks a raw token: well-formed, known (by hash), not revoked, not expired, and still tied to
 * an existing engineer (or admin). The reason on failure is safe to show.
 */
export async function authenticateToken(store: Store, raw: string, now = Date.now()): Promise<AuthResult> {
  if (!looksLikeToken(raw)) return { ok: false, reason: 'malformed token' };
  const hash = await hashToken(raw);
  const rows = await tokenLookup(store).all({ hash });
  const row = rows[0];
  if (!row || !constantTimeEqual(row.hash, hash)) return { ok: false, reason: 'unknown token' };
  const status = statusOf(row, seconds(now));
  if (status !== 'active') return { ok: false, reason: `token ${status}` };
  if (row.admin) return { ok: true, principal: { tokenId: row.id, admin: true, engineer: null } };
  if (row.engineerId === null || row.handle === null) return { ok: false, reason: 'token has no engineer' };
  return { ok: true, principal: { tokenId: row.id, admin: false, engineer: { id: row.engineerId, handle: row.handle } } };
}
