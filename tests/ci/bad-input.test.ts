/**
 * What goes wrong on real runners: a missing variable, a missing event file, an event for another
 * repository, a shallow checkout without the PR's commits, a malformed policy. Each is one line on
 * stderr (no stack trace), exit 2, and a job summary that says what to fix. A push event ingests
 * only and says so.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitFixture, tempDir } from '../helpers/git-fixture.ts';
import { exampleEvent, grasp, pullRequestEvent, REPOSITORY, runnerEnv } from './helpers.ts';

const repo = new GitFixture();
const dir = tempDir('grasp-ci-bad-');
let base = '';
let head = '';
beforeAll(() => {
  repo.write('src/a.ts', 'export function a(x: number) {\n  return x;\n}\n');
  base = repo.commit({ message: 'a' });
  repo.write('src/a.ts', 'export function a(x: number) {\n  return x > 1 ? x : 1;\n}\n');
  head = repo.commit({ message: 'a: clamp\n\nCo-authored-by: Claude <noreply@anthropic.com>' });
});
afterAll(() => {
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('ingest:'));
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |unexpected error/);
  return lines[0]!;
}

describe('grasp ci github on bad input', () => {
  it('names the missing variable', async () => {
    const r = runnerEnv(dir, repo.dir, pullRequestEvent({ number: 1, base, head }));
    for (const name of ['GITHUB_EVENT_PATH', 'GITHUB_EVENT_NAME', 'GITHUB_REPOSITORY', 'GITHUB_WORKSPACE']) {
      const res = await grasp(['ci', 'github', '--db', join(dir, 'x.db'), '--dry-run'], { ...r.env, [name]: '' });
      expect(res.code, name).toBe(2);
      expect(oneLine(res.stderr)).toContain(`${name} is not set`);
    }
    const noToken = await grasp(['ci', 'github', '--db', join(dir, 'x.db')], r.env);
    expect(noToken.code).toBe(2);
    expect(oneLine(noToken.stderr)).toContain('GITHUB_TOKEN is not set');
    expect(r.summary()).toContain('**To fix:**');
  });

  it('a missing event file, an event of another repository', async () => {
    const r = runnerEnv(dir, repo.dir, pullRequestEvent({ number: 1, base, head }));
    const missing = await grasp(['ci', 'github', '--db', join(dir, 'x.db'), '--dry-run'], { ...r.env, GITHUB_EVENT_PATH: join(dir, 'nope.json') });
    expect(missing.code).toBe(2);
    expect(oneLine(missing.stderr)).toContain('cannot read the event file');
    expect(r.summary()).toContain('could not evaluate the merge gate');
    expect(r.outputs().gate).toBe('error');

    // Unreadable: a directory where the file should be, and a file that is not JSON.
    const notJson = join(dir, 'truncated.json');
    writeFileSync(notJson, '{"action": "opened", "pull_request": ');
    for (const [path, says] of [[dir, 'cannot read the event file'], [notJson, 'is not JSON']] as const) {
      const u = runnerEnv(dir, repo.dir, pullRequestEvent({ number: 1, base, head }));
      const res = await grasp(['ci', 'github', '--db', join(dir, 'x.db'), '--dry-run'], { ...u.env, GITHUB_EVENT_PATH: path });
      expect(res.code, path).toBe(2);
      expect(oneLine(res.stderr)).toContain(says);
      expect(u.summary()).toContain('**To fix:**');
    }

    const other = runnerEnv(dir, repo.dir, pullRequestEvent({ number: 1, base, head, repository: 'mallory/elsewhere' }));
    const res = await grasp(['ci', 'github', '--db', join(dir, 'x.db'), '--dry-run'], other.env);
    expect(res.code).toBe(2);
    expect(oneLine(res.stderr)).toContain(`the event is for mallory/elsewhere, but GITHUB_REPOSITORY is ${REPOSITORY}`);
    expect(other.summary()).toContain('**To fix:**');
  });

  it('a shallow checkout that lacks the PR commits says to use fetch-depth: 0', async () => {
    const shallow = join(dir, 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, shallow]);
    const other = new GitFixture(); // a commit the shallow clone cannot have
    other.write('b.ts', 'export const b = 1;\n');
    const foreign = other.commit();
    other.cleanup();
    const r = runnerEnv(dir, shallow, pullRequestEvent({ number: 2, base: foreign, head }));
    const res = await grasp(['ci', 'github', '--db', join(dir, 'shallow.db'), '--dry-run'], r.env);
    expect(res.code).toBe(2);
    expect(oneLine(res.stderr)).toContain(`the checkout does not have the PR's base commit ${foreign}: the checkout is shallow`);
    expect(r.summary()).toContain('fetch-depth: 0');
  });

  it('a malformed policy points at the key and line', async () => {
    const cases: [string, RegExp][] = [
      ['require: reviewed\nflags:\n  - securty\n', /grasp\.yml line 3: flags\[0\]: unknown flag code "securty"/],
      ['require: approved\n', /line 1: require: unknown level "approved"/],
      ['max-debt: lots\n', /line 1: max-debt: /],
      ['enforce: true\nenforce: false\n', /not valid YAML/],
      ['colour: red\n', /unknown key colour/],
    ];
    for (const [text, expected] of cases) {
      const file = join(dir, 'grasp.yml');
      writeFileSync(file, text);
      const r = runnerEnv(dir, repo.dir, pullRequestEvent({ number: 1, base, head }));
      const res = await grasp(['ci', 'github', '--db', join(dir, 'x.db'), '--dry-run', '--policy', file], r.env);
      expect(res.code, text).toBe(2);
      expect(oneLine(res.stderr), text).toMatch(expected);
      expect(r.summary()).toContain('Policy');
    }
  }, 60_000);

  it('a push event ingests only and says so in the summary', async () => {
    const ws = join(dir, 'ws');
    mkdirSync(ws, { recursive: true });
    const push = exampleEvent('push');
    const r = runnerEnv(dir, repo.dir, push, 'push');
    const res = await grasp(['ci', 'github', '--db', join(dir, 'push.db'), '--dry-run'], r.env);
    expect(res.stderr).not.toContain('unexpected');
    expect(res.code).toBe(0);
    expect(r.summary()).toContain('No merge gate: the checklist and the gate run on `pull_request`');
    expect(r.outputs()).toMatchObject({ gate: 'skipped' });
  });
});
