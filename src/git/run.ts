/**
 * Spawning `git`. Every invocation gets an environment that can never block on a prompt
 * and never reaches the network (a partial clone must not try to fetch missing blobs).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GraspError } from '../core/errors.ts';

/** Config prefix for every git call: no lazy fetch, no pager, raw (unquoted non-ASCII) paths. */
export const GIT_SAFE_CONFIG = ['-c', 'protocol.allow=never', '-c', 'core.quotepath=off', '-c', 'log.showSignature=false'];

export function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'echo',
    GIT_PAGER: 'cat',
    GIT_NO_LAZY_FETCH: '1', // honoured by git >= 2.44; protocol.allow=never covers older ones
    LC_ALL: 'C',
  };
}

export function spawnGit(cwd: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn('git', [...GIT_SAFE_CONFIG, ...args], { cwd, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** Runs git to completion, collecting output. Does not throw on a non-zero exit. */
export function runGit(cwd: string, args: string[], input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new GraspError('git-failed', `could not run git: ${e.message}`, { cause: e })));
    child.on('close', (code) =>
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 }),
    );
    child.stdin.on('error', () => {}); // git may exit before reading stdin
    child.stdin.end(input ?? '');
  });
}

/** Runs git and returns stdout as UTF-8; throws GraspError with git's own message on failure. */
export async function gitText(cwd: string, args: string[], input?: string): Promise<string> {
  const r = await runGit(cwd, args, input);
  if (r.code !== 0) {
    throw new GraspError('git-failed', `git ${args[0]} failed: ${firstLine(r.stderr) || `exit ${r.code}`}`);
  }
  return r.stdout.toString('utf8');
}

export function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}
