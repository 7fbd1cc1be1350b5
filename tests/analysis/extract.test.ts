import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/analysis/extract.ts';
import type { BlobSymbol } from '../../src/analysis/types.ts';

function symbolsOf(text: string, path = 'src/file.ts'): BlobSymbol[] {
  const r = analyzeSource(path, text);
  expect(r.status, r.reason ?? '').toBe('ok');
  return r.symbols;
}

function byName(text: string, path?: string): Map<string, BlobSymbol> {
  return new Map(symbolsOf(text, path).map((s) => [s.name, s]));
}

function hashes(text: string, path?: string): Record<string, string> {
  return Object.fromEntries(symbolsOf(text, path).map((s) => [s.name, s.hash]));
}

describe('symbol kinds and names', () => {
  it('finds functions, classes and members with qualified names, kinds, lines and export flags', () => {
    const s = byName(
      [
        'import { dep } from "dep";', // 1
        'export class Cache<T> {', // 2
        '  private items = new Map<string, T>();', // 3
        '  constructor(private limit: number) {}', // 4
        '  get size(): number { return this.items.size; }', // 5
        '  set size(v: number) { this.limit = v; }', // 6
        '  lookup(key: string): T | undefined {', // 7
        '    return this.items.get(key);', // 8
        '  }', // 9
        '  #hidden() { return 1; }', // 10
        '  private secret() { return 2; }', // 11
        '  onEvent = (e: unknown) => e;', // 12
        '  static create() { return new Cache(1); }', // 13
        '}', // 14
        'function outer(a: number) {', // 15
        '  function inner() { return a; }', // 16
        '  const helper = (x: number) => x + 1;', // 17
        '  const legacy = function (y: number) { return y; };', // 18
        '  return inner() + helper(a) + legacy(a);', // 19
        '}', // 20
        'export const api = { get() { return 1; }, post: async () => 2, nested: { deep: function () {} } };', // 21
        'export interface Shape { area(): number }', // 22
        'export type Id = string;', // 23
        'enum Color { Red, Green }', // 24
        'export namespace geo.plane { export function dist() { return 0; } }', // 25
        'export default () => dep;', // 26
        'const Local = class { run() {} };', // 27
        'console.log(outer(1));', // 28
      ].join('\n'),
    );
    const expectSymbol = (name: string, kind: string, startLine: number, endLine: number, exported: boolean) => {
      const sym = s.get(name);
      expect(sym, name).toBeDefined();
      expect({ name, kind: sym!.kind, startLine: sym!.startLine, endLine: sym!.endLine, exported: sym!.exported }).toEqual({
        name,
        kind,
        startLine,
        endLine,
        exported,
      });
    };
    expectSymbol('Cache', 'class', 2, 14, true);
    expectSymbol('Cache.constructor', 'constructor', 4, 4, true);
    expectSymbol('Cache.size:get', 'getter', 5, 5, true);
    expectSymbol('Cache.size:set', 'setter', 6, 6, true);
    expectSymbol('Cache.lookup', 'method', 7, 9, true);
    expectSymbol('Cache.#hidden', 'method', 10, 10, false);
    expectSymbol('Cache.secret', 'method', 11, 11, false);
    expectSymbol('Cache.onEvent', 'method', 12, 12, true);
    expectSymbol('Cache.create', 'method', 13, 13, true);
    expectSymbol('outer', 'function', 15, 20, false);
    expectSymbol('outer.inner', 'function', 16, 16, false);
    expectSymbol('outer.helper', 'function', 17, 17, false);
    expectSymbol('outer.legacy', 'function', 18, 18, false);
    expectSymbol('api.get', 'method', 21, 21, true);
    expectSymbol('api.post', 'method', 21, 21, true);
    expectSymbol('api.nested.deep', 'method', 21, 21, true);
    expectSymbol('Shape', 'interface', 22, 22, true);
    expectSymbol('Id', 'type', 23, 23, true);
    expectSymbol('Color', 'enum', 24, 24, false);
    expectSymbol('geo.plane', 'namespace', 25, 25, true);
    expectSymbol('geo.plane.dist', 'function', 25, 25, true);
    expectSymbol('default', 'function', 26, 26, true);
    expectSymbol('Local', 'class', 27, 27, false);
    expectSymbol('Local.run', 'method', 27, 27, false);
    expectSymbol('api', 'const', 21, 21, true); // the object itself is a unit; its members keep their names
    expectSymbol('(module)', 'module', 1, 28, false);
    expect(s.size).toBe(26);
  });

  it('records parents so nesting is explicit', () => {
    const list = symbolsOf('class A { m() { function n() {} } }');
    const index = (name: string) => list.findIndex((x) => x.name === name);
    expect(list[index('A.m.n')]!.parent).toBe(index('A.m'));
    expect(list[index('A.m')]!.parent).toBe(index('A'));
    expect(list[index('A')]!.parent).toBe(-1);
  });

  it('names CommonJS and prototype assignments by their target and marks CommonJS exports', () => {
    const s = byName(
      [
        'module.exports.run = function () {};',
        'exports.stop = () => {};',
        'Widget.prototype.draw = function () {};',
        'module.exports = { start() {} };',
      ].join('\n'),
      'lib/index.cjs',
    );
    expect(s.get('module.exports.run')?.exported).toBe(true);
    expect(s.get('exports.stop')?.exported).toBe(true);
    expect(s.get('Widget.prototype.draw')?.exported).toBe(false);
    expect(s.get('module.exports.start')?.kind).toBe('method');
  });

  it('honours `export { x }` lists and `export default name` for local declarations', () => {
    const s = byName('function a() {}\nfunction b() {}\nclass C {}\nexport { a };\nexport default C;');
    expect(s.get('a')?.exported).toBe(true);
    expect(s.get('b')?.exported).toBe(false);
    expect(s.get('C')?.exported).toBe(true);
  });

  it('folds overload signatures into their implementation and numbers other duplicates', () => {
    const s = symbolsOf(
      [
        'export function parse(a: string): number;',
        'export function parse(a: number): number;',
        'export function parse(a: any): number { return Number(a); }',
        'function twice() { function step() {} step(); }',
        'function again() { function step() {} }',
        'if (flag) { var dup = () => 1; } else { var dup = () => 2; }',
      ].join('\n'),
    );
    const parse = s.filter((x) => x.name === 'parse');
    expect(parse).toHaveLength(1);
    expect([parse[0]!.startLine, parse[0]!.endLine]).toEqual([1, 3]);
    expect(s.map((x) => x.name)).toEqual(expect.arrayContaining(['twice.step', 'again.step', 'dup', 'dup#2']));
  });

  it('treats a top-level function wrapped in a call as a function symbol', () => {
    const s = byName('export const Button = memo((props: P) => props.label);\nconst x = [1].map((v) => v);\n', 'ui/button.tsx');
    expect(s.get('Button')?.kind).toBe('function');
    expect(s.get('Button')?.exported).toBe(true);
    expect(s.get('x')?.kind).toBe('const'); // a computed value, not a function
  });

  it('parses every supported extension by its own rules', () => {
    expect(symbolsOf('const C = () => <div className="x">hi</div>;', 'a.tsx').map((x) => x.name)).toContain('C');
    expect(symbolsOf('const C = () => <div>hi</div>;', 'a.jsx').map((x) => x.name)).toContain('C');
    expect(symbolsOf('export function f() {}', 'a.mjs').map((x) => x.name)).toContain('f');
    expect(symbolsOf('function f() {}', 'a.cjs').map((x) => x.name)).toContain('f');
    expect(symbolsOf('export function f(): void {}', 'a.mts').map((x) => x.name)).toContain('f');
    expect(symbolsOf('export function f(): void {}', 'a.cts').map((x) => x.name)).toContain('f');
    // `<T>x` is a type assertion in .ts and broken JSX in .tsx.
    expect(analyzeSource('a.ts', 'const y = <T>x;').status).toBe('ok');
    expect(analyzeSource('a.tsx', 'const y = <T>x;').status).toBe('parse-error');
  });
});

