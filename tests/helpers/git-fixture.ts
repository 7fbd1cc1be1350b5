/**
 * Builds real git repositories in a temp dir for tests: commits with chosen authors,
 * trailers, branches, renames, binary files and git-ai notes. Every call spawns real `git`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, renameSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Person {
  name: string;
  email: string;
}

export const HUMAN: Person = { name: 'Ada Human', email: 'ada@example.com' };
export const HUMAN2: Person = { name: 'Bob Builder', email: 'bob@example.com' };

export interface CommitOptions {
  author?: Person;
  committer?: Person;
  /** Full message (subject + body + trailers). */
  message?: string;
  /** ISO date for author and committer; defaults to a clock that advances 1h per commit. */
  date?: string;
  allowEmpty?: boolean;
}

export class GitFixture {
  readonly dir: string;
  private clock = Date.parse('2026-11-02T09:00:00Z');

  constructor(dir?: string, opts: { bare?: boolean } = {}) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'grasp-fixture-'));
    this.git('init', '-q', '-b', 'main', ...(opts.bare ? ['--bare'] : []));
    if (!opts.bare) {
      this.git('config', 'user.name', HUMAN.name);
      this.git('config', 'user.email', HUMAN.email);
      this.git('config', 'commit.gpgsign', 'false');
    }
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8', env: this.env(), maxBuffer: 1 << 28 });
  }

  gitRaw(args: string[], input?: string | Buffer, extraEnv: Record<string, string> = {}): Buffer {
    return execFileSync('git', args, { cwd: this.dir, input, env: { ...this.env(), ...extraEnv }, maxBuffer: 1 << 28 });
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };
  }

  write(path: string, content: string | Buffer): this {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return this;
  }

  remove(path: string): this {
    unlinkSync(join(this.dir, path));
    return this;
  }

  move(from: string, to: string): this {
    mkdirSync(dirname(join(this.dir, to)), { recursive: true });
    renameSync(join(this.dir, from), join(this.dir, to));
    return this;
  }

  /** Stages everything and commits; returns the new sha. */
  commit(opts: CommitOptions = {}): string {
    const author = opts.author ?? HUMAN;
    const committer = opts.committer ?? author;
    const date = opts.date ?? new Date((this.clock += 3600_000)).toISOString();
    this.git('add', '-A');
    const args = ['commit', '-q', '--no-verify', '-m', opts.message ?? 'change'];
    if (opts.allowEmpty) args.push('--allow-empty');
    execFileSync('git', args, {
      cwd: this.dir,
      env: {
        ...this.env(),
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
        GIT_COMMITTER_DATE: date,
      },
    });
    return this.head();
  }

  head(rev = 'HEAD'): string {
    return this.git('rev-parse', rev).trim();
  }

  branch(name: string, from = 'HEAD'): this {
    this.git('branch', '-f', name, from);
    return this;
  }

  checkout(name: string): this {
    this.git('checkout', '-q', name);
    return this;
  }

  /** Adds a note under refs/notes/<ref> (git-ai uses refs/notes/ai). */
  note(sha: string, text: string, ref = 'ai'): this {
    this.git('notes', `--ref=${ref}`, 'add', '-f', '-m', text, sha);
    return this;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function tempDir(prefix = 'grasp-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Writes a long linear history quickly with `git fast-import`: commit i edits file
 * `src/m<i % files>.ts`; every third commit is agent-authored (Claude trailer), every
 * seventh by a bot. Returns the number of commits written.
 */
export function buildHistory(repo: GitFixture, count: number, files = 20): number {
  const parts: string[] = [];
  const t0 = Date.parse('2026-01-01T00:00:00Z') / 1000;
  for (let i = 1; i <= count; i++) {
    const agent = i % 3 === 0;
    const bot = !agent && i % 7 === 0;
    const who = bot ? 'dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>' : `${HUMAN.name} <${HUMAN.email}>`;
    const msg = agent ? `change ${i}\n\nCo-authored-by: Claude <noreply@anthropic.com>\n` : `change ${i}\n`;
    const body = `export function f${i}(x: number): number {\n  if (x > ${i}) return x - ${i};\n  return x + ${i};\n}\n`;
    const path = `src/m${i % files}.ts`;
    parts.push(
      `commit refs/heads/main\nmark :${i}\nauthor ${who} ${t0 + i * 600} +0000\ncommitter ${who} ${t0 + i * 600} +0000\n` +
        `data ${Buffer.byteLength(msg)}\n${msg}` +
        (i > 1 ? `from :${i - 1}\n` : '') +
        `M 100644 inline ${path}\ndata ${Buffer.byteLength(body)}\n${body}\n`,
    );
  }
  repo.gitRaw(['fast-import', '--quiet'], parts.join(''));
  repo.git('reset', '-q', '--hard', 'main');
  return count;
}
