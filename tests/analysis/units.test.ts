/**
 * Units split out of the top level: constants, registered callbacks, test blocks. Every symbol that
 * existed before keeps its name, lines, complexity and hash byte for byte (checked on a corpus of
 * 889 real files against digests taken with the analysis before units existed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/analysis/extract.ts';
import { corpus, legacyDigest } from '../helpers/hash-corpus.ts';

const GOLDEN = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/analysis/legacy-hashes.json'), 'utf8')) as Record<string, string>;

function symbols(text: string, file = 'src/a.test.ts') {
  const a = analyzeSource(file, text);
  expect(a.status).toBe('ok');
  return a.symbols;
}
const byName = (text: string, file?: string) => new Map(symbols(text, file).map((s) => [s.name, s]));

const SOURCE = `import { describe, it, expect, beforeEach } from 'vitest';
export const PR_QUERY = \`query { repository { id } }\`;
const MAX_RETRIES = 3;
const fs = require('node:fs');
let counter = 0;
server.tool('delete_files', { path: z.string() }, async ({ path }) => {
  if (!isInside(path)) throw new Error('outside');
  return rm(path);
});
app.get('/health', (c) => c.text('ok'));
router.post(\`/items/\${id}\`, handler, async (c) => c.json(await save(c)));
program.command('init').description('set up').action(async (opts) => { run(opts ?? {}); });
emitter.on('close', () => counter++);
app.use(async (c, next) => { await next(); });
describe('installPlugins', () => {
  beforeEach(() => { counter = 0; });
  function helper() { return 1; }
  it('rejects http URLs', () => { expect(helper()).toBe(1); });
  it.only('rejects http URLs', async () => { expect(counter).toBe(0); });
  describe.each([1, 2])('case %s', (n) => {
    test.skip('works', () => { expect(n > 0 && n < 3).toBe(true); });
  });
});
test('top level', async (t) => {
  await t.test('subtest', () => {});
});
main();
`;

describe('units', () => {
  it('names constants, callbacks and tests as a reader sees them, each with its own kind and lines', () => {
    const list = symbols(SOURCE).map((s) => [s.kind, s.name, s.startLine, s.endLine]);
    expect(list).toEqual([
      ['const', 'PR_QUERY', 2, 2],
      ['const', 'MAX_RETRIES', 3, 3],
      ['callback', "server.tool('delete_files')", 6, 9],
      ['callback', "app.get('/health')", 10, 10],
      ['callback', "router.post('/items/${id}')", 11, 11],
      ['callback', "program.command('init')", 12, 12],
      ['callback', "emitter.on('close')", 13, 13],
      ['callback', 'app.use', 14, 14],
      ['test', 'installPlugins', 15, 23],
      ['test', 'installPlugins › beforeEach', 16, 16],
      ['function', 'helper', 17, 17],
      ['test', 'installPlugins › rejects http URLs', 18, 18],
      ['test', 'installPlugins › rejects http URLs#2', 19, 19],
      ['test', 'installPlugins › case %s', 20, 22],
      ['test', 'installPlugins › case %s › works', 21, 21],
      ['test', 'top level', 24, 26],
      ['test', 'top level › subtest', 25, 25],
      ['module', '(module)', 1, 27],
    ]);
  });

  it('counts complexity inside the unit, not in (module)', () => {
    const s = byName(SOURCE);
    expect(s.get("server.tool('delete_files')")!.complexity).toBe(2);
    expect(s.get("program.command('init')")!.complexity).toBe(2);
    expect(s.get('installPlugins › case %s › works')!.complexity).toBe(2);
    expect(s.get('(module)')!.complexity).toBe(1);
  });

  it('a change inside one unit changes only that unit, not its neighbours or (module)', () => {
    const before = byName(SOURCE);
    const edits: [string, string, string][] = [
      ["throw new Error('outside')", "throw new Error('outside!')", "server.tool('delete_files')"],
      ["c.text('ok')", "c.text('OK')", "app.get('/health')"],
      ['query { repository { id } }', 'query { repository { name } }', 'PR_QUERY'],
      ['expect(counter).toBe(0)', 'expect(counter).toBe(1)', 'installPlugins › rejects http URLs#2'],
      ['toBe(true)', 'toBe(false)', 'installPlugins › case %s › works'],
      ['const MAX_RETRIES = 3', 'const MAX_RETRIES = 4', 'MAX_RETRIES'],
    ];
    for (const [from, to, unit] of edits) {
      const after = byName(SOURCE.replace(from, to));
      const changed = [...after.values()].filter((s) => before.get(s.name)?.hash !== s.hash).map((s) => s.name);
      expect(changed, from).toEqual([unit]);
    }
  });

  it('a retitled test keeps its hash (seen as a move), a reformatted unit keeps it too', () => {
    const a = byName(SOURCE);
    const b = byName(SOURCE.replace("it('rejects http URLs', ()", "it('refuses http URLs', ()"));
    expect(b.get('installPlugins › refuses http URLs')!.hash).toBe(a.get('installPlugins › rejects http URLs')!.hash);
    const c = byName(SOURCE.replace("app.get('/health', (c) => c.text('ok'));", 'app.get("/health", (c) =>\n  c.text("ok"),\n);'));
    expect(c.get("app.get('/health')")!.hash).toBe(a.get("app.get('/health')")!.hash);
  });

  it('never renames an existing symbol: a constant sharing an interface name takes the #2', () => {
    const s = symbols('export const Config = { a: 1 };\nexport interface Config { a: number }\n', 'src/c.ts');
    expect(s.map((x) => [x.kind, x.name])).toEqual([['const', 'Config#2'], ['interface', 'Config']]);
  });

  it('members of a constant object and of objects inside tests keep their names', () => {
    const s = symbols("export const api = { get() { return 1; } };\ndescribe('d', () => { run({ go() {} }); });\n", 'src/c.ts');
    expect(s.map((x) => x.name)).toEqual(['api', 'api.get', 'd', 'go']);
    expect(s[1]!.parent).toBe(0);
  });

  it('leaves aliases, requires, lets and calls without a function in (module)', () => {
    const s = symbols("const fs = require('fs');\nconst { a } = b;\nconst alias = other.name;\nlet n = 0;\nmain();\nconsole.log(xs.map((x) => x));\n", 'src/c.ts');
    expect(s.map((x) => x.name)).toEqual(['(module)']);
  });

  it('keeps every hash, name, line and complexity of the symbols that existed before units (889-file corpus)', () => {
    const files = corpus();
    expect(files.length).toBe(Object.keys(GOLDEN).length);
    let units = 0;
    const differing: string[] = [];
    for (const [name, text] of files) {
      const a = analyzeSource(name.replace(/^[0-9a-f]+:/, ''), text);
      units += a.symbols.filter((s) => s.kind === 'const' || s.kind === 'callback' || s.kind === 'test').length;
      if ((a.status === 'ok' ? legacyDigest(a.symbols) : 'parse-error') !== GOLDEN[name]) differing.push(name);
    }
    expect(differing).toEqual([]);
    expect(units).toBeGreaterThan(1000); // units really were split out of this corpus
  });
});
