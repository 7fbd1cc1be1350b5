/**
 * Runs `grasp ci github` as the Actions runner does: a spawned process with the runner's
 * environment variables, a real example webhook payload (@octokit/webhooks-examples) rewritten to
 * the fixture's shas, and temp files for the job summary and the step outputs.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import examples from '@octokit/webhooks-examples';

export const BIN = resolve(import.meta.dirname, '../../bin/grasp.mjs');
export const REPOSITORY = 'Codertocat/Hello-World';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns the CLI with exactly `env` on top of a clean environment (no GITHUB_* of the host). */
export function grasp(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<Run> {
  const base: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GITHUB_') && !k.startsWith('GRASP_') && k !== 'RUNNER_TEMP') base[k] = v;
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...base, ...env }, cwd, timeout: 90_000 }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

export function exampleEvent(name: string, action?: string): Record<string, any> {
  const list = (examples as { name: string; examples: Record<string, any>[] }[]).find((e) => e.name === name)!.examples;
  const found = list.find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`no ${name} ${action ?? ''} example`);
  return structuredClone(found);
}

/** GitHub's own `pull_request` `opened` example, pointed at the fixture's commits. */
export function pullRequestEvent(opts: { number: number; base: string; head: string; repository?: string }): Record<string, any> {
  const e = exampleEvent('pull_request', 'opened');
  e.number = opts.number;
  e.pull_request.number = opts.number;
  e.pull_request.base.sha = opts.base;
  e.pull_request.head.sha = opts.head;
  if (opts.repository) e.repository.full_name = opts.repository;
  return e;
}

/** The files and variables a runner gives the step. */
export function runnerEnv(dir: string, workspace: string, event: unknown, name = 'pull_request', extra: Record<string, string> = {}) {
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(event));
  const summary = join(dir, `summary-${Math.random().toString(36).slice(2)}.md`);
  const output = join(dir, `output-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(summary, '');
  writeFileSync(output, '');
  return {
    env: {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_EVENT_NAME: name,
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      ...extra,
    } as Record<string, string>,
    summary: () => readFileSync(summary, 'utf8'),
    outputs: () => Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])),
  };
}

/** Loopback "GitHub" answering POST /api/graphql through the recorded `fetch` (strict schema checks). */
export async function loopbackGithub(served: { fetch: typeof fetch }): Promise<{ server: import('node:http').Server; url: string }> {
  const { createServer } = await import('node:http');
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || req.url !== '/api/graphql') return void res.writeHead(404).end();
    try {
      const answer = await served.fetch(`http://${req.headers.host}${req.url}`, {
        method: 'POST',
        headers: { authorization: String(req.headers.authorization ?? '') },
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
    } catch (err) {
      res.writeHead(599).end(String(err));
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as import('node:net').AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/api/graphql` };
}
