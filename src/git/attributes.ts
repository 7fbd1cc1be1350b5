/**
 * `linguist-generated` / `linguist-vendored` from .gitattributes, asked of git itself (`check-attr`),
 * so nested .gitattributes files and every pattern rule behave exactly as in git.
 *
 * The attributes are those of one revision (the analyzed head) and apply to every path in history:
 * a file marked generated today is treated as generated throughout. git < 2.40 has no
 * `check-attr --source`, so the revision's tree is read into a throwaway index (GIT_INDEX_FILE)
 * and asked with `--cached`; the repository's own index and work tree are never touched.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraspError } from '../core/errors.ts';
import { GIT_SAFE_CONFIG, firstLine, gitEnv, runGit } from './run.ts';

/** The linguist attributes of one path (from .gitattributes). */
export interface PathAttributes {
  generated?: boolean;
  vendored?: boolean;
}

export class AttributeReader {
  private readonly cache = new Map<string, PathAttributes>();

  private constructor(
    private readonly root: string,
    private readonly indexFile: string | null,
    private readonly tempDir: string | null,
  ) {}

  /** A reader for the attributes at `rev`; one that knows no attributes when rev is null or has no .gitattributes. */
  static async at(root: string, rev: string | null): Promise<AttributeReader> {
    if (!rev) return new AttributeReader(root, null, null);
    const list = await runGit(root, ['ls-tree', '-r', '-z', '--name-only', rev]);
    if (list.code !== 0) throw new GraspError('git-failed', `git ls-tree failed: ${firstLine(list.stderr)}`);
    const hasAttributes = list.stdout
      .toString('utf8')
      .split('\0')
      .some((p) => p === '.gitattributes' || p.endsWith('/.gitattributes'));
    if (!hasAttributes) return new AttributeReader(root, null, null);
    const dir = mkdtempSync(join(tmpdir(), 'grasp-attr-'));
    const indexFile = join(dir, 'index');
    const r = await runWithIndex(root, indexFile, ['read-tree', rev], '');
    if (r.code !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new GraspError('git-failed', `git read-tree failed: ${firstLine(r.stderr)}`);
    }
    return new AttributeReader(root, indexFile, dir);
  }

  get(path: string): PathAttributes {
    return this.cache.get(path) ?? {};
  }

  /** Looks up every path not seen yet, in one `git check-attr`. */
  async load(paths: Iterable<string>): Promise<void> {
    const missing = [...new Set(paths)].filter((p) => !this.cache.has(p));
    if (missing.length === 0) return;
    if (!this.indexFile) {
      for (const p of missing) this.cache.set(p, {});
      return;
    }
    const args = ['check-attr', '-z', '--cached', '--stdin', 'linguist-generated', 'linguist-vendored'];
    const r = await runWithIndex(this.root, this.indexFile, args, missing.map((p) => `${p}\0`).join(''));
    if (r.code !== 0) throw new GraspError('git-failed', `git check-attr failed: ${firstLine(r.stderr)}`);
    for (const p of missing) this.cache.set(p, {});
    const fields = r.stdout.split('\0');
    for (let i = 0; i + 2 < fields.length; i += 3) {
      const [path, attr, value] = [fields[i]!, fields[i + 1]!, fields[i + 2]!];
      const flag = value === 'set' || value === 'true' ? true : value === 'unset' || value === 'false' ? false : undefined;
      if (flag === undefined) continue;
      const entry = this.cache.get(path) ?? {};
      if (attr === 'linguist-generated') entry.generated = flag;
      if (attr === 'linguist-vendored') entry.vendored = flag;
      this.cache.set(path, entry);
    }
  }

  close(): void {
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }
}

function runWithIndex(root: string, indexFile: string, args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...GIT_SAFE_CONFIG, ...args], { cwd: root, env: { ...gitEnv(), GIT_INDEX_FILE: indexFile } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new GraspError('git-failed', `could not run git: ${e.message}`, { cause: e })));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
