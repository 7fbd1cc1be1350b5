/**
 * What a path is, pure: production code a reviewer must read, or something that counts zero toward
 * debt, effort, flags and hotspots by default (tests come last in their own section; generated,
 * vendored and lock files are not read line by line). Manifests are production: their changes are
 * dependency decisions. The analysis' own verdicts (linguist attributes, generated markers, ignore
 * globs) come in as `status` and win over the path.
 */
export const PATH_CATEGORIES = ['production', 'test', 'generated', 'vendored', 'lock', 'manifest'] as const;
export type PathCategory = (typeof PATH_CATEGORIES)[number];

const TEST_PATH = /(^|\/)(__tests__|__mocks__|tests?|spec|e2e)\/|\.(test|spec|e2e)\.[cm]?[jt]sx?$|_test\.[cm]?[jt]sx?$/i;
/** Lock files by package manager: two of them in one change is itself a flag. */
export const LOCK_FILES: Record<string, string> = {
  'package-lock.json': 'npm',
  'npm-shrinkwrap.json': 'npm',
  'pnpm-lock.yaml': 'pnpm',
  'yarn.lock': 'yarn',
  'bun.lockb': 'bun',
  'bun.lock': 'bun',
  'deno.lock': 'deno',
};
const VENDORED = /(^|\/)(node_modules|vendor|third[_-]party|bower_components)\//i;
const GENERATED = /\.d\.ts$|\.min\.[cm]?js$|\.map$|(^|\/)(dist|build|out|coverage|\.next|generated|__generated__)\/|\.generated\.[^/]+$|\.gen\.[^/]+$|_pb2?\.[^/]+$/i;

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

/** The package manager a lock file belongs to, or null. */
export function lockManager(path: string): string | null {
  return LOCK_FILES[baseName(path)] ?? null;
}

/** The category of a path; `status` is the analysis verdict of the file when known. */
export function pathCategory(path: string, status?: string | null, reason?: string | null): PathCategory {
  if (lockManager(path)) return 'lock';
  if (baseName(path) === 'package.json') return 'manifest';
  if (status === 'generated' || (reason && /generated/i.test(reason))) return 'generated';
  if (reason && /vendored/i.test(reason)) return 'vendored';
  if (VENDORED.test(path)) return 'vendored';
  if (GENERATED.test(path)) return 'generated';
  if (TEST_PATH.test(path)) return 'test';
  return 'production';
}

/** Categories that count toward debt, effort, flags and hotspots (the default view). */
export function countsByDefault(category: PathCategory): boolean {
  return category === 'production' || category === 'manifest';
}

/** Paths whose blobs the checklist needs as text (dependency changes): every package.json. */
export function isManifestPath(path: string): boolean {
  return path === 'package.json' || path.endsWith('/package.json');
}
