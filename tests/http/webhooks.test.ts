/**
 * POST /webhooks/github on the real app and a real SQLite file, with GitHub's own example payloads
 * (@octokit/webhooks-examples): signatures (good, forged, missing, malformed, body changed after
 * signing), replayed deliveries, the events grasp stores, and the refusal without a secret.
 */
import type {
  PullRequestEvent,
  PullRequestReviewCommentEvent,
  PullRequestReviewEvent,
  PushEvent,
  WebhookEventName,
} from '@octokit/webhooks-types';
import examples from '@octokit/webhooks-examples';
import { afterEach, describe, expect, it } from 'vitest';
import { setMeta } from '../../src/db/repo/commits.ts';
import { setRepoMeta, upsertRepo } from '../../src/db/repo/repos.ts';
import { openNodeStore } from '../../src/db/node/open.ts';
import { pullRequests, reviewComments, reviews, webhookDeliveries } from '../../src/db/schema.ts';
import { forRepo, type Store } from '../../src/db/store.ts';
import { signWebhookBody, verifyWebhookSignature } from '../../src/github/webhook-signature.ts';
import { createApp } from '../../src/http/app.ts';
import { tempDir } from '../helpers/git-fixture.ts';
import { join } from 'node:path';

const SECRET = "It's a Secret to Everybody";

function example<E>(name: WebhookEventName, action?: string): E {
  const def = examples.find((d) => d.name === name);
  const found = def?.examples.find((e) => action === undefined || (e as { action?: string }).action === action);
  if (!found) throw new Error(`no ${name} ${action ?? ''} example`);
  return structuredClone(found) as E;
}

const stores: Store[] = [];
afterEach(() => {
  while (stores.length) stores.pop()!.close();
});

function setup(secret: string | null = SECRET) {
  const store = openNodeStore(join(tempDir('grasp-webhooks-'), 'grasp.db'));
  stores.push(store);
  const app = createApp({ store, webhookSecret: secret ?? undefined, now: () => Date.parse('2026-11-10T12:00:00Z') });
  let n = 0;
  async function post(event: string, body: string, headers: Record<string, string | null> = {}) {
    const signature = await signWebhookBody(SECRET, body);
    const all: Record<string, string | null> = {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': `72d3162e-cc78-11e3-81ab-4c9367dc09${String(++n).padStart(2, '0')}`,
      'x-hub-signature-256': signature,
      ...headers,
    };
    const res = await app.request('/webhooks/github', {
      method: 'POST',
      body,
      headers: Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null)),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
  }
  const count = async () => ({
    prs: (await store.db.select().from(pullRequests).all()).length,
    deliveries: (await store.db.select().from(webhookDeliveries).all()).length,
  });
  return { store, app, post, count };
}

