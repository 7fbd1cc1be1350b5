/**
 * `grasp ci github`, the orchestration: environment and event, policy, incremental ingest of the
 * checkout, optional push to the team service, the PR's checklist and gate, then the job summary,
 * the step outputs, and (unless dry-run) the PR comment and the check run.
 */
import { analyzeIfNeeded } from '../ingest/analysis-step.ts';
import { saveCheckRun } from '../db/repo/check-runs.ts';
import { findCommit } from '../db/repo/targets.ts';
import { forRepo, type RepoStore, type Store } from '../db/store.ts';
import { hasCommit } from '../git/objects.ts';
import { inspectRepository } from '../git/repository.ts';
import { postChecklistComment } from '../github/checklist-comment.ts';
import { publishCheckRun } from '../github/check-run.ts';
import { createGithubClient } from '../github/client.ts';
import { ingestRepository } from '../ingest/ingest.ts';
import { readActionsEnvironment, type ActionsEnvironment } from './env.ts';
import { evaluateRange, type Evaluation } from './evaluate.ts';
import { checkEventRepository, readEvent, type CiEvent } from './event.ts';
import { writeOutputs, writeSummary } from './outputs.ts';
import { loadPolicy } from './policy-file.ts';
import type { Policy } from './policy.ts';
import { CiProblem } from './problem.ts';
import { checklistWithGate, checkRunText, gateMarkdown } from './report.ts';

export interface CiOptions {
  policy?: string;
  dryRun: boolean;
  enforce: boolean;
  token?: string;
  /** Team service: push there and evaluate with its engineers and marks. */
  server?: {
    url: string;
    push(store: Store): Promise<string>;
    evaluate(input: { repo: string; base: string; head: string; policy: Policy }): Promise<Evaluation>;
    recordCheckRun?(input: { number: number; base: string; head: string; checkRunId: string; repository: string; repositoryId: string; policy: Policy }): Promise<void>;
  };
  fetch?: typeof fetch;
  log(line: string): void;
}

export interface CiResult {
  exitCode: 0 | 1;
  gate: 'pass' | 'fail' | 'skipped';
}

/** Reads the environment and event first, so a bad setup fails before any database is touched. */
export function prepare(env: NodeJS.ProcessEnv, opts: Pick<CiOptions, 'policy' | 'dryRun' | 'token'>) {
  const actions = readActionsEnvironment(env, opts);
  const event = readEvent(actions.eventPath, actions.eventName);
  checkEventRepository(event, actions.repository);
  const { policy, source } = loadPolicy({ file: opts.policy, workspace: actions.workspace });
  return { actions, event, policy, policySource: source };
}

export async function runCi(team: Store, prepared: ReturnType<typeof prepare>, opts: CiOptions): Promise<CiResult> {
  const { actions, event, policy, policySource } = prepared;
  if (event.kind === 'pull-request') await requireCommits(actions.workspace, event);
  const ingest = await ingestRepository(team, actions.workspace, { allRefs: true });
  const store = forRepo(team, ingest.repoId);
  await analyzeIfNeeded(store, ingest.root, ingest.head);
  opts.log(`ingest: ${ingest.newCommits} new commits, ${ingest.totalCommits} in the database`);
  const pushed = opts.server ? await opts.server.push(store) : null;
  if (pushed) opts.log(pushed);

  if (event.kind !== 'pull-request') {
    writeSummary(
      actions.summaryPath,
      `### grasp: ${event.name} event\n\nIngested ${ingest.newCommits} new commit${ingest.newCommits === 1 ? '' : 's'} (${ingest.totalCommits} in the database)${pushed ? ' and pushed them to the team service' : ''}. ` +
        `No merge gate: the checklist and the gate run on \`pull_request\` and \`pull_request_target\` events only.\n`,
    );
    writeOutputs(actions.outputPath, { gate: 'skipped', debt: 0, 'effort-minutes': 0, unreviewed: 0 });
    return { exitCode: 0, gate: 'skipped' };
  }

  for (const sha of [event.baseSha, event.headSha]) {
    if (!(await findCommit(store, sha))) {
      throw new CiProblem('not-found', `commit ${sha} of PR #${event.number} is in the checkout but no ref reaches it, so it was not ingested`, 'fetch the PR refs (see the README example: git fetch origin +refs/pull/*/head:refs/remotes/origin/pr/*)');
    }
  }
  const evaluation = opts.server
    ? await opts.server.evaluate({ repo: ingest.name, base: event.baseSha, head: event.headSha, policy })
    : await evaluateRange(store, { base: event.baseSha, head: event.headSha, policy });
  const { checklist, gate } = evaluation;
  const enforced = opts.enforce || policy.enforce;
  const body = checklistWithGate(checklist, gateMarkdown(gate, policy, policySource, { enforced }));
  writeSummary(actions.summaryPath, body);
  writeOutputs(actions.outputPath, { gate: gate.pass ? 'pass' : 'fail', debt: gate.debt, 'effort-minutes': gate.effortMinutes, unreviewed: gate.unreviewed });
  opts.log(`PR #${event.number}: gate ${gate.pass ? 'pass' : 'fail'}, debt ${gate.debt}, ${gate.unreviewed} unreviewed, ~${gate.effortMinutes} min`);

  if (!opts.dryRun) await publish(store, actions, event, evaluation, body, policy, enforced, opts);
  return { exitCode: !gate.pass && enforced ? 1 : 0, gate: gate.pass ? 'pass' : 'fail' };
}

