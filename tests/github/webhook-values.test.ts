/** Signed webhook values are validated too: out-of-range numbers and bad dates are refused with 400 and store nothing. */
import examples from '@octokit/webhooks-examples';
import { afterAll, describe, expect, it } from 'vitest';
import { pullRequests, webhookDeliveries } from '../../src/db/schema.ts';
import { signWebhookBody } from '../../src/github/webhook-signature.ts';
import { createApp } from '../../src/http/app.ts';
import { openTempStore } from '../helpers/marks-seed.ts';

const SECRET = 'webhook-secret';
const store = openTempStore();
afterAll(() => store.close());
const app = createApp({ store, webhookSecret: SECRET });
type Payload = Record<string, any>;
const opened = (examples.find((d) => d.name === 'pull_request')!.examples as Payload[]).find((e) => e.action === 'opened')!;
const push = (examples.find((d) => d.name === 'push')!.examples as Payload[])[0]!;
let n = 0;

async function deliver(event: string, payload: Payload) {
  const body = JSON.stringify(payload);
  const res = await app.request('/webhooks/github', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': `v-${++n}`, 'x-hub-signature-256': await signWebhookBody(SECRET, body) },
  });
  return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } };
}
const withPr = (patch: Payload) => ({ ...opened, pull_request: { ...opened.pull_request, ...patch } });

describe('signed but impossible values', () => {
  it.each([
    ['pull_request', withPr({ additions: -50 })],
    ['pull_request', withPr({ created_at: 'not a date' })],
    ['pull_request', withPr({ updated_at: '2026-13-45T99:00:00Z' })],
    ['pull_request', withPr({ deletions: 1e308 })],
    ['push', { ...push, repository: { ...push.repository, pushed_at: 1e308 } }],
    ['push', { ...push, repository: { ...push.repository, pushed_at: -5 } }],
  ])('%s with a bad value: 400, nothing stored', async (event, payload) => {
    const before = (await store.db.select().from(pullRequests)).length;
    const r = await deliver(event, payload);
    expect(r.status).toBe(400);
    expect(r.json.error?.code).toBe('invalid');
    expect((await store.db.select().from(pullRequests)).length).toBe(before);
  });

  it('the untouched examples are still accepted', async () => {
    expect((await deliver('pull_request', opened)).status).toBe(200);
    expect((await deliver('push', push)).status).toBe(200);
    expect((await store.db.select().from(webhookDeliveries)).length).toBeGreaterThanOrEqual(2);
  });
});
