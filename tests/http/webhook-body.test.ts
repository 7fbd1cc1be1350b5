/**
 * Webhook bodies through a REAL server (node:http clients, so bodies can be streamed, stalled and
 * sent without Content-Length): the size cap holds on the bytes received (413 JSON), a declared
 * oversize body is refused before it is read, only `maxLargeInFlight` large bodies are read at once
 * (503 `busy` JSON beyond), slots come back when bodies end, and the HMAC computed over the streamed
 * chunks accepts GitHub's signature and refuses a changed byte. Limits are lowered for the test.
 */
import examples from '@octokit/webhooks-examples';
import { request, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/db/store.ts';
import { signWebhookBody } from '../../src/github/webhook-signature.ts';
import { startServer, type RunningServer } from '../../src/node.ts';
import { openTempStore, tempDbPath } from '../helpers/marks-seed.ts';

const SECRET = 'body-test-secret';
const LIMITS = { maxBytes: 64 * 1024, largeBytes: 4 * 1024, maxLargeInFlight: 2 };
let store: Store;
let server: RunningServer;

beforeAll(async () => {
  store = openTempStore(tempDbPath());
  server = await startServer({ store, webhookSecret: SECRET, port: 0, host: '127.0.0.1', webhookLimits: LIMITS });
});

afterAll(async () => {
  await server.close(100);
  store.close();
});

interface Answer {
  status: number;
  body: { error?: { code: string; message: string }; ok?: boolean };
}

/** Opens a POST whose body the caller writes; `answer` settles when the server responds. */
function open(headers: Record<string, string | number>): { req: ClientRequest; answer: Promise<Answer> } {
  const url = new URL('/webhooks/github', server.url);
  let req!: ClientRequest;
  const answer = new Promise<Answer>((done, failed) => {
    req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'ping', 'X-GitHub-Delivery': `d-${Math.random().toString(36).slice(2)}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', (err) => (err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : failed(err));
  });
  return { req, answer };
}

const ping = () => JSON.stringify(examples.find((d) => d.name === 'ping')!.examples[0]);
const sig = (body: string | Buffer) => signWebhookBody(SECRET, typeof body === 'string' ? body : new Uint8Array(body));

describe('webhook bodies', () => {
  it('a signed body streamed in small chunks is verified and applied', async () => {
    const body = ping();
    const { req, answer } = open({ 'X-Hub-Signature-256': await sig(body) });
    for (let i = 0; i < body.length; i += 100) req.write(body.slice(i, i + 100));
    req.end();
    const a = await answer;
    expect(a.status).toBe(200);
    expect(a.body.ok).toBe(true);
  });

  it('one byte changed after signing is refused with 401', async () => {
    const body = ping();
    const { req, answer } = open({ 'X-Hub-Signature-256': await sig(body) });
    req.end(body.replace('"zen"', '"Zen"'));
    const a = await answer;
    expect(a.status).toBe(401);
    expect(a.body.error?.code).toBe('unauthorized');
  });

  it('a chunked body (no Content-Length) past the cap gets 413 JSON while it is still being sent', async () => {
    const { req, answer } = open({ 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}`, 'Transfer-Encoding': 'chunked' });
    let sent = 0;
    let answered = false;
    answer.then(() => (answered = true));
    // Keep sending 8 KB chunks until the server answers, at most 4x the cap.
    while (!answered && sent < LIMITS.maxBytes * 4) {
      req.write(Buffer.alloc(8192, 0x20));
      sent += 8192;
      await new Promise((r) => setTimeout(r, 5));
    }
    const a = await answer;
    req.destroy();
    expect(a.status).toBe(413);
    expect(a.body.error?.code).toBe('too-large');
    expect(sent).toBeLessThan(LIMITS.maxBytes * 4);
  });

  it('a declared Content-Length over the cap is refused before the body is read', async () => {
    const { req, answer } = open({ 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}`, 'Content-Length': LIMITS.maxBytes + 1 });
    req.write('{'); // nothing more: the server must answer anyway
    const a = await answer;
    req.destroy();
    expect(a.status).toBe(413);
    expect(a.body.error?.code).toBe('too-large');
  });

  it(`reads at most ${LIMITS.maxLargeInFlight} large bodies at once: the next gets 503 busy, and slots come back`, async () => {
    const stalled = [0, 1].map(() => open({ 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}`, 'Transfer-Encoding': 'chunked' }));
    for (const s of stalled) s.req.write(Buffer.alloc(LIMITS.largeBytes + 1, 0x20)); // past largeBytes, then stall
    await new Promise((r) => setTimeout(r, 200));
    const third = open({ 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}`, 'Transfer-Encoding': 'chunked' });
    third.req.write(Buffer.alloc(LIMITS.largeBytes + 1, 0x20));
    const refused = await third.answer;
    third.req.destroy();
    expect(refused.status).toBe(503);
    expect(refused.body.error?.code).toBe('busy');
    // A small body needs no slot, even now.
    const small = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const smallReq = open({ 'X-Hub-Signature-256': await sig(small) });
    smallReq.req.end(small);
    expect((await smallReq.answer).status).toBe(200);
    // The stalled bodies end (unsigned): 401 each, and their slots are released.
    for (const s of stalled) s.req.end();
    for (const s of stalled) expect((await s.answer).status).toBe(401);
    const large = JSON.stringify({ ...JSON.parse(ping()), padding: 'x'.repeat(LIMITS.largeBytes * 2) });
    const after = open({ 'X-Hub-Signature-256': await sig(large) });
    after.req.end(large);
    expect((await after.answer).status).toBe(200);
  });
});
