/**
 * Runs one streaming `git log` and yields parsed commits in batches, with backpressure:
 * git's stdout is consumed only as fast as the caller stores batches.
 */
import { GitLogParser, LOG_FORMAT, type ParsedCommit } from '../git/log-parser.ts';
import { spawnGit } from '../git/run.ts';

/** Diff options shared by the main pass and the recovery passes. */
export const DIFF_ARGS = [
  '-z',
  '--raw',
  '--numstat',
  '-p',
  '-U0',
  '-M',
  '-C',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-abbrev',
  '--diff-merges=first-parent',
  '--encoding=UTF-8',
];

export interface LogRun {
  /** Exit code and stderr of git, available after iteration ends. */
  result(): { code: number; stderr: string };
}

/**
 * Streams `git log <args> --stdin` (revisions written to stdin, one per line) and calls
 * `onBatch` every `batchSize` commits and once at the end.
 */
export async function streamLog(
  root: string,
  args: string[],
  stdinRevs: string[],
  batchSize: number,
  onBatch: (commits: ParsedCommit[]) => Promise<void>,
): Promise<{ code: number; stderr: string }> {
  const child = spawnGit(root, ['log', `--format=${LOG_FORMAT}`, '--stdin', ...args]);
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    if (stderr.length < 64_000) stderr += b.toString('utf8');
  });
  const closed = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  child.stdin.on('error', () => {});
  child.stdin.end(stdinRevs.join('\n') + '\n');

  let pending: ParsedCommit[] = [];
  const parser = new GitLogParser((c) => pending.push(c));
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      parser.push(chunk);
      if (pending.length >= batchSize) {
        const batch = pending;
        pending = [];
        await onBatch(batch);
      }
    }
    const code = await closed;
    if (code === 0) parser.end();
    if (pending.length > 0) await onBatch(pending);
    return { code, stderr };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}
