/**
 * The public signature of a declaration, as parts that can be compared old vs new:
 * functions and methods by type parameters, parameters and return type; classes by heritage and
 * each public member; interfaces and enums by member; type aliases and annotated variables by
 * their type. Texts are compared token-wise, so formatting and comments never count as a change.
 */
// The TypeScript compiler itself (not ts-morph, whose file-system layer needs Node): the Worker bundles this.
import ts from 'typescript';
import { lineOf, nameOf, normalizedTokens, type Fragment } from './source.ts';

export interface SignaturePart {
  /** Stable key: 'params', 'return', 'typeParams', 'heritage', 'type', 'member:<name>'. */
  key: string;
  text: string;
  /** 1-based line within the fragment. */
  line: number;
  /** For parameter lists: each parameter's text and line, to point at the first one that changed. */
  items?: { text: string; line: number }[];
}

export interface Signature {
  parts: SignaturePart[];
  /** Line of the declaration itself (where removals are reported). */
  line: number;
  /** false when the declaration is private/protected (a class member): not public API. */
  isPublic: boolean;
}

type FunctionLike = ts.SignatureDeclarationBase & ts.Node;

const tokens = (sf: ts.SourceFile, node: ts.Node | undefined) => (node ? normalizedTokens(node.getText(sf)) : '');

function isNonPublic(node: ts.Node): boolean {
  const mods = ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : [];
  if (mods.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) return true;
  const name = (node as { name?: ts.Node }).name;
  return !!name && ts.isPrivateIdentifier(name);
}

function functionParts(sf: ts.SourceFile, fn: FunctionLike, prefix = ''): SignaturePart[] {
  const params = fn.parameters.map((p) => {
    // A default value makes a parameter optional; its value is behaviour, not signature.
    const optional = p.questionToken || p.initializer ? '?' : '';
    const rest = p.dotDotDotToken ? '...' : '';
    const mods = (ts.canHaveModifiers(p) ? (ts.getModifiers(p) ?? []) : []).map((m) => m.getText(sf)).join(' ');
    const type = p.type ? `: ${tokens(sf, p.type)}` : '';
    return { text: `${mods ? `${mods} ` : ''}${rest}${tokens(sf, p.name)}${optional}${type}`, line: lineOf(sf, p) };
  });
  const line = lineOf(sf, fn);
  const parts: SignaturePart[] = [
    {
      key: `${prefix}params`,
      text: `(${params.map((p) => p.text).join(', ')})`,
      line: params[0]?.line ?? line,
      items: params,
    },
    { key: `${prefix}return`, text: tokens(sf, fn.type), line: fn.type ? lineOf(sf, fn.type) : line },
  ];
  const isAsync = (ts.canHaveModifiers(fn) ? ts.getModifiers(fn) : undefined)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  // Without a written return type, `async` alone turns the result into a Promise.
  parts.push({ key: `${prefix}async`, text: isAsync ? 'async' : '', line });
  if (fn.typeParameters) parts.push({ key: `${prefix}typeParams`, text: `<${fn.typeParameters.map((t) => tokens(sf, t)).join(', ')}>`, line });
  return parts;
}

/** `(a: string): number` from the parts of a function signature. */
function joinParts(parts: SignaturePart[]): string {
  const get = (suffix: string) => parts.find((p) => p.key.endsWith(suffix))?.text ?? '';
  const ret = get('return');
  return `${get('async') ? 'async ' : ''}${get('typeParams')}${get('params')}${ret ? `: ${ret}` : ''}`;
}

/**
 * A member's part. In a class, function-valued members (methods, accessors, constructors, arrow
 * properties) are symbols of their own whose signatures are checked on their own items: the class
 * only notes that they exist (their bodies are cut from its stored text anyway).
 */
function memberParts(sf: ts.SourceFile, member: ts.Node, inClass = false): SignaturePart[] {
  if (isNonPublic(member) || ts.isClassStaticBlockDeclaration(member) || ts.isSemicolonClassElement(member)) return [];
  const name = ts.isConstructorDeclaration(member) ? 'constructor' : (nameOf(member) ?? '');
  const accessor = ts.isGetAccessorDeclaration(member) ? 'get ' : ts.isSetAccessorDeclaration(member) ? 'set ' : '';
  const key = `member:${accessor}${name}`;
  const line = lineOf(sf, member);
  if (inClass && isFunctionMember(member)) return [{ key, text: '', line }];
  if (ts.isConstructorDeclaration(member)) {
    // Parameter properties (`private x`) are not public; the parameter list is.
    return [{ key, text: joinParts(functionParts(sf, member)), line }];
  }
  if (ts.isMethodDeclaration(member) || ts.isMethodSignature(member) || ts.isGetAccessorDeclaration(member) || ts.isSetAccessorDeclaration(member)) {
    const opt = (member as ts.MethodDeclaration).questionToken ? '?' : '';
    return [{ key, text: opt + joinParts(functionParts(sf, member)), line }];
  }
  if (ts.isPropertyDeclaration(member) || ts.isPropertySignature(member)) {
    const init = ts.isPropertyDeclaration(member) ? member.initializer : undefined;
    const fn = init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
    const opt = member.questionToken ? '?' : '';
    const readonly = ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword) ? 'readonly ' : '';
    const type = member.type ? tokens(sf, member.type) : fn ? joinParts(functionParts(sf, fn)) : '';
    return [{ key, text: `${readonly}${name}${opt}${type ? `: ${type}` : ''}`, line }];
  }
  // Index, call and construct signatures, enum members: their whole text is the contract.
  return [{ key: `member:${tokens(sf, (member as { name?: ts.Node }).name) || ts.SyntaxKind[member.kind]}`, text: tokens(sf, member), line }];
}

