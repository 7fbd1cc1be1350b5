/**
 * Syntax facts the walker needs, precomputed once. `ts.SyntaxKind.X` and `ts.isX` go through getters
 * on ts-morph's re-export of the compiler and an enum object in dictionary mode, so hot paths use the
 * numeric constants and the per-kind flag table below instead.
 */
import { ts } from 'ts-morph';

export const SK = ts.SyntaxKind;
export const forEachChild = ts.forEachChild;

/** Kinds whose node adds 1 to cyclomatic complexity. */
export const F_DECISION = 1;
/** Property access, element access, call: +1 when they carry `?.`. */
export const F_OPTIONAL = 2;
/** Statements and type members whose terminator the token hash normalizes. */
export const F_TERMINATED = 4;
export const F_TYPE_MEMBER = 8;
/** Empty statements / class-body semicolons: their `;` vanishes from the token stream. */
export const F_DROP = 16;
/** Regex, template continuation, JSX text, JSX attribute string: scanned from the AST, not by the scanner. */
export const F_SPAN = 32;
/** May declare a symbol (see DECLARATION_CODE). */
export const F_STRUCTURAL = 64;
/** `&&`-like binary expressions (checked on the operator). */
export const F_BINARY = 128;
/** Functions, blocks, object literals: change naming/export scope for what they contain. */
export const F_SCOPE = 256;
/** Expression statements: at the top level a call may be a unit (a callback or a test, see units.ts). */
export const F_UNIT = 512;

const KIND_COUNT = Math.max(...Object.values(SK).filter((v): v is number => typeof v === 'number')) + 1;
export const KIND_FLAGS = new Uint16Array(KIND_COUNT);

function flag(value: number, kinds: ts.SyntaxKind[]): void {
  for (const k of kinds) KIND_FLAGS[k] = KIND_FLAGS[k]! | value;
}

flag(F_DECISION, [SK.IfStatement, SK.ConditionalExpression, SK.ForStatement, SK.ForInStatement, SK.ForOfStatement, SK.WhileStatement, SK.DoStatement, SK.CaseClause, SK.CatchClause]);
flag(F_OPTIONAL, [SK.PropertyAccessExpression, SK.ElementAccessExpression, SK.CallExpression]);
flag(F_TERMINATED, [
  SK.VariableStatement,
  SK.ExpressionStatement,
  SK.ReturnStatement,
  SK.ThrowStatement,
  SK.BreakStatement,
  SK.ContinueStatement,
  SK.DoStatement,
  SK.DebuggerStatement,
  SK.ImportDeclaration,
  SK.ImportEqualsDeclaration,
  SK.ExportDeclaration,
  SK.ExportAssignment,
  SK.TypeAliasDeclaration,
  SK.PropertyDeclaration,
  SK.NamespaceExportDeclaration,
]);
flag(F_TYPE_MEMBER, [SK.PropertySignature, SK.MethodSignature, SK.CallSignature, SK.ConstructSignature, SK.IndexSignature]);
flag(F_DROP, [SK.EmptyStatement, SK.SemicolonClassElement]);
flag(F_SPAN, [SK.RegularExpressionLiteral, SK.TemplateMiddle, SK.TemplateTail, SK.JsxText, SK.StringLiteral]);
flag(F_SCOPE, [SK.ArrowFunction, SK.FunctionExpression, SK.Block, SK.ObjectLiteralExpression]);
flag(F_STRUCTURAL, [
  SK.FunctionDeclaration,
  SK.ClassDeclaration,
  SK.ClassExpression,
  SK.InterfaceDeclaration,
  SK.TypeAliasDeclaration,
  SK.EnumDeclaration,
  SK.ModuleDeclaration,
  SK.MethodDeclaration,
  SK.Constructor,
  SK.GetAccessor,
  SK.SetAccessor,
  SK.PropertyDeclaration,
  SK.PropertyAssignment,
  SK.VariableDeclaration,
  SK.ExportAssignment,
]);
flag(F_BINARY, [SK.BinaryExpression]);
flag(F_UNIT, [SK.ExpressionStatement]);

