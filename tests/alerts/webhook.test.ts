import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { deliver, SIGNATURE_HEADER } from '../../src/alerts/webhook.ts';

let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A receiver on loopback that fails the first `failures` deliveries with 503. */
function receiver(failures: number, failStatus = 503): Promise<{ url: string; received: { body: string; signature: string | undefined }[] }> {
  const received: { body: string; signature: string | undefined }[] = [];
  let calls = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls++;
      if (calls <= failures) {
        res.writeHead(failStatus).end();
        return;
      }
      received.push({ body, signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/hook`, received })));
}

describe('alert webhook', () => {
  it('survives a receiver that fails twice and delivers one POST with a GitHub-style signature', async () => {
    const { url, received } = await receiver(2);
    const result = await deliver('stale-understanding', { engineer: 'ada', items: [1] }, { url, secret: 's3cret', backoffMs: 5 });
    expect(result).toMatchObject({ ok: true, attempts: 3, status: 204 });
    expect(received).toHaveLength(1);
    const expected = `sha256=${createHmac('sha256', 's3cret').update(received[0]!.body).digest('hex')}`;
    expect(timingSafeEqual(Buffer.from(received[0]!.signature ?? ''), Buffer.from(expected))).toBe(true);
    expect(JSON.parse(received[0]!.body)).toEqual({ engineer: 'ada', items: [1] });
  });

  it('gives up after its attempts without throwing', async () => {
    const { url } = await receiver(100);
    expect(await deliver('x', {}, { url, secret: null, attempts: 3, backoffMs: 1 })).toMatchObject({ ok: false, attempts: 3, status: 503 });
    const down = await deliver('x', {}, { url: 'http://127.0.0.1:1/none', secret: null, attempts: 2, backoffMs: 1 });
    expect(down.ok).toBe(false);
    expect(down.error).toBeTruthy();
  });

  it('does not retry a refusal (4xx other than 408/429)', async () => {
    const { url } = await receiver(100, 401);
    expect(await deliver('x', {}, { url, secret: null, attempts: 4, backoffMs: 1 })).toMatchObject({ ok: false, attempts: 1, status: 401 });
  });
});
