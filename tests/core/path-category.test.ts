import { describe, expect, it } from 'vitest';
import { countsByDefault, lockManager, pathCategory } from '../../src/core/path-category.ts';
import { lockFlags } from '../../src/checklist/flags.ts';

describe('path categories', () => {
  it('tells production from tests, generated, vendored, lock files and manifests', () => {
    const cases: [string, string][] = [
      ['src/server/mcp.ts', 'production'],
      ['packages/client/test/client/auth.test.ts', 'test'],
      ['src/__tests__/x.ts', 'test'],
      ['lib/thing.spec.js', 'test'],
      ['package-lock.json', 'lock'],
      ['packages/a/pnpm-lock.yaml', 'lock'],
      ['bun.lock', 'lock'],
      ['yarn.lock', 'lock'],
      ['packages/a/package.json', 'manifest'],
      ['types/index.d.ts', 'generated'],
      ['dist/index.js', 'generated'],
      ['vendor/lib.js', 'vendored'],
      ['src/latest.ts', 'production'], // not a test because it contains "test"
    ];
    for (const [path, category] of cases) expect(pathCategory(path), path).toBe(category);
    expect(pathCategory('src/api.ts', 'generated', 'linguist-generated')).toBe('generated');
    expect(pathCategory('src/lib.ts', 'ignored', 'linguist-vendored')).toBe('vendored');
    expect(countsByDefault('production') && countsByDefault('manifest')).toBe(true);
    expect(['test', 'generated', 'vendored', 'lock'].some((c) => countsByDefault(c as 'test'))).toBe(false);
  });

  it('flags a lock file of a second package manager, a new lock file, and a changed one', () => {
    expect(lockManager('a/package-lock.json')).toBe('npm');
    const two = lockFlags([{ path: 'bun.lock', manager: 'bun', change: 'modified' }, { path: 'package-lock.json', manager: 'npm', change: 'added' }]);
    expect(two.get('package-lock.json')![0]!.message).toMatch(/two package managers/);
    const added = lockFlags([{ path: 'package-lock.json', manager: 'npm', change: 'added' }]);
    expect(added.get('package-lock.json')![0]!.message).toMatch(/new npm lock file/);
    const changed = lockFlags([{ path: 'yarn.lock', manager: 'yarn', change: 'modified' }]);
    expect(changed.get('yarn.lock')![0]!.message).not.toMatch(/two|new/);
    expect(lockFlags([{ path: 'yarn.lock', manager: 'yarn', change: 'deleted' }]).get('yarn.lock')).toEqual([]);
  });
});