/** What a declaring kind declares, for one switch on small integers. */
export const D_FUNCTION = 1;
export const D_CLASS = 2;
export const D_CLASS_EXPRESSION = 3;
export const D_INTERFACE = 4;
export const D_TYPE = 5;
export const D_ENUM = 6;
export const D_NAMESPACE = 7;
export const D_METHOD = 8;
export const D_CONSTRUCTOR = 9;
export const D_GETTER = 10;
export const D_SETTER = 11;
export const D_PROPERTY_DECLARATION = 12;
export const D_PROPERTY_ASSIGNMENT = 13;
export const D_VARIABLE = 14;
export const D_ASSIGNMENT = 15;
export const D_EXPORT_DEFAULT = 16;
export const DECLARATION_CODE = new Uint8Array(KIND_COUNT);
DECLARATION_CODE[SK.FunctionDeclaration] = D_FUNCTION;
DECLARATION_CODE[SK.ClassDeclaration] = D_CLASS;
DECLARATION_CODE[SK.ClassExpression] = D_CLASS_EXPRESSION;
DECLARATION_CODE[SK.InterfaceDeclaration] = D_INTERFACE;
DECLARATION_CODE[SK.TypeAliasDeclaration] = D_TYPE;
DECLARATION_CODE[SK.EnumDeclaration] = D_ENUM;
DECLARATION_CODE[SK.ModuleDeclaration] = D_NAMESPACE;
DECLARATION_CODE[SK.MethodDeclaration] = D_METHOD;
DECLARATION_CODE[SK.Constructor] = D_CONSTRUCTOR;
DECLARATION_CODE[SK.GetAccessor] = D_GETTER;
DECLARATION_CODE[SK.SetAccessor] = D_SETTER;
DECLARATION_CODE[SK.PropertyDeclaration] = D_PROPERTY_DECLARATION;
DECLARATION_CODE[SK.PropertyAssignment] = D_PROPERTY_ASSIGNMENT;
DECLARATION_CODE[SK.VariableDeclaration] = D_VARIABLE;
DECLARATION_CODE[SK.BinaryExpression] = D_ASSIGNMENT;
DECLARATION_CODE[SK.ExportAssignment] = D_EXPORT_DEFAULT;

export const LOGICAL_OPERATORS = new Uint8Array(KIND_COUNT);
for (const k of [SK.AmpersandAmpersandToken, SK.BarBarToken, SK.QuestionQuestionToken, SK.AmpersandAmpersandEqualsToken, SK.BarBarEqualsToken, SK.QuestionQuestionEqualsToken]) {
  LOGICAL_OPERATORS[k] = 1;
}

export const K_LAST_TOKEN = SK.LastToken;
export const K_BINARY = SK.BinaryExpression;
export const K_EQUALS = SK.EqualsToken;
export const K_ARROW = SK.ArrowFunction;
export const K_FUNCTION_EXPRESSION = SK.FunctionExpression;
export const K_CLASS_EXPRESSION = SK.ClassExpression;
export const K_OBJECT_LITERAL = SK.ObjectLiteralExpression;
export const K_BLOCK = SK.Block;
export const K_MODULE_DECLARATION = SK.ModuleDeclaration;
export const K_IDENTIFIER = SK.Identifier;
export const K_STRING_LITERAL = SK.StringLiteral;
export const K_JSX_TEXT = SK.JsxText;
export const K_JSX_ATTRIBUTE = SK.JsxAttribute;

const WRAPPERS = new Set([SK.ParenthesizedExpression, SK.AsExpression, SK.SatisfiesExpression, SK.NonNullExpression, SK.TypeAssertionExpression]);

export function isFunctionLike(kind: ts.SyntaxKind): boolean {
  return kind === K_ARROW || kind === K_FUNCTION_EXPRESSION;
}

/** The expression inside parentheses, `as`, `satisfies`, `!` and `<T>` casts. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (WRAPPERS.has(e.kind)) e = (e as ts.ParenthesizedExpression).expression;
  return e;
}

/** `a.b.c` / `this.x` / `exports["y"]` as a dotted name (without `this.`), or null for anything else. */
export function assignmentTarget(expr: ts.Expression): string | null {
  const parts: string[] = [];
  let e: ts.Expression = expr;
  for (;;) {
    if (ts.isPropertyAccessExpression(e)) {
      parts.unshift(e.name.text);
      e = e.expression;
    } else if (ts.isElementAccessExpression(e) && ts.isStringLiteral(e.argumentExpression)) {
      parts.unshift(e.argumentExpression.text);
      e = e.expression;
    } else if (ts.isIdentifier(e)) {
      parts.unshift(e.text);
      return parts.join('.');
    } else if (e.kind === SK.ThisKeyword && parts.length > 0) {
      return parts.join('.');
    } else {
      return null;
    }
  }
}

export function isCommonJsExport(target: string): boolean {
  return target === 'module.exports' || target.startsWith('module.exports.') || target.startsWith('exports.');
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return modifiers !== undefined && modifiers.some((m) => m.kind === kind);
}

export function isPrivate(node: ts.Node): boolean {
  const name = (node as { name?: ts.Node }).name;
  if (name && name.kind === SK.PrivateIdentifier) return true;
  return hasModifier(node, SK.PrivateKeyword);
}

/** `xs.map(fn)` and friends compute a value; `memo(fn)`, `debounce(fn)`, `createSelector(..., fn)` define one. */
const DATA_TRANSFORMS = new Set(['map', 'filter', 'reduce', 'reduceRight', 'forEach', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every', 'flatMap', 'sort', 'toSorted', 'then', 'catch', 'finally', 'replace', 'replaceAll']);

export function isDataTransform(call: ts.CallExpression): boolean {
  return ts.isPropertyAccessExpression(call.expression) && DATA_TRANSFORMS.has(call.expression.name.text);
}

/** `f`, `f`, `f` becomes `f`, `f#2`, `f#3`. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}#${n}`;
  });
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line of a character offset. */
export function lineOfOffset(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(1, lo);
}