describe('cyclomatic complexity', () => {
  const complexityOf = (body: string) => byName(`function f(a: any, b: any) {\n${body}\n}`).get('f')!.complexity;

  it.each([
    ['straight code', 'return a + b;', 1],
    ['if', 'if (a) return 1;', 2],
    ['else if', 'if (a) return 1; else if (b) return 2; else return 3;', 3],
    ['ternary', 'return a ? 1 : 2;', 2],
    ['for', 'for (let i = 0; i < a; i++) {}', 2],
    ['for-in', 'for (const k in a) {}', 2],
    ['for-of', 'for (const v of a) {}', 2],
    ['while', 'while (a) {}', 2],
    ['do-while', 'do {} while (a);', 2],
    ['case clauses, not default', 'switch (a) { case 1: break; case 2: break; default: break; }', 3],
    ['catch', 'try { a(); } catch (e) { b(); } finally { }', 2],
    ['&&', 'return a && b;', 2],
    ['||', 'return a || b;', 2],
    ['??', 'return a ?? b;', 2],
    ['&&=', 'a &&= b;', 2],
    ['||=', 'a ||= b;', 2],
    ['??=', 'a ??= b;', 2],
    ['optional call', 'return a?.b();', 2],
    ['optional element and property', 'return a?.[0]?.c;', 3],
    ['arithmetic and plain calls do not count', 'return a.b(1) + b * 2 - (a | b);', 1],
  ])('%s', (_label, body, expected) => {
    expect(complexityOf(body)).toBe(expected);
  });

  it("counts a callback's branches for its enclosing symbol but not a nested symbol's", () => {
    const s = byName(
      [
        'function outer(xs: number[]) {',
        '  if (xs.length) {}',
        '  xs.forEach((x) => { if (x) {} });',
        '  function inner() { if (xs) {} if (xs) {} }',
        '}',
        'if (globalThis.x) {}',
      ].join('\n'),
    );
    expect(s.get('outer')!.complexity).toBe(3);
    expect(s.get('outer.inner')!.complexity).toBe(3);
    expect(s.get('(module)')!.complexity).toBe(2);
  });
});

