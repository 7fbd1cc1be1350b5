/**
 * Types and limits shared by the app and its routers, in one file below all of them, so a router
 * never imports the app that mounts it (and one router never imports another for a constant).
 */
import type { GateRefresher } from '../ci/refresh.ts';
import type { Policy } from '../ci/policy.ts';
import type { UnmergedBranch } from '../git/branches.ts';
import type { GitResolverAt } from '../checklist/revisions.ts';
import type { Store } from '../db/store.ts';
import type { ImportLimits } from '../db/repo/push-import.ts';
import type { WebhookBodyLimits } from './webhook-body.ts';
import type { SiteDeps } from './site.ts';

export type { AppEnv } from './auth.ts';

export interface AppDeps extends SiteDeps {
  store: Store;
  /** GitHub webhook secret (X-Hub-Signature-256); webhooks are refused without it. */
  webhookSecret?: string;
  /** Clock in epoch milliseconds, like Date.now (tests pin it). */
  now?: () => number;
  /** The queue may read unmerged branches from the tracked repository (Node with the repository at hand). */
  branches?: (root: string) => Promise<UnmergedBranch[]>;
  /** Revisions (`main`, `HEAD~2`, `v1.2^`) through git in the tracked repository (Node); else stored shas only. */
  revisions?: GitResolverAt;
  /**
   * GRASP_GITHUB_TOKEN: a token that may write checks. With it the service re-evaluates a PR's
   * gate after marks and credited reviews and updates its check run; without it nothing is sent.
   */
  githubToken?: string;
  /** GitHub's GraphQL endpoint for that token (GitHub Enterprise); default api.github.com. */
  githubGraphqlUrl?: string;
  /** The fetch the GitHub client uses (tests serve recorded answers through it); default global fetch. */
  githubFetch?: typeof fetch;
  /** Replaces the gate refresher built from `githubToken` (tests inject one over recorded answers). */
  gates?: GateRefresher | null;
  /** The queue's gate reads the tracked repository's `.github/grasp.yml` (Node); else the default policy. */
  policy?: (root: string) => { policy: Policy; source: string };
  /** Webhook body caps (size, and large bodies read at once); tests lower them. */
  webhookLimits?: Partial<WebhookBodyLimits>;
}

/** AppDeps plus what only the import needs; Workers pass a lower statement budget (D1's query cap). */
export type ImportDeps = AppDeps & { importLimits?: Partial<ImportLimits> };

/** Longest note on a mark (API and pages). */
export const MAX_NOTE_LENGTH = 16_000;