describe('signature verification', () => {
  it('accepts a correctly signed delivery and stores the pull request', async () => {
    const { store, post } = setup();
    const payload = example<PullRequestEvent>('pull_request', 'opened');
    const res = await post('pull_request', JSON.stringify(payload));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, duplicate: false, event: 'pull_request', action: 'opened', pullRequests: [2] });
    const pr = await store.db.select().from(pullRequests).get();
    expect(pr).toMatchObject({ number: 2, title: payload.pull_request.title, state: 'OPEN', headRef: 'changes', authorLogin: 'Codertocat', additions: 1, deletions: 1 });
  });

  it('refuses a forged, a missing or a malformed signature, writing nothing', async () => {
    const { post, count } = setup();
    const body = JSON.stringify(example<PullRequestEvent>('pull_request', 'opened'));
    const forged = await signWebhookBody('another secret', body);
    for (const signature of [forged, null, '', 'sha1=0123456789abcdef0123456789abcdef01234567', 'sha256=xyz', `${forged}00`, forged.replace('sha256=', '')]) {
      const res = await post('pull_request', body, { 'x-hub-signature-256': signature });
      expect(res.status, String(signature)).toBe(401);
      expect(res.json.error?.code).toBe('unauthorized');
    }
    expect(await count()).toEqual({ prs: 0, deliveries: 0 });
  });

  it('refuses a body changed after signing', async () => {
    const { post, count } = setup();
    const payload = example<PullRequestEvent>('pull_request', 'opened');
    const signed = JSON.stringify(payload);
    const signature = await signWebhookBody(SECRET, signed);
    payload.pull_request.title = 'Something else entirely';
    const tampered = await post('pull_request', JSON.stringify(payload), { 'x-hub-signature-256': signature });
    expect(tampered.status).toBe(401);
    // Even a whitespace-only change to the raw bytes breaks the signature.
    const reformatted = await post('pull_request', JSON.stringify(JSON.parse(signed), null, 2), { 'x-hub-signature-256': signature });
    expect(reformatted.status).toBe(401);
    expect(await count()).toEqual({ prs: 0, deliveries: 0 });
  });

  it('refuses every delivery when no secret is configured', async () => {
    for (const secret of [null, '']) {
      const { post, count } = setup(secret);
      const res = await post('pull_request', JSON.stringify(example<PullRequestEvent>('pull_request', 'opened')));
      expect(res.status).toBe(403);
      expect(res.json.error?.message).toContain('GRASP_WEBHOOK_SECRET');
      expect(await count()).toEqual({ prs: 0, deliveries: 0 });
    }
  });

  it('verifies with Web Crypto over the exact bytes', async () => {
    const bytes = new TextEncoder().encode('{"zen":"Keep it logically awesome."}');
    const header = await signWebhookBody(SECRET, bytes);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await verifyWebhookSignature(SECRET, bytes, header)).toBe(true);
    expect(await verifyWebhookSignature(SECRET, bytes, header.toUpperCase().replace('SHA256=', 'sha256='))).toBe(true);
    expect(await verifyWebhookSignature('', bytes, header)).toBe(false);
    const flipped = bytes.slice();
    flipped[3] = flipped[3]! ^ 1;
    expect(await verifyWebhookSignature(SECRET, flipped, header)).toBe(false);
  });
});

describe('deliveries', () => {
  it('a replayed delivery id answers duplicate and changes nothing', async () => {
    const { store, post } = setup();
    const payload = example<PullRequestEvent>('pull_request', 'opened');
    const id = '4b1c2a00-cc78-11e3-81ab-4c9367dc0958';
    const first = await post('pull_request', JSON.stringify(payload), { 'x-github-delivery': id });
    expect(first.json.duplicate).toBe(false);
    const before = await store.db.select().from(pullRequests).all();
    payload.pull_request.title = 'Replayed with a new title';
    const again = await post('pull_request', JSON.stringify(payload), { 'x-github-delivery': id });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ ok: true, duplicate: true, delivery: id });
    expect(await store.db.select().from(pullRequests).all()).toEqual(before);
    expect(await store.db.select().from(webhookDeliveries).all()).toHaveLength(1);
  });

  it('needs the event and delivery headers and a JSON body', async () => {
    const { post, count } = setup();
    const body = JSON.stringify(example<PullRequestEvent>('pull_request', 'opened'));
    expect((await post('pull_request', body, { 'x-github-delivery': null })).status).toBe(400);
    expect((await post('pull_request', body, { 'x-github-event': null })).status).toBe(400);
    expect((await post('pull_request', body, { 'x-github-delivery': '../../etc' })).status).toBe(400);
    expect((await post('pull_request', 'payload=%7B%7D')).status).toBe(400);
    const malformed = await post('pull_request', JSON.stringify({ action: 'opened', pull_request: { number: 'two' } }));
    expect(malformed.status).toBe(400);
    expect(malformed.json.error?.message).toContain('malformed pull_request payload');
    expect(await count()).toEqual({ prs: 0, deliveries: 0 });
  });

  it('acknowledges events grasp does not use, and deliveries for another repository, without storing them', async () => {
    const { store, post, count } = setup();
    const issues = await post('issues', JSON.stringify({ action: 'opened', issue: { number: 1 } }));
    expect(issues).toMatchObject({ status: 200, json: { ignored: 'event issues is not used by grasp' } });
    // The one tracked repository is linked to another GitHub repository.
    const shop = await upsertRepo(store, { path: '/src/shop', name: 'shop', head: null });
    await setRepoMeta(forRepo(store, shop.id), 'github.repo', 'acme/shop');
    const other = await post('pull_request', JSON.stringify(example<PullRequestEvent>('pull_request', 'opened')));
    expect(other).toMatchObject({ status: 200, json: { ignored: 'repository Codertocat/Hello-World is not tracked here' } });
    expect(await count()).toEqual({ prs: 0, deliveries: 2 });
  });
});

