/** Runs the real `grasp` CLI in a child process (tests only). */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve(__dirname, '../../bin/grasp.mjs');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function grasp(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: opts.cwd, env: { ...process.env, GRASP_DB: '', ...opts.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts grasp with its stdout pipe already closed by the reader (like `| head -0`), and waits for it. */
export function graspIntoClosedPipe(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, GRASP_DB: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stderr }));
  });
}