function isFunctionMember(member: ts.Node): boolean {
  if (ts.isMethodDeclaration(member) || ts.isConstructorDeclaration(member) || ts.isGetAccessorDeclaration(member) || ts.isSetAccessorDeclaration(member)) return true;
  return ts.isPropertyDeclaration(member) && !member.type && functionIn(member.initializer) !== undefined;
}

/** The function an initializer or expression statement holds, if any. */
function functionIn(expr: ts.Expression | undefined): FunctionLike | undefined {
  let e = expr;
  while (e && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))) e = e.expression;
  if (e && (ts.isArrowFunction(e) || ts.isFunctionExpression(e))) return e;
  // `name = () => {}` (a property or assignment fragment)
  if (e && ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) return functionIn(e.right);
  return undefined;
}

/** The signature of the fragment's declaration; null when it declares nothing with a signature. */
export function extractSignature(fragment: Fragment): Signature | null {
  const { sf } = fragment;
  let node = fragment.root;
  if (!node) return null;
  if (ts.isLabeledStatement(node)) node = node.statement;
  const line = lineOf(sf, node);
  const sig = (parts: SignaturePart[], isPublic = true): Signature => ({ parts, line, isPublic });

  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node) || ts.isConstructorDeclaration(node)) {
    return sig(functionParts(sf, node), !isNonPublic(node));
  }
  if (ts.isPropertyDeclaration(node)) return sig(memberParts(sf, node), !isNonPublic(node));
  if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
    const parts: SignaturePart[] = [{ key: 'heritage', text: (node.heritageClauses ?? []).map((h) => tokens(sf, h)).join(' '), line }];
    if (node.typeParameters) parts.push({ key: 'typeParams', text: node.typeParameters.map((t) => tokens(sf, t)).join(','), line });
    for (const m of node.members) parts.push(...memberParts(sf, m, true));
    return sig(parts);
  }
  if (ts.isInterfaceDeclaration(node)) {
    const parts: SignaturePart[] = [{ key: 'heritage', text: (node.heritageClauses ?? []).map((h) => tokens(sf, h)).join(' '), line }];
    if (node.typeParameters) parts.push({ key: 'typeParams', text: node.typeParameters.map((t) => tokens(sf, t)).join(','), line });
    for (const m of node.members) parts.push(...memberParts(sf, m));
    return sig(parts);
  }
  if (ts.isEnumDeclaration(node)) {
    return sig(node.members.map((m) => ({ key: `member:${tokens(sf, m.name)}`, text: tokens(sf, m), line: lineOf(sf, m) })));
  }
  if (ts.isTypeAliasDeclaration(node)) {
    const typeParams = node.typeParameters ? `<${node.typeParameters.map((t) => tokens(sf, t)).join(',')}>` : '';
    return sig([{ key: 'type', text: typeParams + tokens(sf, node.type), line: lineOf(sf, node.type) }]);
  }
  if (ts.isVariableStatement(node)) {
    const decl = node.declarationList.declarations[0];
    if (!decl) return null;
    const fn = functionIn(decl.initializer);
    if (decl.type) return sig([{ key: 'type', text: tokens(sf, decl.type), line: lineOf(sf, decl.type) }]);
    return fn ? sig(functionParts(sf, fn)) : null;
  }
  if (ts.isExpressionStatement(node)) {
    const fn = functionIn(node.expression);
    return fn ? sig(functionParts(sf, fn)) : null;
  }
  return null;
}

/** false for a private/protected/#private class member: never public API. */
export function isPublicDeclaration(fragment: Fragment): boolean {
  return !!fragment.root && !isNonPublic(fragment.root);
}

export interface SignatureChange {
  message: string;
  line: number;
}

function firstChangedItemLine(before: { text: string }[], after: { text: string; line: number }[], fallback: number): number {
  for (let i = 0; i < after.length; i++) if (before[i]?.text !== after[i]!.text) return after[i]!.line;
  // Only removals at the end: point at the last remaining parameter (or the declaration).
  return after[after.length - 1]?.line ?? fallback;
}

/** What changed between two signatures, one entry per changed part (lines within the new fragment). */
export function compareSignatures(before: Signature, after: Signature): SignatureChange[] {
  const old = new Map(before.parts.map((p) => [p.key, p]));
  const changes: SignatureChange[] = [];
  const describe = (key: string) =>
    key === 'params' ? 'parameters' : key === 'return' ? 'return type' : key === 'typeParams' ? 'type parameters' : key === 'heritage' ? 'extends/implements' : key === 'type' ? 'type' : `public member \`${key.slice('member:'.length)}\``;
  for (const p of after.parts) {
    const o = old.get(p.key);
    old.delete(p.key);
    if (!o) {
      if (p.key.startsWith('member:') || p.text !== '') changes.push({ message: p.key.endsWith('async') ? 'made `async` (now returns a Promise)' : `${describe(p.key)} added`, line: p.line });
    } else if (o.text !== p.text) {
      const line = p.items && o.items ? firstChangedItemLine(o.items, p.items, p.line) : p.line;
      const shown = (t: string) => (t === '' ? '(none)' : t);
      const detail = o.text.length + p.text.length < 160 ? `: ${shown(o.text)} → ${shown(p.text)}` : '';
      changes.push({ message: p.key.endsWith('async') ? (p.text ? 'made `async` (now returns a Promise)' : 'no longer `async`') : `${describe(p.key)} changed${detail}`, line });
    }
  }
  for (const [key, o] of old) {
    if (o.text !== '' || key.startsWith('member:')) changes.push({ message: `${describe(key)} removed`, line: after.line });
  }
  return changes.sort((a, b) => a.line - b.line);
}
