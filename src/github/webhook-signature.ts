/**
 * GitHub webhook signatures: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.
 * Web Crypto only (runs on Node 20 and Workers); crypto.subtle.verify compares in constant time.
 */

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const encoder = new TextEncoder();

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(hex.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function bytesToHex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function hmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

/** True only for a well-formed header whose HMAC of exactly these bytes matches. */
export async function verifyWebhookSignature(secret: string, rawBody: ArrayBuffer | Uint8Array<ArrayBuffer>, header: string | null | undefined): Promise<boolean> {
  if (!secret || !header) return false;
  const m = SIGNATURE.exec(header.trim());
  if (!m) return false;
  const key = await hmacKey(secret, 'verify');
  return crypto.subtle.verify('HMAC', key, hexToBytes(m[1]!), rawBody);
}

/** The header value GitHub would send for this body (tests and tools sign with it). */
export async function signWebhookBody(secret: string, rawBody: ArrayBuffer | Uint8Array<ArrayBuffer> | string): Promise<string> {
  const bytes = typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
  const key = await hmacKey(secret, 'sign');
  return `sha256=${bytesToHex(await crypto.subtle.sign('HMAC', key, bytes))}`;
}