describe('events', () => {
  it('stores reviews and review comments, and removes deleted comments', async () => {
    const { store, post } = setup();
    const review = example<PullRequestReviewEvent>('pull_request_review', 'submitted');
    expect((await post('pull_request_review', JSON.stringify(review))).status).toBe(200);
    expect(await store.db.select().from(reviews).all()).toEqual([
      expect.objectContaining({ id: '237895671', number: 2, authorLogin: 'Codertocat', state: 'COMMENTED', body: '', commitSha: review.review.commit_id }),
    ]);
    const created = example<PullRequestReviewCommentEvent>('pull_request_review_comment', 'created');
    const withLines = examples.find((d) => d.name === 'pull_request_review_comment')!.examples.find((e) => (e as { comment: { line?: number } }).comment.line);
    for (const payload of [created, withLines]) expect((await post('pull_request_review_comment', JSON.stringify(payload))).status).toBe(200);
    const stored = await store.db.select().from(reviewComments).all();
    expect(stored).toEqual([expect.objectContaining({ id: '284312630', reviewId: '237895671', number: 2, path: 'README.md', line: 265, originalLine: 265 })]);
    const deleted = example<PullRequestReviewCommentEvent>('pull_request_review_comment', 'deleted');
    expect((await post('pull_request_review_comment', JSON.stringify(deleted))).status).toBe(200);
    expect(await store.db.select().from(reviewComments).all()).toEqual([]);
    const dismissed = example<PullRequestReviewEvent>('pull_request_review', 'dismissed');
    await post('pull_request_review', JSON.stringify(dismissed));
    expect((await store.db.select().from(reviews).get())!.state).toBe('DISMISSED');
  });

  it('feeds the same rules as the sync: a silent approval right after a push is a rubber stamp', async () => {
    const { store, post } = setup();
    const sync = example<PullRequestEvent>('pull_request', 'synchronize');
    await post('pull_request', JSON.stringify(sync));
    expect((await store.db.select().from(pullRequests).get())!.lastPushAt).toBe(Date.parse(sync.pull_request.updated_at) / 1000);
    const approval = example<PullRequestReviewEvent>('pull_request_review', 'submitted');
    Object.assign(approval.review, { state: 'approved', body: null, submitted_at: sync.pull_request.updated_at });
    const res = await post('pull_request_review', JSON.stringify(approval));
    expect(res.json).toMatchObject({ credits: 'done' });
    expect(await store.db.select().from(reviews).get()).toMatchObject({
      state: 'APPROVED',
      rubberStamp: true,
      rubberStampReason: 'approved 0 s after the last push, without a comment; 2 changed lines call for at least 2 s',
    });
  });

  it('records a push to a pull request branch as its latest push', async () => {
    const { store, post } = setup();
    const opened = example<PullRequestEvent>('pull_request', 'opened');
    opened.pull_request.head.ref = 'master';
    await post('pull_request', JSON.stringify(opened));
    const push = example<PushEvent>('push');
    const branchPush = examples.find((d) => d.name === 'push')!.examples.find((e) => (e as PushEvent).ref === 'refs/heads/master') as PushEvent;
    expect((await post('push', JSON.stringify(push))).json).toMatchObject({ ok: true, pullRequests: [] });
    const res = await post('push', JSON.stringify(branchPush));
    expect(res.json).toMatchObject({ ok: true, event: 'push', pullRequests: [2] });
    expect((await store.db.select().from(pullRequests).get())!.lastPushAt).toBe(branchPush.repository.pushed_at);
  });
});
