/**
 * The webhook payload of the event that started the workflow (GITHUB_EVENT_PATH), reduced to what
 * the gate needs and validated with zod. Only pull_request / pull_request_target carry a PR;
 * anything else (push, schedule, ...) means "ingest and push only".
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CiProblem } from './problem.ts';

const MAX_EVENT_BYTES = 25 * 1024 * 1024;
const sha = z.string().regex(/^[0-9a-f]{40}$/, 'must be a 40-digit commit sha');
const repo = z.object({ full_name: z.string().min(3).max(200), node_id: z.string().min(1).max(200) });

const pullRequestEvent = z.object({
  action: z.string().max(100).optional(),
  number: z.number().int().min(1),
  pull_request: z.object({
    number: z.number().int().min(1),
    base: z.object({ sha, ref: z.string().max(1000) }),
    head: z.object({ sha, ref: z.string().max(1000), repo: z.object({ full_name: z.string().max(200) }).nullable().optional() }),
  }),
  repository: repo,
});
const otherEvent = z.object({ repository: repo.partial().optional(), after: z.string().optional() });

export type CiEvent =
  | { kind: 'pull-request'; name: string; number: number; baseSha: string; headSha: string; baseRef: string; headRef: string; fork: boolean; repository: string; repositoryId: string }
  | { kind: 'other'; name: string; repository: string | null };

export const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

export function readEvent(path: string, name: string): CiEvent {
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.length > MAX_EVENT_BYTES) throw new Error(`larger than ${MAX_EVENT_BYTES} bytes`);
    text = buf.toString('utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new CiProblem('invalid', `cannot read the event file GITHUB_EVENT_PATH=${path} (${why})`, 'run grasp ci github in a workflow step (the runner writes the event file), or point GITHUB_EVENT_PATH at a webhook payload');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CiProblem('invalid', `the event file GITHUB_EVENT_PATH=${path} is not JSON`, 'point GITHUB_EVENT_PATH at the webhook payload JSON');
  }
  return parseEvent(json, name);
}

export function parseEvent(json: unknown, name: string): CiEvent {
  if (!PR_EVENTS.has(name)) {
    const other = otherEvent.safeParse(json);
    return { kind: 'other', name, repository: other.success ? (other.data.repository?.full_name ?? null) : null };
  }
  const parsed = pullRequestEvent.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CiProblem('invalid', `the ${name} event payload has no valid ${issue.path.join('.') || 'body'}: ${issue.message}`, `GITHUB_EVENT_NAME is ${name}: the event file must be that event's payload`);
  }
  const e = parsed.data;
  const headRepo = e.pull_request.head.repo?.full_name ?? null;
  return {
    kind: 'pull-request',
    name,
    number: e.pull_request.number,
    baseSha: e.pull_request.base.sha,
    headSha: e.pull_request.head.sha,
    baseRef: e.pull_request.base.ref,
    headRef: e.pull_request.head.ref,
    fork: headRepo !== null && headRepo.toLowerCase() !== e.repository.full_name.toLowerCase(),
    repository: e.repository.full_name,
    repositoryId: e.repository.node_id,
  };
}

/** The event must be about the repository the job runs for (GITHUB_REPOSITORY). */
export function checkEventRepository(event: CiEvent, repository: string): void {
  if (event.repository === null || event.repository.toLowerCase() === repository.toLowerCase()) return;
  throw new CiProblem(
    'invalid',
    `the event is for ${event.repository.slice(0, 200)}, but GITHUB_REPOSITORY is ${repository}`,
    'run the action in the repository the event belongs to (GITHUB_EVENT_PATH and GITHUB_REPOSITORY disagree)',
  );
}
