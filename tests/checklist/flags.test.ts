/** Risk-flag detectors on inline old/new source pairs: each rule, its line, and no flag on clean code. */
import { describe, expect, it } from 'vitest';
import { dependencyLine, diffDependencies, extractDependencies } from '../../src/checklist/dependencies.ts';
import { asyncNamesOf, detectFindings, newFindings } from '../../src/checklist/detectors.ts';
import { changedLineCount, headLineMapper, manifestFlags } from '../../src/checklist/flags.ts';
import { compareSignatures, extractSignature } from '../../src/checklist/signature.ts';
import { closeCollapsedLines, parseFragment } from '../../src/checklist/source.ts';

const src = (...lines: string[]) => lines.join('\n');

/** Findings the change from `before` to `after` introduced, as "code@line". */
function introduced(before: string | null, after: string, opts: { kind?: string; asyncNames?: string[] } = {}): string[] {
  const newF = parseFragment(after, 'src/x.ts', opts.kind);
  const oldF = before === null ? null : parseFragment(before, 'src/x.ts', opts.kind);
  const names = new Set([...(opts.asyncNames ?? []), ...asyncNamesOf(newF)]);
  const found = newFindings(oldF ? detectFindings(oldF, names) : [], detectFindings(newF, names));
  return found.map((f) => `${f.code}@${f.line}`);
}

function messages(before: string | null, after: string): string[] {
  const newF = parseFragment(after, 'src/x.ts');
  const oldF = before === null ? null : parseFragment(before, 'src/x.ts');
  return newFindings(oldF ? detectFindings(oldF, new Set()) : [], detectFindings(newF, new Set())).map((f) => f.message);
}

describe('swallowed-error', () => {
  it('flags an empty catch, a catch that ignores its error, and an ignoring .catch handler', () => {
    const code = src(
      'function f() {',
      '  try { a(); } catch {}',
      '  try { b(); } catch (err) {',
      '    log("failed");',
      '  }',
      '  p.catch(() => {});',
      '}',
    );
    expect(introduced(null, code)).toEqual(['swallowed-error@2', 'swallowed-error@3', 'swallowed-error@6']);
  });

  it('accepts a catch that uses or rethrows its error', () => {
    const code = src(
      'function f() {',
      '  try { a(); } catch (err) { log(err); }',
      '  try { b(); } catch { throw new Error("b failed"); }',
      '  p.catch((e) => report(e));',
      '}',
    );
    expect(introduced(null, code)).toEqual([]);
  });
});

describe('floating-promise', () => {
  it('flags fetch, async functions of the change, .then chains and Promise.all as bare statements', () => {
    const code = src(
      'async function save() { return 1; }',
      'function f() {',
      '  fetch("https://example.com/a");',
      '  save();',
      '  this.load();',
      '  load().then((x) => x);',
      '  Promise.all([a, b]);',
      '}',
    );
    expect(introduced(null, code, { asyncNames: ['.load'] })).toEqual([
      'floating-promise@3',
      'floating-promise@4',
      'floating-promise@5',
      'floating-promise@6',
      'floating-promise@7',
    ]);
  });

  it('does not flag awaited, returned, assigned, voided or caught promises, nor sync calls', () => {
    const code = src(
      'async function f() {',
      '  await fetch("https://example.com/a");',
      '  const r = save();',
      '  void save();',
      '  save().catch(report);',
      '  p.then(ok, fail);',
      '  syncWork();',
      '  console.log("done");',
      '  other.save();',
      '  return save();',
      '}',
    );
    // `log` and `.save` are async elsewhere, but `console.log` and `other.save` have unknown receivers.
    expect(introduced(null, code, { asyncNames: ['save', 'log', '.save'] })).toEqual([]);
  });

  it('learns async names from declarations, including methods and Promise-typed arrows', () => {
    const f = parseFragment(src('class A {', '  async load() {}', '  get = (): Promise<number> => Promise.resolve(1);', '  plain() {}', '}'), 'a.ts');
    expect(asyncNamesOf(f).sort()).toEqual(['.get', '.load']);
    const g = parseFragment(src('export async function log(m: string) {}', 'const save = async () => 1;'), 'a.ts');
    expect(asyncNamesOf(g).sort()).toEqual(['log', 'save']);
  });
});

