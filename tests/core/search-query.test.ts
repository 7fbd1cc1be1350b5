import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { ftsQuery, MAX_SEARCH_TERMS } from '../../src/core/search-query.ts';

describe('search words to an FTS5 query', () => {
  it('quotes each word, keeps a prefix star, drops operators and punctuation', () => {
    expect(ftsQuery('retry backoff')).toBe('"retry" "backoff"');
    expect(ftsQuery('retr*')).toBe('"retr"*');
    expect(ftsQuery('NOT "x" OR (y) NEAR/2')).toBe('"NOT" "x" "OR" "y" "NEAR2"');
    expect(ftsQuery('  ')).toBeNull();
    expect(ftsQuery('!!! --- ...')).toBeNull();
    expect(ftsQuery(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))!.split(' ')).toHaveLength(MAX_SEARCH_TERMS);
  });

  it('never gives SQLite FTS5 a syntax error, whatever is typed', () => {
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE t USING fts5(body); INSERT INTO t(body) VALUES ('retry with backoff'), ('cache eviction');");
    const search = db.prepare('SELECT body FROM t WHERE t MATCH ?');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        const q = ftsQuery(text);
        if (q !== null) expect(() => search.all(q)).not.toThrow();
      }),
      { numRuns: 500 },
    );
    expect(search.all(ftsQuery('backoff retry')!)).toEqual([{ body: 'retry with backoff' }]);
    expect(search.all(ftsQuery('evic*')!)).toEqual([{ body: 'cache eviction' }]);
    db.close();
  });
});
