/**
 * The outgoing alert webhook: one JSON POST per engineer, signed like GitHub's webhooks
 * (`X-Grasp-Signature-256: sha256=<hex HMAC-SHA256 of the body>`), retried with exponential backoff.
 * Web Crypto only, so the Worker can send the same request. Delivery never throws: a receiver that
 * stays down is reported in the result, and ingest has committed before anything is sent.
 */
export const SIGNATURE_HEADER = 'X-Grasp-Signature-256';
export const EVENT_HEADER = 'X-Grasp-Event';

export interface DeliveryOptions {
  url: string;
  /** HMAC key; without one the signature header is left out (the receiver should refuse that). */
  secret: string | null;
  /** Attempts in all (first try included). */
  attempts?: number;
  /** Delay before the second attempt, doubled each time after. */
  backoffMs?: number;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryResult {
  ok: boolean;
  attempts: number;
  status: number | null;
  error: string | null;
}

const encoder = new TextEncoder();

export async function signBody(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(body)));
  let hex = '';
  for (const b of mac) hex += b.toString(16).padStart(2, '0');
  return `sha256=${hex}`;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function deliver(event: string, payload: unknown, opts: DeliveryOptions): Promise<DeliveryResult> {
  const body = JSON.stringify(payload);
  const attempts = Math.max(1, opts.attempts ?? 4);
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? defaultSleep;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'grasp-alerts', [EVENT_HEADER]: event };
  if (opts.secret) headers[SIGNATURE_HEADER] = await signBody(opts.secret, body);
  let status: number | null = null;
  let error: string | null = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep((opts.backoffMs ?? 500) * 2 ** (attempt - 2));
    try {
      const res = await doFetch(opts.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) return { ok: true, attempts: attempt, status, error: null };
      error = `HTTP ${res.status}`;
      // A 4xx other than 408/429 will not get better by retrying.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) return { ok: false, attempts: attempt, status, error };
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
  }
  return { ok: false, attempts, status, error };
}
