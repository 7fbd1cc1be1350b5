/** --json is --format json's alias on every data command; naming two different outputs is one clear error. */
import { describe, expect, it } from 'vitest';
import { outputFormat } from '../../src/cli/context.ts';
import { grasp } from './run-grasp.ts';

describe('--json and --format', () => {
  it('reads --json as json, refuses --json with another --format, keeps the fallback', () => {
    expect(outputFormat({ json: true }, ['md', 'json'] as const, 'md')).toBe('json');
    expect(outputFormat({ json: true, format: 'json' }, ['md', 'json'] as const, 'md')).toBe('json');
    expect(outputFormat({}, ['md', 'json'] as const, 'md')).toBe('md');
    expect(() => outputFormat({ json: true, format: 'md' }, ['md', 'json'] as const, 'md')).toThrow(/--json and --format md/);
    expect(() => outputFormat({ format: 'xml' }, ['md', 'json'] as const, 'md')).toThrow(/unknown format "xml": --format must be one of md, json/);
  });

  it('accepts --json on report, hotspots, islands, digest and checklist, and refuses the conflict in one line', () => {
    for (const args of [['report', 'ada'], ['hotspots'], ['islands'], ['digest'], ['checklist', 'HEAD~1..HEAD']]) {
      const r = grasp([...args, '--json', '--format', 'md', '--db', '/nonexistent/grasp.db']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(/--json and --format md/);
    }
  });
});