async function publish(store: RepoStore, actions: ActionsEnvironment, event: Extract<CiEvent, { kind: 'pull-request' }>, evaluation: Evaluation, body: string, policy: Policy, enforced: boolean, opts: CiOptions) {
  const [owner = '', repo = ''] = actions.repository.split('/');
  const client = createGithubClient({ token: actions.token!, graphqlUrl: actions.graphqlUrl, fetch: opts.fetch });
  const { gate } = evaluation;
  const comment = await postChecklistComment({ client, owner, repo, number: event.number, body });
  opts.log(`${comment.action} the checklist comment: ${comment.url}`);
  const check = await publishCheckRun({
    client,
    owner,
    repo,
    repositoryId: event.repositoryId,
    headSha: event.headSha,
    conclusion: gate.pass ? 'SUCCESS' : enforced ? 'FAILURE' : 'NEUTRAL',
    output: checkRunText(gate, policy, { enforced }),
    detailsUrl: actions.runUrl,
  });
  opts.log(`${check.action} the check run: ${check.url}`);
  // Remembered where marks are made, so a service with GRASP_GITHUB_TOKEN can update this run later.
  const now = Math.floor(Date.now() / 1000);
  await saveCheckRun(store, { number: event.number, checkRunId: check.id, headSha: event.headSha, baseSha: event.baseSha, now });
  if (opts.server?.recordCheckRun) {
    const effective = { ...policy, enforce: enforced };
    await opts.server
      .recordCheckRun({ number: event.number, base: event.baseSha, head: event.headSha, checkRunId: check.id, repository: actions.repository, repositoryId: event.repositoryId, policy: effective })
      // The check run is posted either way; only the service's later updates are lost.
      .catch((err: unknown) => opts.log(`warning: ${err instanceof Error ? err.message : String(err)}; re-run the workflow after marking to update the check`));
  }
}

/** Both shas must be commits of the checkout; say why not (shallow clone, fork) and what to change. */
async function requireCommits(workspace: string, event: Extract<CiEvent, { kind: 'pull-request' }>): Promise<void> {
  const info = await inspectRepository(workspace).catch((err: unknown) => {
    throw new CiProblem('not-a-repository', `GITHUB_WORKSPACE is not a git checkout (${err instanceof Error ? err.message : String(err)})`, 'run actions/checkout before the grasp step');
  });
  for (const [what, sha] of [['head', event.headSha], ['base', event.baseSha]] as const) {
    if (await hasCommit(info.root, sha)) continue;
    const why = info.shallow
      ? 'the checkout is shallow (actions/checkout fetches one commit by default)'
      : event.fork && what === 'head'
        ? `the PR comes from a fork (${event.headRef}) whose commits were not fetched`
        : 'it was not fetched';
    throw new CiProblem(
      'not-found',
      `the checkout does not have the PR's ${what} commit ${sha}: ${why}`,
      'use actions/checkout with fetch-depth: 0 and fetch the PR refs (git fetch origin +refs/pull/*/head:refs/remotes/origin/pr/*), as in the README example',
    );
  }
}
