/**
 * Reads a GitHub webhook body while checking it: the HMAC is updated chunk by chunk as the body
 * arrives (on Node; Web Crypto has no incremental HMAC, so Workers verify once at the end), the
 * size cap is enforced on the bytes actually received (a missing or lying Content-Length does
 * not help), and only a few large bodies may be in flight at once: unsigned 25 MB bodies sent
 * in parallel must not take the server's memory. The signature header is checked for shape
 * before a byte is read. Chunks are kept in a list and joined once (linear time).
 */
import { GraspError } from '../core/errors.ts';
import { constantTimeEqual } from '../core/tokens.ts';
import { verifyWebhookSignature } from '../github/webhook-signature.ts';

export interface WebhookBodyLimits {
  /** Largest body accepted (GitHub caps payloads at 25 MB). */
  maxBytes: number;
  /** A body past this size needs one of the large-body slots. */
  largeBytes: number;
  /** Large bodies read at the same time; more answer 503 `busy`. */
  maxLargeInFlight: number;
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

type NodeHmac = { update(chunk: Uint8Array): NodeHmac; digest(enc: 'hex'): string };
type NodeCrypto = { createHmac(alg: string, key: string): NodeHmac };
// Reached through process.getBuiltinModule so that the Workers bundle imports no node: module.
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as
  | NodeCrypto
  | undefined;

/** Counts large bodies being read; one per app. */
export class LargeBodySlots {
  inFlight = 0;
  constructor(readonly max: number) {}
  tryTake(): boolean {
    if (this.inFlight >= this.max) return false;
    this.inFlight++;
    return true;
  }
  release(): void {
    this.inFlight--;
  }
}

const tooLarge = (max: number) => new GraspError('too-large', `webhook body larger than ${max} bytes`);
const busy = () => new GraspError('busy', 'too many large webhook bodies are being received at once; GitHub retries failed deliveries: try again shortly');

/** The verified body bytes, or a GraspError (401 bad signature, 413 too large, 503 busy). */
export async function readSignedWebhookBody(req: Request, secret: string, header: string | undefined, limits: WebhookBodyLimits, slots: LargeBodySlots): Promise<Uint8Array<ArrayBuffer>> {
  if (!header) throw new GraspError('unauthorized', 'missing X-Hub-Signature-256 header');
  const m = SIGNATURE.exec(header.trim());
  if (!m) throw new GraspError('unauthorized', 'X-Hub-Signature-256 does not match the body');
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > limits.maxBytes) throw tooLarge(limits.maxBytes);

  let holdsSlot = false;
  const takeSlot = () => {
    if (!slots.tryTake()) throw busy();
    holdsSlot = true;
  };
  try {
    if (declared > limits.largeBytes) takeSlot();
    const hmac = nodeCrypto?.createHmac('sha256', secret);
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (req.body) {
      const reader = req.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          if (total > limits.maxBytes) throw tooLarge(limits.maxBytes);
          if (total > limits.largeBytes && !holdsSlot) takeSlot();
          hmac?.update(value);
          chunks.push(value);
        }
      } catch (err) {
        await reader.cancel().catch(() => {});
        // A client that hangs up mid-body is a bad request, not a server failure.
        throw err instanceof GraspError ? err : new GraspError('invalid', 'webhook body was cut off before its end');
      }
    }
    const body = new Uint8Array(new ArrayBuffer(total));
    let at = 0;
    for (const c of chunks) {
      body.set(c, at);
      at += c.byteLength;
    }
    chunks.length = 0;
    const ok = hmac ? constantTimeEqual(hmac.digest('hex'), m[1]!.toLowerCase()) : await verifyWebhookSignature(secret, body, header);
    if (!ok) throw new GraspError('unauthorized', 'X-Hub-Signature-256 does not match the body');
    return body;
  } finally {
    if (holdsSlot) slots.release();
  }
}
