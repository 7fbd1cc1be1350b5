import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GitLogParser, LogParseError, type ParsedCommit } from '../../src/git/log-parser.ts';
import { unquoteCPath, decodePath } from '../../src/git/paths.ts';

const SHA1 = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);

function header(sha: string, parents: string, message: string): Buffer {
  const fields = [sha, parents, 'Ann', 'ann@example.com', '1700000000', 'Ann', 'ann@example.com', '1700000001', '', message];
  return Buffer.concat([Buffer.from([0x1e]), Buffer.from(fields.join('\0') + '\0')]);
}

function parseAll(chunks: Buffer[]): ParsedCommit[] {
  const out: ParsedCommit[] = [];
  const p = new GitLogParser((c) => out.push(c));
  for (const c of chunks) p.push(c);
  p.end();
  return out;
}

const SAMPLE = Buffer.concat([
  header(SHA1, '', 'root\n\nbody with \u001e inside\n'),
  Buffer.from('\n:000000 100644 0000000000000000000000000000000000000000 1111111111111111111111111111111111111111 A\0a b.ts\0'),
  Buffer.from(':100644 100644 2222222222222222222222222222222222222222 3333333333333333333333333333333333333333 R090\0old.ts\0new.ts\0'),
  Buffer.from('3\t0\ta b.ts\0' + '1\t1\t\0old.ts\0new.ts\0' + '\0'),
  Buffer.from('diff --git a/a b.ts b/a b.ts\nnew file mode 100644\n--- /dev/null\n+++ b/a b.ts\t\n@@ -0,0 +1,3 @@\n+x\n++++ not a header\n+z\n'),
  Buffer.from('diff --git a/old.ts b/new.ts\nsimilarity index 90%\nrename from old.ts\nrename to new.ts\n@@ -4 +4 @@\n-a\n+b\n'),
  header(SHA2, SHA1, 'empty'),
]);

describe('git log parser', () => {
  it('parses raw, numstat and hunk ranges, renames with old paths, and messages with odd bytes', () => {
    const [a, b] = parseAll([SAMPLE]);
    expect(a!.message).toBe('root\n\nbody with \u001e inside');
    expect(a!.files).toEqual([
      expect.objectContaining({ path: 'a b.ts', oldPath: null, status: 'A', added: 3, deleted: 0, newRanges: [[1, 3]], oldRanges: [], oldBlob: null }),
      expect.objectContaining({ path: 'new.ts', oldPath: 'old.ts', status: 'R', similarity: 90, added: 1, deleted: 1, newRanges: [[4, 4]], oldRanges: [[4, 4]] }),
    ]);
    expect(b).toMatchObject({ sha: SHA2, parents: [SHA1], files: [] });
  });

  it('gives the same result whatever the chunking (property)', () => {
    const expected = parseAll([SAMPLE]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: SAMPLE.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((x, y) => x - y);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(SAMPLE.subarray(prev, p));
          prev = p;
        }
        chunks.push(SAMPLE.subarray(prev));
        expect(parseAll(chunks)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but LogParseError on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, prefixed) => {
        const input = prefixed ? Buffer.concat([header(SHA1, '', 'm'), Buffer.from(bytes)]) : Buffer.from(bytes);
        try {
          parseAll([input]);
        } catch (err) {
          expect(err).toBeInstanceOf(LogParseError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reports a stream cut inside a header', () => {
    expect(() => parseAll([header(SHA1, '', 'm').subarray(0, 50)])).toThrow(LogParseError);
  });

  it('unquotes C-style paths and keeps non-UTF-8 bytes', () => {
    expect(decodePath(unquoteCPath(Buffer.from('"a\\tb\\303\\251\\"q"')))).toBe('a\tbé"q');
    expect(decodePath(Buffer.from([0x63, 0xe9]))).toBe('c\u00e9');
  });
});