describe('unsafe-type', () => {
  it('flags any, as unknown as and non-null assertions', () => {
    const code = src('function f(a: any) {', '  const b = a as unknown as string;', '  return b!.length;', '}');
    expect(introduced(null, code)).toEqual(['unsafe-type@1', 'unsafe-type@2', 'unsafe-type@3']);
  });

  it('counts old vs new: only added occurrences are flagged, on the new line', () => {
    const before = src('function first(items: string[]) {', '  return items[0]!.trim();', '}');
    const after = src('function first(items: string[]) {', '  const found = items.find((i) => i.startsWith("a"))!;', '  return items[0]!.trim() + found;', '}');
    expect(introduced(before, after)).toEqual(['unsafe-type@2']);
    // Unchanged count, reformatted lines: nothing new.
    const reformatted = src('function first(items: string[]) {', '  const x = items[0]!.trim();', '  return x;', '}');
    expect(introduced(before, reformatted)).toEqual([]);
  });
});

describe('security', () => {
  it('flags each sensitive construct at its line', () => {
    const code = src(
      'function f(cmd: string, file: string, id: string, url: string) {',
      '  execSync(cmd);',
      '  child_process.exec(cmd);',
      '  eval(cmd);',
      '  const g = new Function("return 1");',
      '  db.all(`SELECT * FROM users WHERE id = ${id}`);',
      '  db.all("DELETE FROM users WHERE id = " + id);',
      '  fs.readFileSync(file);',
      '  fetch(url);',
      '  https.request({ rejectUnauthorized: false });',
      '  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";',
      '  createHash("md5");',
      '}',
    );
    expect(introduced(null, code).filter((f) => f.startsWith('security'))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((l) => `security@${l}`));
  });

  it('leaves safe forms alone: regex exec, tagged SQL, literal paths and URLs, strong hashes, prose', () => {
    const code = src(
      'async function f(id: string) {',
      '  /a/.exec(id);',
      '  db.run(sql`SELECT * FROM users WHERE id = ${id}`);',
      '  fs.readFileSync("config.json");',
      '  await fetch("https://example.com/health");',
      '  createHash("sha256");',
      '  const msg = `please select a file from ${id}`;',
      '  return { rejectUnauthorized: true, msg };',
      '}',
    );
    expect(introduced(null, code)).toEqual([]);
  });

  it('a pre-existing finding on an unchanged line is not new', () => {
    const before = src('function f(cmd: string) {', '  execSync(cmd);', '}');
    const after = src('function f(cmd: string) {', '  log("running");', '  execSync(cmd);', '}');
    expect(messages(before, after)).toEqual([]);
  });
});

describe('exported signature', () => {
  const sig = (text: string, kind?: string) => extractSignature(parseFragment(text, 'src/x.ts', kind))!;

  it('reports parameter, return type and async changes at the line of the change', () => {
    const before = sig('export function f(a: string, b = 2): number {\n  return 1;\n}');
    const after = sig('export async function f(\n  a: string,\n  b = 3,\n  c?: Date,\n): Promise<number> {\n  return 1;\n}');
    const changes = compareSignatures(before, after).map((c) => `${c.message}@${c.line}`);
    expect(changes).toEqual([
      'made `async` (now returns a Promise)@1',
      'parameters changed: (a: string, b?) → (a: string, b?, c?: Date)@4',
      'return type changed: number → Promise<number>@5',
    ]);
  });

  it('ignores formatting, comments and default values', () => {
    const before = sig('export function f(a: string, b = 2): number { return 1; }');
    const after = sig('export function f(\n  a: string, // the name\n  b = 5,\n): number {\n  return 2;\n}');
    expect(compareSignatures(before, after)).toEqual([]);
  });

  it('compares class and interface public members, not private ones or method bodies', () => {
    const before = sig('export class A extends B {\n  x = 1;\n  private y: number;\n  get(k: string) { …\n}');
    const after = sig('export class A extends B {\n  x: string = "";\n  private y: string;\n  put(k: string) { …\n}');
    expect(compareSignatures(before, after).map((c) => `${c.message}@${c.line}`)).toEqual([
      'public member `get` removed@1',
      'public member `x` changed: x → x: string@2',
      'public member `put` added@4',
    ]);
    const i1 = sig('export interface Job {\n  id: string;\n}');
    const i2 = sig('export interface Job {\n  id: number;\n  name?: string;\n}');
    expect(compareSignatures(i1, i2).map((c) => c.line)).toEqual([2, 3]);
  });

  it('parses a method fragment on its own and knows private members are not public', () => {
    const m = parseFragment('  private get(key: string): number {\n    return 1;\n  }', 'src/x.ts', 'method');
    expect(m.errors).toBe(0);
    expect(extractSignature(m)!.isPublic).toBe(false);
  });
});

