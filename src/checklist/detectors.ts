/**
 * Syntax-only risk detectors over one symbol's text: swallowed errors, floating promises, unsafe
 * types and security-sensitive calls. No type checker, so each rule is a documented heuristic:
 *
 * - swallowed-error: a `catch` block that is empty, or that neither uses its error binding nor
 *   throws; a promise `.catch(handler)` whose handler ignores its argument and doesn't throw.
 * - floating-promise: an expression statement (not `await`ed, not returned, not assigned, not
 *   `void`ed) that calls `fetch`, a function declared `async` (or with a `Promise` return type)
 *   among the changed symbols, such a method on `this`, `Promise.all/allSettled/race/any`, a
 *   `new Promise`, or ends in `.then(...)` / `.finally(...)` (a `.catch(h)` or two-argument `.then`
 *   at the end handles rejection).
 * - unsafe-type: each `any`, `as unknown as` double cast and non-null assertion `x!`.
 * - security: child_process calls, `eval` / `new Function`, SQL text in an untagged template
 *   literal with interpolation or in a `+` concatenation with non-literal parts, `fs` calls whose
 *   path is not a literal, `fetch` of a non-literal URL, `rejectUnauthorized: false`,
 *   `NODE_TLS_REJECT_UNAUTHORIZED`, `createHash`/`createHmac` with md5/sha1/md4 and `digest('SHA-1')`.
 */
// The TypeScript compiler itself (not ts-morph, whose file-system layer needs Node): the Worker bundles this.
import ts from 'typescript';
import { lineKey, lineOf, nameOf, type Fragment } from './source.ts';
import type { FlagCode } from './types.ts';

export interface Finding {
  code: FlagCode;
  message: string;
  /** 1-based line within the fragment. */
  line: number;
  /** Whitespace-collapsed text of that line, to tell pre-existing findings from new ones. */
  key: string;
}

const CHILD_PROCESS_BARE = new Set(['exec', 'execSync', 'execFile', 'execFileSync', 'spawn', 'spawnSync']);
const CHILD_PROCESS_ANY_OBJECT = new Set(['execSync', 'execFile', 'execFileSync', 'spawn', 'spawnSync']);
const CHILD_PROCESS_OBJECT = /^(child_?process|childProcess|cp)$/i;
const FS_FUNCS = new Set([
  'readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync',
  'createReadStream', 'createWriteStream', 'unlink', 'unlinkSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync',
  'readdir', 'readdirSync', 'mkdir', 'mkdirSync', 'copyFile', 'copyFileSync', 'open', 'openSync',
  'rename', 'renameSync', 'chmod', 'chmodSync', 'symlink', 'symlinkSync', 'access', 'accessSync', 'stat', 'statSync',
]);
const FS_BARE = new Set([
  'readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync',
  'createReadStream', 'createWriteStream', 'unlink', 'unlinkSync', 'rmSync', 'readdirSync', 'mkdirSync', 'copyFileSync',
]);
const FS_OBJECT = /^(fs|fsp|fsPromises|fse|fsExtra|promises|fs\.promises|nodeFs)$/;
const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);
const WEAK_HASHES = new Set(['md5', 'md4', 'md2', 'sha1', 'sha-1']);
// Upper-case keywords are SQL; lower-case text must also have the statement's shape (prose says "select a file from").
const SQL_UPPER = /\b(SELECT\b[\s\S]*?\bFROM|INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\b/;
const SQL_SHAPED = /\b(select\s[\s\S]*?\bfrom\s+\S+[\s\S]*?\bwhere\b|insert\s+into\s+\S+[\s\S]*?\bvalues\b|update\s+\S+\s+set\s+\S+\s*=|delete\s+from\s+\S+\s+where\b)/i;
const looksLikeSql = (text: string) => SQL_UPPER.test(text) || SQL_SHAPED.test(text);

const isStringLike = (n: ts.Node | undefined): boolean =>
  !!n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n));

function unparen(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** Does `body` throw, or mention `name`, outside nested functions? */
function throwsOrUses(body: ts.Node, name: string | undefined): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isThrowStatement(n)) found = true;
    else if (name && ts.isIdentifier(n) && n.text === name) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

function ignoringHandler(fn: ts.Expression | undefined): boolean {
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return false;
  const param = fn.parameters[0];
  if (param && !ts.isIdentifier(param.name)) return false;
  return !throwsOrUses(fn.body, param ? (param.name as ts.Identifier).text : undefined);
}

