/** Facts about a repository on disk, and the refs ingest reads from. */
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { GraspError } from '../core/errors.ts';
import { firstLine, gitText, runGit } from './run.ts';

export interface RepositoryInfo {
  /** Work tree root, or the git dir for a bare repository. */
  root: string;
  gitDir: string;
  bare: boolean;
  shallow: boolean;
  /** Current branch name, or null when HEAD is detached or unborn. */
  branch: string | null;
  /** HEAD commit, or null for an empty repository. */
  head: string | null;
}

export async function inspectRepository(path: string): Promise<RepositoryInfo> {
  const abs = resolve(path);
  try {
    if (!statSync(abs).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new GraspError('not-a-repository', `${path} is not a directory`);
  }
  const r = await runGit(abs, ['rev-parse', '--absolute-git-dir', '--is-bare-repository', '--is-shallow-repository']);
  if (r.code !== 0) throw new GraspError('not-a-repository', `${path} is not a git repository (${firstLine(r.stderr)})`);
  const [gitDir = '', bare = '', shallow = ''] = r.stdout.toString('utf8').trim().split('\n');
  const isBare = bare === 'true';
  let root = gitDir;
  if (!isBare) root = (await gitText(abs, ['rev-parse', '--show-toplevel'])).trim();
  const headR = await runGit(abs, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
  const branchR = await runGit(abs, ['symbolic-ref', '-q', '--short', 'HEAD']);
  return {
    root: realpathSync(root),
    gitDir,
    bare: isBare,
    shallow: shallow === 'true',
    branch: branchR.code === 0 ? branchR.stdout.toString('utf8').trim() : null,
    head: headR.code === 0 ? headR.stdout.toString('utf8').trim() : null,
  };
}

/** Branch refs (local and remote-tracking) with the commit each points to. */
export async function listBranches(root: string): Promise<{ name: string; sha: string }[]> {
  const out = await gitText(root, ['for-each-ref', '--format=%(objectname) %(objecttype) %(refname)', 'refs/heads', 'refs/remotes']);
  const list: { name: string; sha: string }[] = [];
  for (const line of out.split('\n')) {
    const [sha, type, ref] = line.split(' ');
    if (!sha || type !== 'commit' || !ref || ref.endsWith('/HEAD')) continue;
    list.push({ name: ref.replace(/^refs\/heads\//, '').replace(/^refs\/remotes\//, ''), sha });
  }
  return list;
}

export async function resolveRef(root: string, ref: string): Promise<string | null> {
  const r = await runGit(root, ['rev-parse', '--verify', '-q', `${ref}^{commit}`]);
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

/** The URL of the `origin` remote, or null when there is none. */
export async function originUrl(root: string): Promise<string | null> {
  const r = await runGit(root, ['config', '--get', 'remote.origin.url']);
  const url = r.code === 0 ? r.stdout.toString('utf8').trim() : '';
  return url === '' ? null : url;
}
