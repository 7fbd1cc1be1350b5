/**
 * A repository's default name: `owner/name` of its origin remote (any host: GitHub, GitLab, a
 * bare path), else the directory name. Pure; the remote URL is read by src/git/repository.ts.
 */
import { isRepoName } from './repo-target.ts';

/** `owner/name` from a remote URL (`git@host:owner/name.git`, `https://host/owner/name`, `ssh://…`), or null. */
export function nameFromRemote(url: string): string | null {
  const t = url.trim().replace(/\/+$/, '').replace(/\.git$/, '');
  // scp-like `user@host:path` has no scheme; everything else is a URL or a path.
  const path = /^[^/:]+@[^/:]+:(.+)$/.exec(t)?.[1] ?? t.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const parts = path.split(/[/\\]/).filter((p) => p !== '');
  if (parts.length < 2) return null;
  const name = `${parts[parts.length - 2]}/${parts[parts.length - 1]}`;
  return isRepoName(name) ? name : null;
}

/** The last path segment, made into a valid name (characters outside the name alphabet become `-`). */
export function nameFromDirectory(dir: string): string {
  const base = dir.replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[.-]+/, '').slice(0, 100);
  return isRepoName(cleaned) ? cleaned : 'repository';
}
