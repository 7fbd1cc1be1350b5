/**
 * Units a reader sees in top-level code that is not a declaration: registered callbacks and test
 * blocks. Without them a file's routes, tool handlers, CLI commands and every test case would be one
 * `(module)`. Names:
 * - a test block or hook is named by its title, nested titles joined with ` › `
 *   (`installPlugins › rejects http URLs`); a hook by its function (`installPlugins › beforeEach`);
 * - a callback by the call and its first literal argument: `server.tool('delete_files')`,
 *   `app.get('/path')`, `program.command('init')` (the rest of a chain such as `.action(fn)` is left
 *   out so that adding an `.option()` keeps the name); without a literal by the call: `app.use`.
 * Both need a function among the arguments of the call (or of a call in its chain).
 * Constants (`export const PR_QUERY = ...`) are decided by `isConstantUnit`.
 */
import { ts } from 'ts-morph';
import { isFunctionLike, SK, unwrap } from './syntax.ts';

/** Test functions of vitest, jest, mocha, node:test, tap, playwright (root identifiers). */
const TEST_FUNCTIONS = new Set(['describe', 'it', 'test', 'suite', 'context', 'specify', 'fdescribe', 'xdescribe', 'fit', 'xit', 'xtest', 'bench']);
/** `it.only`, `test.skip`, `describe.each(...)`, `test.concurrent.each`, playwright's `test.describe`... */
const TEST_MODIFIERS = new Set(['only', 'skip', 'todo', 'each', 'concurrent', 'sequential', 'shuffle', 'fails', 'skipIf', 'runIf', 'failing', 'serial', 'parallel', 'describe', 'step', 'fixme']);
const HOOKS = new Set(['beforeAll', 'beforeEach', 'afterAll', 'afterEach', 'before', 'after', 'setup', 'teardown']);
/** Names longer than this are cut (a title can be a paragraph). */
const MAX_TITLE = 160;

export interface UnitCall {
  kind: 'test' | 'callback';
  /** The unit's own part of the name (a test's title, a callback's call); nesting is added by the walker. */
  name: string;
  /** Start of the title literal, left out of a test's hash so that a retitled test is a move. */
  titleStart: number;
}

/** The unit a top-level (or, `inTest`, a test's) call expression statement is, if any. */
export function unitOfCall(expr: ts.Expression, sf: ts.SourceFile, text: string, inTest: boolean): UnitCall | undefined {
  let e = unwrap(expr);
  if (e.kind === SK.AwaitExpression) e = unwrap((e as ts.AwaitExpression).expression);
  if (e.kind !== SK.CallExpression) return undefined;
  const call = e as ts.CallExpression;
  const test = testCall(call, sf, text, inTest);
  if (test || inTest) return test;
  return callbackCall(call, sf, text);
}

function hasFunctionArgument(call: ts.CallExpression): boolean {
  return call.arguments.some((a) => isFunctionLike(unwrap(a).kind));
}

/** `a.b.c` as its parts, or null when the expression is not a plain dotted name. */
function dotted(expr: ts.Expression): string[] | null {
  const parts: string[] = [];
  let e = expr;
  for (;;) {
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
      parts.unshift(e.name.text);
      e = e.expression;
    } else if (ts.isIdentifier(e)) {
      parts.unshift(e.text);
      return parts;
    } else if (e.kind === SK.ThisKeyword) {
      parts.unshift('this');
      return parts;
    } else {
      return null;
    }
  }
}

function testCall(call: ts.CallExpression, sf: ts.SourceFile, text: string, inTest: boolean): UnitCall | undefined {
  if (!hasFunctionArgument(call)) return undefined;
  // `describe.each(table)(title, fn)` and `` test.each`table`(title, fn) ``: the function is the callee's callee.
  let callee = call.expression;
  if (ts.isCallExpression(callee)) callee = callee.expression;
  else if (ts.isTaggedTemplateExpression(callee)) callee = callee.tag;
  const parts = dotted(callee);
  if (!parts) return undefined;
  const [root, ...rest] = parts as [string, ...string[]];
  const first = call.arguments[0]!;
  if (HOOKS.has(root) && rest.length === 0) return { kind: 'test', name: root, titleStart: -1 };
  const isTest = TEST_FUNCTIONS.has(root) ? rest.every((p) => TEST_MODIFIERS.has(p))
    // node:test and tap subtests: `t.test('case', ...)` inside a test.
    : inTest && rest.length === 1 && (rest[0] === 'test' || rest[0] === 'describe' || rest[0] === 'step');
  if (!isTest || isFunctionLike(unwrap(first).kind)) return undefined;
  return { kind: 'test', name: titleOf(first, sf, text), titleStart: first.getStart(sf) };
}

function callbackCall(call: ts.CallExpression, sf: ts.SourceFile, text: string): UnitCall | undefined {
  // The chain from the innermost call outwards: `program.command('x').action(fn)` is [command(...), action(...)].
  const chain: ts.CallExpression[] = [call];
  for (let c = call; ts.isPropertyAccessExpression(c.expression) && ts.isCallExpression(unwrap(c.expression.expression));) {
    c = unwrap(c.expression.expression) as ts.CallExpression;
    chain.unshift(c);
  }
  if (!chain.some(hasFunctionArgument)) return undefined;
  const root = dotted(chain[0]!.expression);
  if (!root) return undefined;
  let name = root.join('.');
  for (let i = 0; i < chain.length; i++) {
    const c = chain[i]!;
    const first = c.arguments[0];
    if (first && isLiteral(first)) return { kind: 'callback', name: `${name}('${titleOf(first, sf, text)}')`, titleStart: -1 };
    if (i === chain.length - 1) break;
    name += `().${(chain[i + 1]!.expression as ts.PropertyAccessExpression).name.text}`;
  }
  return { kind: 'callback', name, titleStart: -1 };
}

function isLiteral(e: ts.Expression): boolean {
  return e.kind === SK.StringLiteral || e.kind === SK.NoSubstitutionTemplateLiteral || e.kind === SK.TemplateExpression;
}

/** A title as the reader sees it: the literal's text, else the source of the expression, on one line. */
function titleOf(e: ts.Expression, sf: ts.SourceFile, text: string): string {
  let title: string;
  if (e.kind === SK.StringLiteral || e.kind === SK.NoSubstitutionTemplateLiteral) title = (e as ts.StringLiteral).text;
  else if (e.kind === SK.TemplateExpression) title = text.slice(e.getStart(sf) + 1, e.end - 1);
  else title = text.slice(e.getStart(sf), e.end);
  title = title.replace(/\s+/g, ' ').trim();
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title;
}

/**
 * Whether a top-level variable without a function value is a unit: every exported one, and a
 * `const` with a value of its own (not `require()`, `import()` or an alias of another name).
 */
export function isConstantUnit(decl: ts.VariableDeclaration, list: ts.Node, exported: boolean): boolean {
  if (exported) return true;
  if (!ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) === 0) return false;
  let value = unwrap(decl.initializer!);
  if (value.kind === SK.AwaitExpression) value = unwrap((value as ts.AwaitExpression).expression);
  if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value)) return false;
  if (ts.isCallExpression(value)) {
    const callee = value.expression;
    if (callee.kind === SK.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) return false;
  }
  return true;
}
