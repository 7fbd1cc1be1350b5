/**
 * The environment GitHub Actions gives a step, checked once: a missing or malformed variable is
 * one line naming it. Pure (takes the environment object), so tests pass their own.
 */
import { CiProblem } from './problem.ts';

export interface ActionsEnvironment {
  eventPath: string;
  eventName: string;
  /** owner/name */
  repository: string;
  workspace: string;
  /** GITHUB_TOKEN or --token; null is fine for --dry-run. */
  token: string | null;
  graphqlUrl: string | undefined;
  /** Files the runner collects; null when not running on a runner (then the summary goes to stdout). */
  summaryPath: string | null;
  outputPath: string | null;
  /** A link to the run, for the check run's details. */
  runUrl: string | null;
}

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ON_RUNNER = 'the GitHub Actions runner sets it; outside Actions set it yourself (see the README, "GitHub Action")';

function need(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name]?.trim();
  if (!v) throw new CiProblem('invalid', `${name} is not set: grasp ci github needs it (${ON_RUNNER})`, `set ${name}; ${ON_RUNNER}`);
  return v;
}

export function readActionsEnvironment(env: NodeJS.ProcessEnv, opts: { token?: string; dryRun: boolean }): ActionsEnvironment {
  const eventPath = need(env, 'GITHUB_EVENT_PATH');
  const eventName = need(env, 'GITHUB_EVENT_NAME');
  const repository = need(env, 'GITHUB_REPOSITORY');
  if (!REPOSITORY.test(repository)) {
    throw new CiProblem('invalid', `GITHUB_REPOSITORY "${repository.slice(0, 200)}" is not owner/name`, 'set GITHUB_REPOSITORY to owner/name');
  }
  const workspace = need(env, 'GITHUB_WORKSPACE');
  const token = opts.token?.trim() || env.GITHUB_TOKEN?.trim() || null;
  if (!token && !opts.dryRun) {
    throw new CiProblem(
      'invalid',
      'GITHUB_TOKEN is not set: posting the comment and the check run needs it (or give --token, or run with --dry-run)',
      'pass `token: ${{ github.token }}` to the action (permissions: pull-requests: write, checks: write), or use --dry-run',
    );
  }
  const server = env.GITHUB_SERVER_URL?.trim();
  const runId = env.GITHUB_RUN_ID?.trim();
  return {
    eventPath,
    eventName,
    repository,
    workspace,
    token,
    graphqlUrl: env.GITHUB_GRAPHQL_URL?.trim() || undefined,
    summaryPath: env.GITHUB_STEP_SUMMARY?.trim() || null,
    outputPath: env.GITHUB_OUTPUT?.trim() || null,
    runUrl: server && runId && /^\d+$/.test(runId) && /^https?:\/\//.test(server) ? `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${runId}` : null,
  };
}