describe('stored-text helpers', () => {
  it('closes brackets of collapsed nested symbols so the rest still parses', () => {
    expect(closeCollapsedLines('class A {\n  get(k: string) { …\n  set(k: string,\n}')).toBe('class A {\n  get(k: string) {}\n  set(k: string,\n}');
    expect(parseFragment('export class A {\n  run(a: string) { …\n  stop() { …\n}', 'a.ts').errors).toBe(0);
  });

  it('maps text lines to head lines through the collapsed layout, else by offset, else to the start', () => {
    expect(headLineMapper('a\nb\nc', 10, 12)(3)).toBe(12);
    expect(headLineMapper('a\nb …\nc', 10, 20, [10, 11, 20])(3)).toBe(20);
    expect(headLineMapper('a\nb', 10, 20)(2)).toBe(10);
    expect(headLineMapper('a', null, null)(1)).toBeNull();
    // A stored text ending in "\n" carries an empty last line of the file.
    expect(headLineMapper('a\nb\n', 1, 9, [1, 5, 9])(2)).toBe(5);
  });

  it('counts changed lines like a diff', () => {
    expect(changedLineCount('a\nb\nc\n', 'a\nB\nc\nd\n')).toBe(3);
    expect(changedLineCount(null, 'a\nb\n')).toBe(2);
    expect(changedLineCount('a\n', null)).toBe(1);
  });
});

describe('dependencies', () => {
  const base = '{\n  "name": "x",\n  "dependencies": {\n    "hono": "4.0.0",\n    "gone": "1.0.0"\n  }\n}\n';
  const head = '{\n  "name": "x",\n  "dependencies": {\n    "hono": "4.1.0"\n  },\n  "devDependencies": {\n    "hono": "4.1.0",\n    "vitest": "3.0.0"\n  }\n}\n';

  it('extracts, diffs and locates dependencies', () => {
    expect(extractDependencies(base)).toEqual([
      { field: 'dependencies', name: 'hono', version: '4.0.0' },
      { field: 'dependencies', name: 'gone', version: '1.0.0' },
    ]);
    expect(extractDependencies('not json')).toBeNull();
    expect(extractDependencies('[1]')).toBeNull();
    const diff = diffDependencies(extractDependencies(base), extractDependencies(head)!);
    expect(diff.map((d) => `${d.change}:${d.field}:${d.name}`)).toEqual([
      'changed:dependencies:hono',
      'added:devDependencies:hono',
      'added:devDependencies:vitest',
      'removed:dependencies:gone',
    ]);
    expect(dependencyLine(head, 'devDependencies', 'hono')).toBe(7);
    expect(dependencyLine(head, 'dependencies', 'hono')).toBe(4);
  });

  it('flags added and changed dependencies at their head lines, not removals', () => {
    expect(manifestFlags(base, head).map((f) => `${f.code}@${f.line}`)).toEqual(['dependency@4', 'dependency@7', 'dependency@8']);
    expect(manifestFlags(head, head)).toEqual([]);
    expect(manifestFlags(base, '{ broken')[0]!.message).toMatch(/not valid JSON/);
  });
});