/**
 * Names declared `async` (or with a `Promise` return type) in a fragment: candidates for floating
 * calls. Functions as `name` (called bare), methods and properties as `.name` (called on `this`):
 * without types, `other.name()` could be anything, so only `this.name()` counts for those.
 */
export function asyncNamesOf(fragment: Fragment): string[] {
  const names: string[] = [];
  const returnsPromise = (fn: ts.SignatureDeclarationBase): boolean =>
    !!(ts.canHaveModifiers(fn) ? ts.getModifiers(fn) : undefined)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ||
    (!!fn.type && /^Promise\s*</.test(fn.type.getText(fragment.sf)));
  const visit = (n: ts.Node): void => {
    const name = nameOf(n);
    if (name && (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isMethodSignature(n)) && returnsPromise(n)) {
      names.push(ts.isFunctionDeclaration(n) ? name : `.${name}`);
    } else if (name && (ts.isVariableDeclaration(n) || ts.isPropertyAssignment(n) || ts.isPropertyDeclaration(n)) && n.initializer) {
      const init = unparen(n.initializer);
      if ((ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && returnsPromise(init)) names.push(ts.isVariableDeclaration(n) ? name : `.${name}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(fragment.sf);
  return names;
}

function calleeName(expr: ts.LeftHandSideExpression): { object: string | null; name: string } | null {
  if (ts.isIdentifier(expr)) return { object: null, name: expr.text };
  if (ts.isPropertyAccessExpression(expr)) return { object: expr.expression.getText(), name: expr.name.text };
  return null;
}

function floatingReason(expr: ts.Expression, asyncNames: ReadonlySet<string>): string | null {
  const e = unparen(expr);
  if (ts.isNewExpression(e)) return ts.isIdentifier(e.expression) && e.expression.text === 'Promise' ? '`new Promise(...)`' : null;
  if (!ts.isCallExpression(e)) return null;
  const callee = calleeName(e.expression);
  if (!callee) return null;
  if (callee.object !== null) {
    if (callee.name === 'catch' && e.arguments.length > 0) return null;
    if (callee.name === 'then') return e.arguments.length >= 2 ? null : 'a `.then(...)` chain';
    if (callee.name === 'finally') return 'a `.finally(...)` chain';
    if (callee.object === 'Promise' && PROMISE_COMBINATORS.has(callee.name)) return `\`Promise.${callee.name}(...)\``;
  }
  if (callee.name === 'fetch' && (callee.object === null || /^(globalThis|window|self)$/.test(callee.object))) return '`fetch(...)`';
  const known = callee.object === null ? asyncNames.has(callee.name) : callee.object === 'this' && asyncNames.has(`.${callee.name}`);
  if (known) return `async \`${callee.name}(...)\``;
  return null;
}

function sqlFromConcat(e: ts.BinaryExpression): boolean {
  const parts: string[] = [];
  let dynamic = false;
  const collect = (n: ts.Expression): void => {
    const u = unparen(n);
    if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      collect(u.left);
      collect(u.right);
    } else if (isStringLike(u)) parts.push((u as ts.StringLiteral).text);
    else if (ts.isTemplateExpression(u)) {
      parts.push(u.head.text, ...u.templateSpans.map((s) => s.literal.text));
      dynamic = true;
    } else {
      parts.push(' ? ');
      dynamic = true;
    }
  };
  collect(e);
  return dynamic && looksLikeSql(parts.join(''));
}

function securityReason(n: ts.Node): string | null {
  if (ts.isCallExpression(n)) {
    const callee = calleeName(n.expression);
    const arg0 = n.arguments[0];
    if (callee) {
      const { object, name } = callee;
      if (object === null ? CHILD_PROCESS_BARE.has(name) : CHILD_PROCESS_ANY_OBJECT.has(name) || (name === 'exec' && CHILD_PROCESS_OBJECT.test(object)))
        return `runs a child process (\`${name}\`)`;
      if (object === null && name === 'eval') return 'evaluates code at run time (`eval`)';
      if ((object === null ? FS_BARE.has(name) : FS_FUNCS.has(name) && FS_OBJECT.test(object)) && arg0 && !isStringLike(arg0))
        return `file-system path from a variable (\`${object ? `${object}.` : ''}${name}\`)`;
      if (name === 'fetch' && (object === null || /^(globalThis|window|self)$/.test(object)) && arg0 && !isStringLike(arg0))
        return 'fetch of a non-literal URL';
      if ((name === 'createHash' || name === 'createHmac' || name === 'digest') && arg0 && isStringLike(arg0)) {
        const algo = (arg0 as ts.StringLiteral).text.toLowerCase();
        if (WEAK_HASHES.has(algo)) return `weak hash (${algo})`;
      }
    }
  } else if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'Function') {
    return 'evaluates code at run time (`new Function`)';
  } else if (ts.isTemplateExpression(n) && !ts.isTaggedTemplateExpression(n.parent)) {
    const text = [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' ? ');
    if (looksLikeSql(text)) return 'SQL built with a template literal';
  } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const parent = n.parent;
    const nested = ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.PlusToken;
    if (!nested && sqlFromConcat(n)) return 'SQL built by string concatenation';
  } else if (ts.isPropertyAssignment(n) && nameOf(n) === 'rejectUnauthorized' && n.initializer.kind === ts.SyntaxKind.FalseKeyword) {
    return 'TLS certificate checks disabled (`rejectUnauthorized: false`)';
  } else if ((ts.isIdentifier(n) || ts.isStringLiteral(n)) && n.text === 'NODE_TLS_REJECT_UNAUTHORIZED') {
    return 'TLS certificate checks disabled (`NODE_TLS_REJECT_UNAUTHORIZED`)';
  }
  return null;
}

