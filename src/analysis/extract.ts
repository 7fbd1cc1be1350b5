/**
 * Symbols of one TS/JS source text: the compiler parses (parse.ts, no parent pointers), then one walk
 * over its AST collects symbols, complexity and the hints the token hasher needs; symbol-hashes.ts
 * turns what the walk found into lines and hashes.
 *
 * Naming scheme (qualified, dot-separated, by lexical nesting of symbols):
 * - top level: `foo`, `Foo`; members: `Foo.bar`, `Foo.constructor`, accessors `Foo.size:get` / `Foo.size:set`;
 * - nested functions: `outer.inner`; namespaces: `ns.fn` (`namespace a.b` is one symbol `a.b`);
 * - object literals assigned to a name extend the prefix: `const api = { get() {} }` gives `api.get`;
 *   assignments name by their target: `module.exports.run`, `Foo.prototype.run` (`this.` dropped);
 * - `export default function () {}` and `export default () => {}` are `default`;
 * - computed names keep their source text (`Foo.[Symbol.iterator]`), private names keep `#`;
 * - overload signatures fold into their implementation; any remaining duplicate name in a file gets
 *   `#2`, `#3` in source order; the rest of the top level (if any) is `(module)`, always last.
 * Hash: of the normalized tokens a symbol owns (tokens.ts), without its own name (a rename keeps the
 * hash) and without nested symbols (a method's change changes the method's hash, not its class's).
 * Complexity: 1 + if (else-if included), ?:, for/for-in/for-of/while/do, case, catch, && || ?? and
 * their assignment forms, and each `?.`; nested symbols' bodies count for themselves only.
 */
import { ts } from 'ts-morph';
import { parseSource } from './parse.ts';
import {
  DECLARATION_CODE, D_ASSIGNMENT, D_CLASS, D_CLASS_EXPRESSION, D_CONSTRUCTOR, D_ENUM, D_EXPORT_DEFAULT, D_FUNCTION,
  D_GETTER, D_INTERFACE, D_METHOD, D_NAMESPACE, D_PROPERTY_ASSIGNMENT, D_PROPERTY_DECLARATION, D_SETTER, D_TYPE,
  D_VARIABLE, F_BINARY, F_DECISION, F_DROP, F_OPTIONAL, F_SCOPE, F_SPAN, F_STRUCTURAL, F_TERMINATED, F_TYPE_MEMBER, F_UNIT,
  KIND_FLAGS, K_BLOCK, K_CLASS_EXPRESSION, K_EQUALS, K_IDENTIFIER, K_JSX_ATTRIBUTE, K_JSX_TEXT, K_MODULE_DECLARATION,
  K_LAST_TOKEN, K_OBJECT_LITERAL, K_STRING_LITERAL, LOGICAL_OPERATORS, SK, assignmentTarget, forEachChild, hasModifier,
  isCommonJsExport, isDataTransform, isFunctionLike, isPrivate, lineOfOffset, lineStartsOf, unwrap
} from './syntax.ts';
import { symbolsOf, type Draft, type Walked } from './symbol-hashes.ts';
import { OffsetList, normalizeJsxText, type TokenHints } from './tokens.ts';
import { isConstantUnit, unitOfCall } from './units.ts';
import { countLinesFromStarts, type BlobSymbol, type SymbolKind } from './types.ts';

export interface SourceAnalysis {
  status: 'ok' | 'parse-error';
  reason: string | null;
  lineCount: number;
  symbols: BlobSymbol[];
}

type Scope = 'top' | 'namespace' | 'class' | 'object' | 'local';

interface Ctx {
  symbol: number;
  prefix: string;
  scope: Scope;
  /** Whether members declared in this scope are visible outside the module. */
  exported: boolean;
  /** A function or class expression already represented by the enclosing declaration's symbol. */
  claimed: ts.Node | undefined;
  /** The object literal whose members the current prefix names (`const api = {...}` gives `api.`). */
  object: ts.Node | undefined;
}