describe('content hash', () => {
  const original = [
    'import { helper } from "./helper";',
    'export class Store<T> {',
    '  private items: T[] = [];',
    '  add(item: T, tags: string[] = ["a", "b"]) {',
    '    const pattern = /["\'\\/]+\\/\\/x/g;',
    '    this.items.push(item);',
    '    return `added ${tags.join(",")} to ${this.items.length}`;',
    '  }',
    '  find(pred: (t: T) => boolean): T | undefined {',
    '    return this.items.find(pred) ?? helper(this.items);',
    '  }',
    '}',
    'export type Options = { verbose: boolean; depth: number };',
    'export function render(o: Options) {',
    '  return <section title="opts">',
    '    depth is {o.depth}',
    '  </section>;',
    '}',
    'const table = [1, 2, 3];',
  ].join('\n');

  const reformatted = [
    "import {helper} from './helper'",
    '',
    '/** A store. */',
    'export class Store<T> {',
    '  private items: T[] = []',
    '',
    '  add(',
    '    item: T,',
    "    tags: string[] = ['a', 'b',],",
    '  ) {',
    '    const pattern = /["\'\\/]+\\/\\/x/g // the regex is unchanged',
    '    this.items.push(item,)',
    '    return `added ${ tags.join(\',\') } to ${ this.items.length }`',
    '  }',
    '',
    '  // finds',
    '  find(pred: (t: T) => boolean): T | undefined { return this.items.find(pred) ?? helper(this.items) }',
    '}',
    'export type Options = {',
    '  verbose: boolean,',
    '  depth: number,',
    '}',
    'export function render(o: Options) {',
    '  return <section title=\'opts\'>depth is {o.depth}</section>',
    '}',
    'const table = [',
    '  1,',
    '  2,',
    '  3,',
    ']',
  ].join('\n');

  it('ignores whitespace, comments, trailing commas, quote style, semicolons and JSX indentation', () => {
    const a = hashes(original, 'src/store.tsx');
    const b = hashes(reformatted, 'src/store.tsx');
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(b).toEqual(a);
  });

  it('changes exactly one symbol hash for a one-token change, whichever symbol it is in', () => {
    const base = hashes(original, 'src/store.tsx');
    const edits: [string, string, string][] = [
      ['this.items.push(item);', 'this.items.unshift(item);', 'Store.add'],
      ['?? helper(this.items)', '|| helper(this.items)', 'Store.find'],
      ['private items: T[] = [];', 'public items: T[] = [];', 'Store'],
      ['depth: number }', 'depth: string }', 'Options'],
      ['depth is {o.depth}', 'depth: {o.depth}', 'render'],
      ['[1, 2, 3]', '[1, 2, 4]', 'table'],
      ['import { helper } from "./helper";', 'import { helpers } from "./helper";', '(module)'],
      ['/["\'\\/]+\\/\\/x/g', '/["\'\\/]+\\/\\/y/g', 'Store.add'],
      ['`added ${', '`Added ${', 'Store.add'],
      ['title="opts"', 'title="opt"', 'render'],
    ];
    for (const [from, to, symbol] of edits) {
      expect(original.includes(from), from).toBe(true);
      const changed = hashes(original.replace(from, to), 'src/store.tsx');
      const differing = Object.keys(base).filter((name) => base[name] !== changed[name]);
      expect(differing, `${from} -> ${to}`).toEqual([symbol]);
    }
  });

  it('keeps a hash when only the symbol is renamed, so renames can be recognised as moves', () => {
    const a = byName('export function parseDate(s: string) { return new Date(s); }');
    const b = byName('export function readDate(s: string) { return new Date(s); }');
    expect(b.get('readDate')!.hash).toBe(a.get('parseDate')!.hash);
  });

  it('tells apart code that differs only where normalization must not reach', () => {
    const h = (text: string, path = 'a.ts') => byName(text, path).get('(module)')!.hash;
    expect(h('a\n(b)')).not.toBe(h('a;\n(b)')); // ASI: a call vs two statements
    expect(h('x = [a,,];')).not.toBe(h('x = [a,];')); // array holes are not trailing commas
    expect(h('x = [,];')).not.toBe(h('x = [];'));
    expect(h('x = [a,];')).toBe(h('x = [a];'));
    expect(h('x = "a b";')).not.toBe(h('x = "a  b";')); // string content
    expect(h('x = `a ${b} c`;')).not.toBe(h('x = `a ${b}  c`;')); // template text
    expect(h('x = /a b/;')).not.toBe(h('x = /a  b/;')); // regex text
    expect(h('x = /\\/\\//; y(1);')).not.toBe(h('x = /\\/\\//; y(2);')); // code after a regex with slashes
    expect(h('x = <p>a b</p>;', 'a.tsx')).not.toBe(h('x = <p>a c</p>;', 'a.tsx'));
    expect(h('x = <p>it\'s // fine</p>; y(1);', 'a.tsx')).not.toBe(h('x = <p>it\'s // fine</p>; y(2);', 'a.tsx'));
    expect(h('x = "it\'s";')).toBe(h("x = 'it\\'s';"));
  });
});

describe('files that do not parse', () => {
  it('reports a syntax error with its line and yields no symbols', () => {
    const r = analyzeSource('src/broken.ts', 'export function ok() {}\n\nfunction broken( {\n  return 1;\n');
    expect(r.status).toBe('parse-error');
    expect(r.reason).toMatch(/^line \d+: /);
    expect(r.symbols).toEqual([]);
    expect(r.lineCount).toBe(4);
  });
});

describe('regressions', () => {
  it('a leading byte-order mark changes no line, hash or complexity', () => {
    const src = 'export function foo(a: number) {\n  if (a) return 1;\n  return 2;\n}\nclass K { m() { return "x"; } }\n';
    expect(analyzeSource('a.ts', '\uFEFF' + src)).toEqual(analyzeSource('a.ts', src));
    expect(analyzeSource('a.ts', '\uFEFF' + src).symbols.find((s) => s.name === 'foo')).toMatchObject({ startLine: 1, endLine: 4 });
  });
});