/** Every finding of the four syntax detectors in one walk of the fragment. */
export function detectFindings(fragment: Fragment, asyncNames: ReadonlySet<string>): Finding[] {
  const { sf } = fragment;
  const out: Finding[] = [];
  const add = (code: FlagCode, message: string, node: ts.Node) => {
    const line = lineOf(sf, node);
    out.push({ code, message, line, key: lineKey(sf, line) });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isCatchClause(n)) {
      const binding = n.variableDeclaration?.name;
      if (n.block.statements.length === 0) add('swallowed-error', 'empty `catch` block', n);
      else if (binding === undefined || ts.isIdentifier(binding)) {
        const name = binding && ts.isIdentifier(binding) ? binding.text : undefined;
        if (!throwsOrUses(n.block, name)) add('swallowed-error', '`catch` ignores the error (neither used nor rethrown)', n);
      }
    } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'catch') {
      if (ignoringHandler(n.arguments[0])) add('swallowed-error', '`.catch(...)` handler ignores the error', n.expression.name);
    } else if (ts.isExpressionStatement(n)) {
      const reason = floatingReason(n.expression, asyncNames);
      if (reason) add('floating-promise', `promise from ${reason} is neither awaited nor returned`, n);
    } else if (n.kind === ts.SyntaxKind.AnyKeyword) {
      add('unsafe-type', '`any` type', n);
    } else if (ts.isNonNullExpression(n)) {
      add('unsafe-type', 'non-null assertion `!`', n);
    } else if (ts.isAsExpression(n)) {
      const inner = unparen(n.expression);
      if (ts.isAsExpression(inner) && inner.type.kind === ts.SyntaxKind.UnknownKeyword) add('unsafe-type', 'double cast `as unknown as`', n);
    }
    const security = securityReason(n);
    if (security) add('security', security, n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * The findings the change introduced. unsafe-type counts (old vs new, per kind) decide how many are
 * new, lines not seen before choose which; for the other codes every finding on a line whose text
 * did not carry the same finding before is new.
 */
export function newFindings(before: readonly Finding[], after: readonly Finding[]): Finding[] {
  const seen = new Map<string, number>();
  const oldCount = new Map<string, number>();
  for (const f of before) {
    const k = `${f.code}\u0000${f.message}\u0000${f.key}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
    oldCount.set(`${f.code}\u0000${f.message}`, (oldCount.get(`${f.code}\u0000${f.message}`) ?? 0) + 1);
  }
  const unmatched: Finding[] = [];
  const matched: Finding[] = [];
  for (const f of after) {
    const k = `${f.code}\u0000${f.message}\u0000${f.key}`;
    const n = seen.get(k) ?? 0;
    if (n > 0) {
      seen.set(k, n - 1);
      matched.push(f);
    } else unmatched.push(f);
  }
  const newCount = new Map<string, number>();
  for (const f of after) newCount.set(`${f.code}\u0000${f.message}`, (newCount.get(`${f.code}\u0000${f.message}`) ?? 0) + 1);
  const budget = new Map<string, number>();
  for (const [k, n] of newCount) budget.set(k, Math.max(0, n - (oldCount.get(k) ?? 0)));
  const out: Finding[] = [];
  for (const f of unmatched) {
    const k = `${f.code}\u0000${f.message}`;
    if (f.code !== 'unsafe-type') out.push(f);
    else if ((budget.get(k) ?? 0) > 0) {
      budget.set(k, budget.get(k)! - 1);
      out.push(f);
    }
  }
  return out.sort((a, b) => a.line - b.line);
}