/** Every context has all fields, in one order: the walk reads them on every flagged node. */
function ctxOf(symbol: number, prefix: string, scope: Scope, exported: boolean, claimed: ts.Node | undefined, object: ts.Node | undefined): Ctx {
  return { symbol, prefix, scope, exported, claimed, object };
}


export function analyzeSource(path: string, source: string): SourceAnalysis {
  // Drop a leading byte-order mark before parsing, so that node positions and our own offsets into
  // `text` agree (a BOM is on line 1: line numbers are unchanged).
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const lineStarts = lineStartsOf(text);
  const lineCount = countLinesFromStarts(text, lineStarts);
  const walked = parseAndWalk(path, text, lineStarts);
  if (typeof walked === 'string') return { status: 'parse-error', reason: walked, lineCount, symbols: [] };
  return { status: 'ok', reason: null, lineCount, symbols: symbolsOf(text, walked, lineStarts, lineCount) };
}

/** The walk's findings, or the first parse error; the tree itself can be collected once this returns. */
function parseAndWalk(path: string, text: string, lineStarts: readonly number[]): Walked | string {
  const sf = parseSource(path, text);
  const diagnostics = (sf as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
  if (first) {
    const line = lineOfOffset(lineStarts, first.start);
    return `line ${line}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`;
  }
  return new Walker(sf, text).walk();
}

/** Offset lists reused by every walk: a walk's hints are consumed before the next walk starts. */
const VIRTUAL_ENDS = new OffsetList();
const DROP_ENDS = new OffsetList();

class Walker {
  private readonly drafts: Draft[] = [];
  private moduleComplexity = 1;
  private readonly hints: TokenHints = { spans: [], virtualEnds: VIRTUAL_ENDS.cleared(), dropEnds: DROP_ENDS.cleared() };
  private readonly localExports = new Set<string>();
  private ctx: Ctx = ctxOf(-1, '', 'top', true, undefined, undefined);
  private readonly visitor = (node: ts.Node): void => this.visit(node);
  /** The nodes being walked, outermost first: the AST has no parent pointers (see parse.ts). */
  private readonly ancestors: ts.Node[] = [];
  private depth = 0;

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly text: string,
  ) {}

  walk(): Walked {
    this.collectLocalExports();
    this.ancestors[this.depth++] = this.sf;
    for (const statement of this.sf.statements) this.visit(statement);
    this.depth--;
    return { drafts: this.drafts, hints: this.hints, moduleComplexity: this.moduleComplexity, variant: this.sf.languageVariant };
  }

  /** The hot path: one flag lookup per node; only flagged kinds do any work. */
  private visit(node: ts.Node): void {
    const kind = node.kind;
    const flags = KIND_FLAGS[kind]!;
    if (flags !== 0) {
      if (flags & F_DECISION) this.bump();
      else if (flags & F_BINARY) {
        const operator = (node as ts.BinaryExpression).operatorToken.kind;
        if (LOGICAL_OPERATORS[operator]) this.bump();
        else if (operator === K_EQUALS) {
          this.visitStructural(node, kind); // `x.y = function () {}` declares x.y
          return;
        }
      }
      else if (flags & F_OPTIONAL && (node as ts.PropertyAccessExpression).questionDotToken) this.bump();
      if (flags & (F_TERMINATED | F_TYPE_MEMBER | F_DROP | F_SPAN)) this.collectHints(node, kind, flags);
      if (flags & F_UNIT && this.visitUnit(node as ts.ExpressionStatement)) return;
      if (flags & F_STRUCTURAL || node === this.ctx.claimed || (flags & F_SCOPE && (this.ctx.scope !== 'local' || kind === K_OBJECT_LITERAL))) {
        this.visitStructural(node, kind);
        return;
      }
    }
    // Tokens (identifiers, literals, keywords) have no children.
    if (kind > K_LAST_TOKEN) this.visitChildren(node);
  }

  private visitChildren(node: ts.Node): void {
    this.ancestors[this.depth++] = node;
    forEachChild(node, this.visitor);
    this.depth--;
  }

  /** The `generations`-th ancestor of the node being visited (1: its parent). */
  private ancestor(generations: number): ts.Node | undefined {
    return this.ancestors[this.depth - generations];
  }

  private visitStructural(node: ts.Node, kind: ts.SyntaxKind): void {
    const ctx = this.ctx;
    let next: Ctx;
    if (node === ctx.claimed) {
      const classExported = this.drafts[ctx.symbol]?.exported ?? false;
      next = kind === K_CLASS_EXPRESSION
        ? ctxOf(ctx.symbol, ctx.prefix, 'class', classExported, undefined, ctx.object)
        : ctxOf(ctx.symbol, ctx.prefix, ctx.scope, ctx.exported, undefined, ctx.object);
    } else {
      next = this.symbolFor(node, ctx) ?? this.scopeFor(node, ctx);
    }
    let body: ts.Node | undefined = node;
    if (kind === K_MODULE_DECLARATION && next !== ctx) {
      // `namespace a.b.c {}` nests declarations; its members live in the innermost body.
      body = (node as ts.ModuleDeclaration).body;
      while (body && body.kind === K_MODULE_DECLARATION) body = (body as ts.ModuleDeclaration).body;
    }
    this.ctx = next;
    if (body) this.visitChildren(body);
    this.ctx = ctx;
  }

  private bump(): void {
    const symbol = this.ctx.symbol;
    if (symbol === -1) this.moduleComplexity++;
    else this.drafts[symbol]!.complexity++;
  }

  /** Non-symbol nodes that change naming or export context for what they contain. */
  private scopeFor(node: ts.Node, ctx: Ctx): Ctx {
    switch (DECLARATION_CODE[node.kind]) {
      case D_VARIABLE: {
        const decl = node as ts.VariableDeclaration;
        if (decl.name.kind !== K_IDENTIFIER || !decl.initializer || unwrap(decl.initializer).kind !== K_OBJECT_LITERAL) return ctx;
        const name = (decl.name as ts.Identifier).text;
        return this.objectPrefix(ctx, decl.initializer, `${ctx.prefix}${name}.`, this.isExported(name, this.ancestor(2)!, ctx));
      }
      case D_PROPERTY_ASSIGNMENT: {
        const prop = node as ts.PropertyAssignment;
        if (unwrap(prop.initializer).kind !== K_OBJECT_LITERAL) return ctx;
        return this.objectPrefix(ctx, prop.initializer, `${ctx.prefix}${this.propertyName(prop.name)}.`, ctx.exported);
      }
      case D_ASSIGNMENT: {
        const bin = node as ts.BinaryExpression;
        const target = unwrap(bin.right).kind === K_OBJECT_LITERAL ? assignmentTarget(bin.left) : null;
        return target ? this.objectPrefix(ctx, bin.right, `${ctx.prefix}${target}.`, isCommonJsExport(target)) : ctx;
      }
      case D_EXPORT_DEFAULT: {
        const expr = (node as ts.ExportAssignment).expression;
        return unwrap(expr).kind === K_OBJECT_LITERAL ? this.objectPrefix(ctx, expr, `${ctx.prefix}default.`, true) : ctx;
      }
    }
    const kind = node.kind;
    if (kind === K_OBJECT_LITERAL) {
      if (node === ctx.object) return ctx;
      // An anonymous object (an argument, an array element): members are named from the enclosing symbol.
      const owner = this.drafts[this.namingSymbol(ctx.symbol)];
      return ctxOf(ctx.symbol, owner ? `${owner.name}.` : '', 'object', false, ctx.claimed, node);
    }
    if (kind === K_BLOCK || isFunctionLike(kind)) return ctx.scope === 'local' ? ctx : ctxOf(ctx.symbol, ctx.prefix, 'local', false, ctx.claimed, ctx.object);
    return ctx;
  }

  private memberExported(node: ts.Node, ctx: Ctx): boolean {
    return ctx.scope === 'class' ? ctx.exported && !isPrivate(node) : ctx.scope === 'object' && ctx.exported;
  }

  private objectPrefix(ctx: Ctx, value: ts.Expression, prefix: string, exported: boolean): Ctx {
    return ctxOf(ctx.symbol, prefix, 'object', exported, ctx.claimed, unwrap(value));
  }

  /** Creates the symbol a node declares, if any, and returns the context for its children. */
  private symbolFor(node: ts.Node, ctx: Ctx): Ctx | undefined {
    switch (DECLARATION_CODE[node.kind]) {
      case D_FUNCTION: {
        const fn = node as ts.FunctionDeclaration;
        const name = fn.name?.text ?? 'default';
        return this.add(ctx, node, name, 'function', fn.name, this.isExported(name, node, ctx), !fn.body);
      }
      case D_CLASS:
      case D_CLASS_EXPRESSION: {
        const cls = node as ts.ClassLikeDeclaration;
        if (!cls.name && ts.isClassExpression(cls)) return undefined;
        const name = cls.name?.text ?? 'default';
        const exported = this.isExported(name, node, ctx);
        const child = this.add(ctx, node, name, 'class', cls.name, exported, false);
        return ctxOf(child.symbol, child.prefix, 'class', exported, undefined, undefined);
      }
      case D_INTERFACE:
      case D_TYPE:
      case D_ENUM: {
        const decl = node as ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.EnumDeclaration;
        const kind = ts.isInterfaceDeclaration(decl) ? 'interface' : ts.isTypeAliasDeclaration(decl) ? 'type' : 'enum';
        return this.add(ctx, node, decl.name.text, kind, decl.name, this.isExported(decl.name.text, node, ctx), false);
      }
      case D_NAMESPACE: {
        const mod = node as ts.ModuleDeclaration;
        let name = ts.isIdentifier(mod.name) ? mod.name.text : JSON.stringify(mod.name.text);
        for (let body = mod.body; body && ts.isModuleDeclaration(body); body = body.body) name += `.${body.name.text}`;
        const ambient = !ts.isIdentifier(mod.name) || (mod.flags & ts.NodeFlags.GlobalAugmentation) !== 0;
        const exported = ambient || this.isExported(name, node, ctx);
        const child = this.add(ctx, node, name, 'namespace', mod.name, exported, false);
        return ctxOf(child.symbol, child.prefix, 'namespace', exported, undefined, undefined);
      }
      case D_METHOD: {
        const m = node as ts.MethodDeclaration;
        return this.add(ctx, node, this.propertyName(m.name), 'method', m.name, this.memberExported(node, ctx), !m.body);
      }
      case D_CONSTRUCTOR:
        return this.add(ctx, node, 'constructor', 'constructor', undefined, this.memberExported(node, ctx), !(node as ts.ConstructorDeclaration).body);
      case D_GETTER:
      case D_SETTER: {
        const acc = node as ts.AccessorDeclaration;
        const getter = ts.isGetAccessorDeclaration(acc);
        const name = `${this.propertyName(acc.name)}:${getter ? 'get' : 'set'}`;
        return this.add(ctx, node, name, getter ? 'getter' : 'setter', acc.name, this.memberExported(node, ctx), !acc.body);
      }
      case D_PROPERTY_DECLARATION:
      case D_PROPERTY_ASSIGNMENT: {
        const prop = node as ts.PropertyDeclaration | ts.PropertyAssignment;
        const value = prop.initializer && this.definedValue(prop.initializer, ctx.scope === 'class');
        if (!value) return undefined;
        const kind = value.kind === 'class' ? 'class' : 'method';
        return this.claim(this.add(ctx, node, this.propertyName(prop.name), kind, prop.name, this.memberExported(node, ctx), false), value.node);
      }
      case D_VARIABLE: {
        const decl = node as ts.VariableDeclaration;
        if (decl.name.kind !== K_IDENTIFIER || !decl.initializer) return undefined;
        const value = this.definedValue(decl.initializer, ctx.scope === 'top');
        if (!value && (ctx.symbol !== -1 || ctx.scope !== 'top')) return undefined;
        const list = this.ancestor(1)!;
        const statement = this.ancestor(2)!;
        // A lone declaration's symbol is the whole statement, so `export const` is part of it.
        const range = ts.isVariableDeclarationList(list) && list.declarations.length === 1 && ts.isVariableStatement(statement) ? statement : node;
        const exported = this.isExported(decl.name.text, statement, ctx);
        if (!value) {
          if (!isConstantUnit(decl, list, exported)) return undefined;
          // Members of an object value keep the names they had before constants were units (`api.get`).
          const index = this.addUnit(ctx, range, decl.name.text, 'const', decl.name.getStart(this.sf), exported);
          return this.scopeFor(node, ctxOf(index, ctx.prefix, ctx.scope, ctx.exported, ctx.claimed, ctx.object));
        }
        return this.claim(this.add(ctx, range, decl.name.text, value.kind, decl.name, exported, false), value.node);
      }
      case D_ASSIGNMENT: {
        const bin = node as ts.BinaryExpression;
        if (bin.operatorToken.kind !== SK.EqualsToken) return undefined;
        const target = assignmentTarget(bin.left);
        const value = target && this.definedValue(bin.right, false);
        if (!target || !value) return undefined;
        const parent = this.ancestor(1)!;
        const range = ts.isExpressionStatement(parent) ? parent : node;
        const nameNode = ts.isPropertyAccessExpression(bin.left) ? bin.left.name : bin.left;
        return this.claim(this.add(ctx, range, target, value.kind, nameNode, isCommonJsExport(target), false), value.node);
      }
      case D_EXPORT_DEFAULT: {
        const value = this.definedValue((node as ts.ExportAssignment).expression, true);
        if (!value) return undefined;
        return this.claim(this.add(ctx, node, 'default', value.kind, undefined, true, false), value.node);
      }
      default:
        return undefined;
    }
  }

  /** A function, class, or (where `wrapped`) a call taking a function, e.g. `memo(() => ...)`. */
  private definedValue(expr: ts.Expression, wrapped: boolean): { kind: 'function' | 'class'; node: ts.Node } | undefined {
    const value = unwrap(expr);
    if (isFunctionLike(value.kind)) return { kind: 'function', node: value };
    if (value.kind === K_CLASS_EXPRESSION) return { kind: 'class', node: value };
    if (wrapped && ts.isCallExpression(value) && !isDataTransform(value) && value.arguments.some((a) => isFunctionLike(unwrap(a).kind))) {
      return { kind: 'function', node: value };
    }
    return undefined;
  }

  private claim(ctx: Ctx, node: ts.Node): Ctx {
    return ctxOf(ctx.symbol, ctx.prefix, ctx.scope, ctx.exported, node, ctx.object);
  }

  private add(ctx: Ctx, range: ts.Node, name: string, kind: SymbolKind, nameNode: ts.Node | undefined, exported: boolean, bodyless: boolean): Ctx {
    const qualified = ctx.prefix + name;
    const start = range.getStart(this.sf);
    const nameStart = nameNode ? nameNode.getStart(this.sf) : -1;
    const prev = this.drafts[this.drafts.length - 1];
    let index: number;
    if (prev && prev.bodyless && prev.parent === ctx.symbol && prev.name === qualified && prev.kind === kind) {
      // An overload signature followed by its next signature or implementation: one symbol.
      Object.assign(prev, { end: range.end, nameStart, bodyless, exported: prev.exported || exported });
      index = this.drafts.length - 1;
    } else {
      index = this.drafts.push({ name: qualified, kind, start, end: range.end, nameStart, parent: ctx.symbol, exported, complexity: 1, bodyless, unit: false }) - 1;
    }
    return ctxOf(index, `${qualified}.`, 'local', false, undefined, undefined);
  }

  /**
   * A top-level call that registers a callback or declares a test becomes a unit; inside a test
   * only nested tests and hooks do. Everything below keeps the context it had without the unit
   * (prefix, scope), so the names of symbols inside it don't change.
   */
  private visitUnit(node: ts.ExpressionStatement): boolean {
    const ctx = this.ctx;
    const outer = ctx.symbol === -1 ? undefined : this.drafts[ctx.symbol]!;
    if (outer && outer.kind !== 'test') return false;
    const unit = unitOfCall(node.expression, this.sf, this.text, outer !== undefined);
    if (!unit) return false;
    const name = outer ? `${outer.name} › ${unit.name}` : unit.name;
    const index = this.addUnit(ctx, node, name, unit.kind, unit.titleStart, false);
    this.ctx = ctxOf(index, ctx.prefix, ctx.scope, ctx.exported, ctx.claimed, ctx.object);
    this.visitChildren(node);
    this.ctx = ctx;
    return true;
  }

  private addUnit(ctx: Ctx, range: ts.Node, name: string, kind: SymbolKind, nameStart: number, exported: boolean): number {
    const start = range.getStart(this.sf);
    return this.drafts.push({ name, kind, start, end: range.end, nameStart, parent: ctx.symbol, exported, complexity: 1, bodyless: false, unit: true }) - 1;
  }

  /** The symbol whose name prefixes members of an anonymous object: units are skipped, they name nothing inside. */
  private namingSymbol(symbol: number): number {
    let s = symbol;
    while (s !== -1 && this.drafts[s]!.unit) s = this.drafts[s]!.parent;
    return s;
  }

  private isExported(name: string, declaration: ts.Node, ctx: Ctx): boolean {
    const marked = hasModifier(declaration, SK.ExportKeyword);
    if (ctx.scope === 'top') return marked || this.localExports.has(name);
    if (ctx.scope === 'namespace') return marked && ctx.exported;
    return false;
  }

  private collectLocalExports(): void {
    for (const s of this.sf.statements) {
      if (ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause)) {
        for (const el of s.exportClause.elements) this.localExports.add((el.propertyName ?? el.name).text);
      } else if (ts.isExportAssignment(s) && ts.isIdentifier(s.expression)) {
        this.localExports.add(s.expression.text);
      }
    }
  }

  private propertyName(name: ts.PropertyName): string {
    if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
    return this.text.slice(name.getStart(this.sf), name.end).replace(/\s+/g, '');
  }

  private collectHints(node: ts.Node, kind: ts.SyntaxKind, flags: number): void {
    const { spans, virtualEnds, dropEnds } = this.hints;
    if (flags & (F_TERMINATED | F_TYPE_MEMBER)) {
      const last = this.text.charCodeAt(node.end - 1);
      if (last === 59 /* ; */ || (last === 44 /* , */ && flags & F_TYPE_MEMBER)) dropEnds.push(node.end);
      virtualEnds.push(node.end);
    } else if (flags & F_DROP) {
      dropEnds.push(node.end);
    } else if (kind === K_JSX_TEXT) {
      const rendered = normalizeJsxText(this.text.slice(node.pos, node.end));
      spans.push({ start: node.pos, end: node.end, text: rendered === '' ? '' : JSON.stringify(rendered) });
    } else if (kind === K_STRING_LITERAL) {
      if (this.ancestor(1)?.kind !== K_JSX_ATTRIBUTE) return;
      spans.push({ start: node.getStart(this.sf), end: node.end, text: JSON.stringify((node as ts.StringLiteral).text) });
    } else {
      // Regular expressions and template continuations keep their exact source text.
      const start = node.getStart(this.sf);
      spans.push({ start, end: node.end, text: this.text.slice(start, node.end) });
    }
  }
}

