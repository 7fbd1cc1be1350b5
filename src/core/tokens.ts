/**
 * API tokens: generation, hashing and comparison with Web Crypto only, so the same code runs on
 * Node (global `crypto`) and on Cloudflare Workers. Only the SHA-256 hex of a token is stored.
 */

export const TOKEN_PREFIX = 'grasp_';
const TOKEN_BYTES = 32;
/** 32 bytes in unpadded base64url are 43 characters. */
const TOKEN_RE = /^grasp_[A-Za-z0-9_-]{43}$/;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `prefix` + 32 random bytes in base64url (43 characters): tokens and web session ids. */
export function randomId(prefix: string): string {
  const bytes = new Uint8Array(TOKEN_BYTES);
  crypto.getRandomValues(bytes);
  return prefix + base64url(bytes);
}

/** A new random token: `grasp_` + 32 random bytes in base64url. */
export function generateToken(): string {
  return randomId(TOKEN_PREFIX);
}

/** Cheap shape check before hashing: refuses garbage without touching the database. */
export function looksLikeToken(text: string): boolean {
  return TOKEN_RE.test(text);
}

// On Node, node:crypto hashes a short string ~10x faster than Web Crypto (no thread-pool hop).
// It is reached through process.getBuiltinModule so that no bundle for Workers imports it.
type NodeCrypto = { createHash(alg: string): { update(s: string): { digest(enc: 'hex'): string } } };
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;

/** SHA-256 of the token text, lower-case hex. */
export async function hashToken(token: string): Promise<string> {
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(token).digest('hex');
  return sha256HexWebCrypto(token);
}

/** SHA-256 hex with Web Crypto only (the Workers path of `hashToken`). */
export async function sha256HexWebCrypto(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let hex = '';
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Compares two strings in time that depends only on their lengths (hash hex strings have a
 * fixed length), never stopping at the first difference.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}
