/**
 * `git cat-file --batch` reading is linear: content chunks are joined once per object, not on
 * every chunk; a blob over the analysis limit is counted as it streams past, never held whole.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CatFileBatch } from '../../src/git/cat-file.ts';
import { analyzeBlobText, MAX_ANALYZED_BYTES } from '../../src/analysis/classify.ts';
import { countLines } from '../../src/analysis/types.ts';
import { GitFixture } from '../helpers/git-fixture.ts';

let repo: GitFixture;
const line = 'export const value = 1; // padding padding padding padding padding\n';
const big = line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)) + 'export const last = 2;';
let bigOid: string;
let smallOid: string;

beforeAll(() => {
  repo = new GitFixture();
  bigOid = repo.gitRaw(['hash-object', '-w', '--stdin'], big).toString().trim();
  smallOid = repo.gitRaw(['hash-object', '-w', '--stdin'], 'export const a = 1;\n').toString().trim();
}, 120_000);
afterAll(() => {
  vi.restoreAllMocks();
  repo.cleanup();
});

describe('cat-file --batch on a 50 MB blob', () => {
  it('joins the chunks once, not once per chunk', async () => {
    const cat = new CatFileBatch(repo.dir);
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      const content = await cat.readBlob(bigOid);
      expect(content?.length).toBe(Buffer.byteLength(big));
      expect(content?.subarray(-22).toString()).toBe('export const last = 2;');
      // The next answer after it is still in step.
      expect((await cat.readBlob(smallOid))?.toString()).toBe('export const a = 1;\n');
      expect(concat.mock.calls.length).toBeLessThanOrEqual(4);
    } finally {
      concat.mockRestore();
      await cat.close();
    }
  }, 60_000);

  it('skips a blob over the limit without keeping it, with the same verdict as analyzeBlobText', async () => {
    const cat = new CatFileBatch(repo.dir);
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      const read = await cat.readBlobWithin(bigOid, MAX_ANALYZED_BYTES);
      expect(read && 'skipped' in read).toBe(true);
      const skipped = (read as { skipped: { size: number; lineCount: number } }).skipped;
      expect(skipped.size).toBe(Buffer.byteLength(big));
      expect(skipped.lineCount).toBe(countLines(big));
      expect(analyzeBlobText('big.ts', big).lineCount).toBe(skipped.lineCount);
      expect(concat.mock.calls.length).toBe(0);
      const small = await cat.readBlobWithin(smallOid, MAX_ANALYZED_BYTES);
      expect(small && 'content' in small && small.content.toString()).toBe('export const a = 1;\n');
    } finally {
      concat.mockRestore();
      await cat.close();
    }
  }, 60_000);
});
