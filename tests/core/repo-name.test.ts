import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameFromDirectory, nameFromRemote } from '../../src/core/repo-name.ts';
import { isRepoName } from '../../src/core/repo-target.ts';

describe('repository names', () => {
  it('takes owner/name from every common remote form', () => {
    for (const url of ['git@github.com:acme/web.git', 'https://github.com/acme/web', 'https://github.com/acme/web.git/', 'ssh://git@gitlab.example.com:2222/acme/web.git', '/srv/git/acme/web.git']) {
      expect(nameFromRemote(url)).toBe('acme/web');
    }
    expect(nameFromRemote('https://gitlab.com/group/sub/web.git')).toBe('sub/web');
    expect(nameFromRemote('web')).toBeNull();
    expect(nameFromRemote('')).toBeNull();
  });

  it('a directory name is always made into a valid name', () => {
    expect(nameFromDirectory('/home/ada/src/my app/')).toBe('my-app');
    fc.assert(
      fc.property(fc.string(), (dir) => {
        expect(isRepoName(nameFromDirectory(dir))).toBe(true);
      }),
    );
  });
});
