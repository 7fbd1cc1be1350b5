/**
 * POST /webhooks/github (mounted with `app.route('/webhooks', webhookRoutes(deps))`).
 *
 * Order matters: the signature over the raw bytes is checked before anything is parsed or
 * looked up; then the delivery id makes a replay answer 200 `{ duplicate: true }` and change
 * nothing. Rows and the delivery record are written together (atomic); the credit rules run after
 * the response on Workers (waitUntil) and inline on Node, where they take milliseconds.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { GraspError } from '../../core/errors.ts';
import { chooseRepoStore, resolveGithubRepo } from '../../db/repo/repos.ts';
import { deliverySeen, prSnapshotQueries, pullRequestsForBranch, pushToBranchQuery, recordDeliveryQuery } from '../../db/repo/github.ts';
import type { WriteQuery } from '../../db/store.ts';
import { refreshRequestedCheckRun } from '../../ci/refresh.ts';
import { CHECK_RUN_NAME } from '../../github/check-run.ts';
import { applyReviewRules } from '../../github/credit-sync.ts';
import {
  checkRunRerequest,
  payloadRepository,
  pushFacts,
  snapshotFromPullRequestEvent,
  snapshotFromReviewCommentEvent,
  snapshotFromReviewEvent,
} from '../../github/normalize-webhook.ts';
import { LargeBodySlots, readSignedWebhookBody, type WebhookBodyLimits } from '../webhook-body.ts';
import type { AppDeps } from '../types.ts';
import type { AppEnv } from '../auth.ts';
import { runAfterResponse } from '../after-response.ts';

/** GitHub caps payloads at 25 MB; most are a few KB, so a handful of large ones at once is plenty. */
export const DEFAULT_WEBHOOK_LIMITS: WebhookBodyLimits = { maxBytes: 25 * 1024 * 1024, largeBytes: 1024 * 1024, maxLargeInFlight: 4 };

const DELIVERY_ID = /^[A-Za-z0-9-]{1,128}$/;
const EVENT_NAME = /^[a-z_]{1,64}$/;

/** Runs `work` after the response where the runtime allows it (Workers), else before answering. */
async function afterResponse(c: Context, work: Promise<unknown>): Promise<'deferred' | 'done'> {
  let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx; // throws on Node: no ExecutionContext there
  } catch {
    ctx = undefined;
  }
  const guarded = work.catch((err) => console.error('grasp: webhook follow-up failed:', err));
  if (ctx) {
    ctx.waitUntil(guarded);
    return 'deferred';
  }
  await guarded;
  return 'done';
}

export function webhookRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const nowSeconds = () => Math.floor((deps.now ?? Date.now)() / 1000);
  const limits: WebhookBodyLimits = { ...DEFAULT_WEBHOOK_LIMITS, ...deps.webhookLimits };
  const largeBodies = new LargeBodySlots(limits.maxLargeInFlight);
  const deliveriesInFlight = new Set<string>();

  app.post('/github', async (c) => {
    const secret = deps.webhookSecret;
    if (!secret) {
      throw new GraspError('forbidden', 'GitHub webhooks are disabled: no webhook secret is configured (set GRASP_WEBHOOK_SECRET)');
    }
    const raw = await readSignedWebhookBody(c.req.raw, secret, c.req.header('X-Hub-Signature-256'), limits, largeBodies);

    const event = c.req.header('X-GitHub-Event') ?? '';
    const delivery = c.req.header('X-GitHub-Delivery') ?? '';
    if (!EVENT_NAME.test(event)) throw new GraspError('invalid', 'missing or malformed X-GitHub-Event header');
    if (!DELIVERY_ID.test(delivery)) throw new GraspError('invalid', 'missing or malformed X-GitHub-Delivery header');
    // In flight here counts as seen: concurrent replays of one delivery must not all pass the check.
    // Claimed before the first await, so that no other request can pass between check and claim.
    if (deliveriesInFlight.has(delivery)) return c.json({ ok: true, duplicate: true, delivery });
    deliveriesInFlight.add(delivery);
    try {
      if (await deliverySeen(deps.store, delivery)) return c.json({ ok: true, duplicate: true, delivery });
      return await applyDelivery(c, raw, event, delivery);
    } finally {
      deliveriesInFlight.delete(delivery);
    }
  });

  async function applyDelivery(c: Context<AppEnv>, raw: Uint8Array<ArrayBuffer>, event: string, delivery: string): Promise<Response> {
    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    } catch {
      throw new GraspError('invalid', 'webhook body is not JSON (set the webhook content type to application/json)');
    }
    const action = (payload as { action?: unknown } | null)?.action;
    const answer = { ok: true, duplicate: false, delivery, event, action: typeof action === 'string' ? action : null };
    const record = recordDeliveryQuery(deps.store, delivery, event, nowSeconds());

    // Deliveries for a repository the service does not track are acknowledged and dropped.
    const about = payloadRepository(payload);
    const repoStore = about ? await resolveGithubRepo(deps.store, about, { register: true }).catch(() => undefined) : await chooseRepoStore(deps.store, {}).catch(() => undefined);
    if (!repoStore) {
      await deps.store.atomic([record]);
      return c.json({ ...answer, ignored: `repository ${about ?? '(none named)'} is not tracked here` });
    }
    const store = repoStore;

    let writes: WriteQuery[] = [];
    let numbers: number[] = [];
    switch (event) {
      case 'pull_request':
      case 'pull_request_review':
      case 'pull_request_review_comment': {
        const snap =
          event === 'pull_request'
            ? snapshotFromPullRequestEvent(payload)
            : event === 'pull_request_review'
              ? snapshotFromReviewEvent(payload)
              : snapshotFromReviewCommentEvent(payload);
        writes = prSnapshotQueries(store, snap);
        numbers = [snap.number];
        break;
      }
      case 'push': {
        const push = pushFacts(payload, nowSeconds());
        if (push.branch) {
          writes = [pushToBranchQuery(store, push.branch, push.at)];
          numbers = await pullRequestsForBranch(store, push.branch);
        }
        break;
      }
      case 'check_run': {
        const rerun = checkRunRerequest(payload);
        await store.atomic([record]);
        if (!rerun || rerun.name !== CHECK_RUN_NAME) return c.json({ ...answer, ignored: 'not a re-run request for grasp\'s check' });
        const { gates } = deps;
        if (!gates) return c.json({ ...answer, ignored: 'no GRASP_GITHUB_TOKEN: re-run the workflow to update the check' });
        runAfterResponse(c, () => refreshRequestedCheckRun(gates, store, rerun));
        return c.json({ ...answer, gate: 're-evaluating' });
      }
      default:
        await store.atomic([record]);
        return c.json({ ...answer, ignored: `event ${event} is not used by grasp` });
    }
    await store.atomic([...writes, record]);
    const { gates } = deps;
    const creditWork = numbers.length > 0 ? applyReviewRules(store, { numbers }) : null;
    const credits = creditWork ? await afterResponse(c, creditWork) : 'done';
    // A credited review may turn the gate green: re-evaluate once the credits are in (never awaited here).
    if (gates && creditWork && event === 'pull_request_review') {
      runAfterResponse(c, async () => ((await creditWork).marksAdded > 0 ? gates.refresh(store, numbers) : []));
    }
    return c.json({ ...answer, pullRequests: numbers, credits });
  }

  return app;
}
