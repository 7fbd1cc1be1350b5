/**
 * grasp's one check run per head commit, `grasp / understanding`: updated in place when this
 * commit already has one (a re-run, or the service re-evaluating after a mark), else created.
 * GitHub lets only the app that created a check run update it, so a refused update creates a new
 * run (GitHub shows the newest run of a name).
 */
import { z } from 'zod';
import { GraspError } from '../core/errors.ts';
import type { GithubClient } from './client.ts';
import { CHECK_RUNS_QUERY, CREATE_CHECK_RUN_MUTATION, UPDATE_CHECK_RUN_MUTATION } from './queries/check-run.ts';
import { parseGithub } from './response-schemas.ts';

export const CHECK_RUN_NAME = 'grasp / understanding';

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: { path: string; location: { startLine: number; endLine: number }; annotationLevel: 'FAILURE' | 'WARNING' | 'NOTICE'; message: string; title?: string }[];
}

export interface PublishCheckRunInput {
  client: GithubClient;
  owner: string;
  repo: string;
  /** The repository's node id (the webhook payload's repository.node_id). */
  repositoryId: string;
  headSha: string;
  conclusion: 'SUCCESS' | 'FAILURE' | 'NEUTRAL';
  output: CheckRunOutput;
  detailsUrl?: string | null;
  now?: () => Date;
  /** A run GitHub already refused to update (another app's): create instead of trying it again. */
  refused?: string | null;
}

const runsSchema = z.object({
  repository: z
    .object({
      object: z
        .object({
          __typename: z.string(),
          checkSuites: z
            .object({ nodes: z.array(z.object({ checkRuns: z.object({ nodes: z.array(z.object({ id: z.string() }).nullable()).nullable() }).nullable() }).nullable()).nullable() })
            .nullable()
            .optional(),
        })
        .nullable(),
    })
    .nullable(),
});
const runSchema = z.object({ checkRun: z.object({ id: z.string(), url: z.string() }).nullable() }).nullable();
const createdSchema = z.object({ createCheckRun: runSchema });
const updatedSchema = z.object({ updateCheckRun: runSchema });

/** GitHub caps the output texts at 65,535 characters. */
const cap = (s: string) => (s.length > 65_000 ? `${s.slice(0, 65_000)}\n…` : s);

export async function publishCheckRun(input: PublishCheckRunInput): Promise<{ action: 'created' | 'updated'; id: string; url: string }> {
  const { client } = input;
  const found = await client.request<unknown>(CHECK_RUNS_QUERY, { owner: input.owner, name: input.repo, oid: input.headSha, checkName: CHECK_RUN_NAME });
  const data = parseGithub(runsSchema, found.data, `check runs of ${input.headSha.slice(0, 7)}`);
  if (!data.repository) throw new GraspError('not-found', `repository ${input.owner}/${input.repo} not found (or not visible to this token)`);
  if (!data.repository.object) throw new GraspError('not-found', `commit ${input.headSha} is not on GitHub in ${input.owner}/${input.repo}`);
  const existing = (data.repository.object.checkSuites?.nodes ?? []).flatMap((s) => s?.checkRuns?.nodes ?? []).find((r) => r !== null)?.id ?? null;
  const fields = checkRunFields(input);
  if (existing && existing !== input.refused) {
    const run = await updateCheckRunById({ ...input, checkRunId: existing });
    if (run) return { action: 'updated', id: run.id, url: run.url };
    // Another app's run of the same name: fall through and create ours.
  }
  const res = await client.request<unknown>(CREATE_CHECK_RUN_MUTATION, { input: { ...fields, headSha: input.headSha } });
  const run = parseGithub(createdSchema, res.data, 'createCheckRun').createCheckRun?.checkRun;
  if (!run) throw new GraspError('github-failed', `GitHub did not create the check run: ${res.errors.map((e) => e.message).join('; ') || 'no reason given'} (the token needs checks: write)`);
  return { action: 'created', id: run.id, url: run.url };
}

type CheckRunResult = Pick<PublishCheckRunInput, 'repositoryId' | 'conclusion' | 'output' | 'detailsUrl' | 'now'>;

function checkRunFields(input: CheckRunResult) {
  return {
    repositoryId: input.repositoryId,
    name: CHECK_RUN_NAME,
    status: 'COMPLETED',
    conclusion: input.conclusion,
    completedAt: (input.now ?? (() => new Date()))().toISOString(),
    output: { ...input.output, summary: cap(input.output.summary), ...(input.output.text !== undefined ? { text: cap(input.output.text) } : {}) },
    ...(input.detailsUrl ? { detailsUrl: input.detailsUrl } : {}),
  };
}

/**
 * Updates a known check run in place (one request). Null when GitHub refuses it (another app's
 * run, or one that no longer exists): the caller creates a new one. Outages and rate limits throw.
 */
export async function updateCheckRunById(input: CheckRunResult & { client: GithubClient; checkRunId: string }): Promise<{ id: string; url: string } | null> {
  const res = await input.client.request<unknown>(UPDATE_CHECK_RUN_MUTATION, { input: { ...checkRunFields(input), checkRunId: input.checkRunId } }).catch((err: unknown) => {
    // A GraphQL refusal without data (FORBIDDEN, NOT_FOUND) comes as github-failed without an HTTP status.
    if (err instanceof GraspError && err.code === 'github-failed' && !isHttpFailure(err)) return null;
    throw err;
  });
  return res ? (parseGithub(updatedSchema, res.data, 'updateCheckRun').updateCheckRun?.checkRun ?? null) : null;
}

function isHttpFailure(err: GraspError): boolean {
  const cause = err.cause as { name?: string; status?: unknown } | undefined;
  return cause?.name === 'HttpError' && typeof cause.status === 'number';
}
