// Recursive-descent parser for Rego v1, following the structure and precedence of OPA's
// parser (ast/parser.go): `in` binds loosest, then comparisons, `|`, `&`, `+ -`, `* / %`.
// Every failure is a CompileError with one rego_parse_error diagnostic at the exact position.
// Choices the AST leaves open, made here:
// - rule kind: a head ref with any non-string element after the name (`p[k]`, `a.b[x].c`)
//   is "partial-object"; all-string refs (`a.b.c`) are "complete"; `p[x] if` without a value
//   is rejected (OPA v1: `contains` is required for partial sets);
// - bare `data` / `input` become RefTerms with an empty path (as OPA does);
// - `.5` is kept as the number text "0.5" so every raw number is valid JSON.
import { parse as parseYaml } from "yaml";
import { CompileError } from "../diagnostics";
import type {
  Body,
  BooleanTerm,
  CallTerm,
  EveryExpr,
  Expr,
  Import,
  Location,
  Module,
  RefTerm,
  Rule,
  RuleHead,
  StringTerm,
  Term,
  VarTerm,
  WithModifier,
} from "./ast";
import { type Comment, lex, parseError, type Token } from "./lexer";

/** Words that can never be variable or rule names in Rego v1. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  "as",
  "contains",
  "default",
  "else",
  "every",
  "false",
  "if",
  "import",
  "in",
  "not",
  "null",
  "package",
  "some",
  "true",
  "with",
]);

const RELATION_OPS: Record<string, string> = {
  "==": "equal",
  "!=": "neq",
  "<": "lt",
  "<=": "lte",
  ">": "gt",
  ">=": "gte",
};
const ARITH_OPS: Record<string, string> = { "+": "plus", "-": "minus" };
const FACTOR_OPS: Record<string, string> = { "*": "mul", "/": "div", "%": "rem" };
// Infix levels from loosest to tightest, as OPA's parser binds them (`in` is looser still).
const BINARY_LEVELS: Record<string, string>[] = [RELATION_OPS, { "|": "or" }, { "&": "and" }, ARITH_OPS, FACTOR_OPS];

// Nesting beyond this is rejected instead of risking a stack overflow.
const MAX_DEPTH = 200;

/** Parses one Rego v1 module; throws CompileError (rego_parse_error) on any syntax error. */
/** Parser options. */
export interface ParseOptions {
  /**
   * Rego v0 syntax (opa's --v0-compatible): rule bodies without `if`, `p[x] { ... }` partial
   * sets, `else = v { ... }`. A module that imports `rego.v1` is parsed as v1 anyway.
   */
  v0?: boolean;
}

/** Parses one module; throws CompileError on syntax errors. */
export function parseModule(text: string, file: string, options: ParseOptions = {}): Module {
  return guard(text, file, () => new Parser(text, file, options.v0 ?? false).module());
}

/** Parses a query such as `data.test.p = x; y := 1` into a body; throws CompileError on syntax errors. */
export function parseQuery(text: string, file: string): Body {
  return guard(text, file, () => new Parser(text, file).query());
}

// Converts the unexpected (a stack overflow on hostile input) into a parse error too.
function guard<T>(text: string, file: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof CompileError) throw e;
    if (e instanceof RangeError) {
      parseError("input nested too deeply", { file, line: 1, col: 1, offset: 0, length: Math.min(1, text.length) });
    }
    throw e;
  }
}

// YAML parsing dominates parse time for annotated policies that are compiled again and again
// (tests, watch mode); valid blocks are cached by their text and handed out as copies.
const yamlCache = new Map<string, Record<string, unknown>>();

interface MetadataBlock {
  start: Comment;
  endLine: number;
  yaml: string;
  claimed: boolean;
  parsed?: Record<string, unknown>;
}

class Parser {
  private readonly toks: Token[];
  private readonly comments: Comment[];
  private pos = 0;
  private depth = 0;
  private wildcards = 0;
  private readonly failedTerms = new Map<number, CompileError>();
  /** Rules a v0 multi-body statement adds after the one `rule()` returned. */
  private readonly pendingRules: Rule[] = [];
  /** Set by `import rego.v2`, whose `not { ... }` form is recognised only to be rejected. */
  private regoV2 = false;

  constructor(
    private readonly text: string,
    private readonly file: string,
    /** Rego v0 syntax (cleared by `import rego.v1`). */
    private v0 = false,
  ) {
    const lexed = lex(text, file);
    this.toks = lexed.tokens;
    this.comments = lexed.comments;
  }

  // ---------- token helpers ----------

  private get tok(): Token {
    return this.toks[this.pos];
  }

  private peek(k = 1): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)];
  }

  private advance(): Token {
    const t = this.toks[this.pos];
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }

  private atEnd(): boolean {
    return this.tok.kind === "eof";
  }

  private isOp(text: string, t: Token = this.tok): boolean {
    return t.kind === "op" && t.text === text;
  }

  private isWord(text: string, t: Token = this.tok): boolean {
    return t.kind === "ident" && t.text === text;
  }

  /** An operator that continues a ref or call: no whitespace allowed before it. */
  private isTight(text: string): boolean {
    return this.isOp(text) && !this.tok.ws;
  }

  private expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail(`expected ${text} but found ${describe(this.tok)}`);
    return this.advance();
  }

  private fail(message: string, t: Token = this.tok): never {
    parseError(message, this.tokLoc(t));
  }

  private tokLoc(t: Token): Location {
    return { file: this.file, line: t.line, col: t.col, offset: t.offset, length: t.end - t.offset };
  }

  /** Location from `start` to the end of the last consumed token. */
  private span(start: Location | Token): Location {
    const end = this.pos > 0 ? this.toks[this.pos - 1].end : 0;
    return {
      file: this.file,
      line: start.line,
      col: start.col,
      offset: start.offset,
      length: Math.max(0, end - start.offset),
    };
  }

  private nest<T>(run: () => T): T {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      this.fail("input nested too deeply");
    }
    try {
      return run();
    } finally {
      this.depth--;
    }
  }

  /** Runs `run`; on a parse error restores the position and returns the error. */
  private attempt<T>(run: () => T): { ok: true; value: T } | { ok: false; error: CompileError } {
    const saved = this.pos;
    const savedWild = this.wildcards;
    try {
      return { ok: true, value: run() };
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      this.pos = saved;
      this.wildcards = savedWild;
      return { ok: false, error: e };
    }
  }

  // ---------- module ----------

  module(): Module {
    const blocks = this.metadataBlocks();
    let moduleAnnotations: Record<string, unknown> | undefined;
    // A block belongs to the statement after it; blocks inside a statement (e.g. a comment
    // in a rule body) annotate nothing.
    const claim = (before: number): MetadataBlock[] => {
      const prevEnd = this.pos > 0 ? this.toks[this.pos - 1].end : 0;
      const found = blocks.filter((b) => !b.claimed && b.start.offset < before);
      for (const b of found) b.claimed = true;
      return found.filter((b) => b.start.offset >= prevEnd);
    };
    const addModuleAnnotations = (b: MetadataBlock) => {
      moduleAnnotations = { ...(moduleAnnotations ?? {}), ...this.annotation(b) };
    };

    const first = this.tok;
    if (!this.isWord("package")) this.fail(`expected package but found ${describe(this.tok)}`);
    for (const b of claim(first.offset)) addModuleAnnotations(b);
    this.advance();
    const pkgStart = this.tok;
    const pkg = this.packagePath();
    const packageLoc = this.span(pkgStart);

    const imports: Import[] = [];
    const rules: Rule[] = [];
    while (this.tok.kind !== "eof") {
      const stmt = this.tok;
      const claimed = claim(stmt.offset);
      if (this.isWord("import")) {
        for (const b of claimed) {
          if (!isPackageScope(this.annotation(b))) {
            parseError("METADATA block must be followed by a rule or the package", this.commentLoc(b.start));
          }
          addModuleAnnotations(b);
        }
        imports.push(this.importStmt());
        continue;
      }
      if (this.isWord("package")) this.fail("unexpected second package declaration");
      const rule = this.rule();
      for (const b of claimed) {
        const ann = this.annotation(b);
        if (isPackageScope(ann)) addModuleAnnotations(b);
        else rule.annotations = ann;
      }
      rules.push(rule, ...this.pendingRules.splice(0));
    }
    for (const b of claim(Infinity)) {
      if (!isPackageScope(this.annotation(b))) {
        parseError("METADATA block must be followed by a rule or the package", this.commentLoc(b.start));
      }
      addModuleAnnotations(b);
    }

    const mod: Module = {
      type: "module",
      loc: {
        file: this.file,
        line: first.line,
        col: first.col,
        offset: first.offset,
        length: this.text.length - first.offset,
      },
      package: pkg,
      packageLoc,
      imports,
      rules,
      source: this.text,
    };
    if (moduleAnnotations) mod.annotations = moduleAnnotations;
    if (this.v0) mod.v0 = true;
    return mod;
  }

  query(): Body {
    if (this.atEnd()) this.fail("empty query");
    const body: Body = [];
    while (!this.atEnd()) {
      body.push(this.literal());
      while (this.isOp(";")) this.advance();
    }
    return body;
  }

  private packagePath(): string[] {
    const path: string[] = [];
    const name = this.tok;
    if (name.kind !== "ident" || KEYWORDS.has(name.text))
      this.fail(`expected package name but found ${describe(name)}`);
    this.advance();
    path.push(name.text);
    for (;;) {
      if (this.isTight(".")) {
        this.advance();
        const seg = this.tok;
        if (seg.kind !== "ident" || seg.ws) this.fail(`expected identifier after . but found ${describe(seg)}`);
        this.advance();
        path.push(seg.text);
      } else if (this.isTight("[")) {
        this.advance();
        const seg = this.tok;
        if (seg.kind !== "string") this.fail("package path segments in brackets must be strings");
        this.advance();
        this.expectOp("]");
        path.push(seg.text);
      } else break;
    }
    return path;
  }

  private importStmt(): Import {
    const start = this.advance();
    const pathStart = this.tok;
    const term = this.term();
    let path: RefTerm;
    if (term.type === "ref") path = term;
    else if (term.type === "var") path = { type: "ref", head: term, path: [], loc: term.loc };
    else parseError("import path must be a reference", term.loc);
    const root = path.head.type === "var" ? path.head.name : "";
    if (!["data", "input", "future", "rego"].includes(root)) {
      parseError(
        `invalid import path ${JSON.stringify(this.text.slice(pathStart.offset, this.toks[this.pos - 1].end))}: must begin with data, input, future or rego`,
        path.loc,
      );
    }
    for (const seg of path.path) {
      if (seg.type !== "string") parseError("import path segments must be strings", seg.loc);
    }
    let alias: string | undefined;
    if (this.isWord("as")) {
      this.advance();
      const a = this.tok;
      if (a.kind !== "ident" || KEYWORDS.has(a.text) || a.text === "_")
        this.fail(`expected alias name but found ${describe(a)}`);
      this.advance();
      alias = a.text;
    }
    const imp: Import = { path, loc: this.span(start) };
    if (root === "rego" && path.path.length === 1 && path.path[0].type === "string" && path.path[0].value === "v2")
      this.regoV2 = true;
    if (root === "rego" && path.path.length === 1 && path.path[0].type === "string" && path.path[0].value === "v1")
      this.v0 = false;
    if (alias !== undefined) imp.alias = alias;
    return imp;
  }

  // ---------- rules ----------

  private rule(): Rule {
    const start = this.tok;
    const isDefault = this.isWord("default");
    if (isDefault) this.advance();

    const headStart = this.tok;
    if (headStart.kind !== "ident" || KEYWORDS.has(headStart.text))
      this.fail(`unexpected ${describe(headStart)}, expected a rule`);
    if (headStart.text === "_") this.fail("rule name cannot be _");
    this.advance();
    const ref: Term[] = [str(headStart.text, this.tokLoc(headStart))];
    for (;;) {
      if (this.isTight(".")) {
        this.advance();
        const seg = this.tok;
        if (seg.kind !== "ident" || seg.ws) this.fail(`expected identifier after . but found ${describe(seg)}`);
        this.advance();
        ref.push(str(seg.text, this.tokLoc(seg)));
      } else if (this.isTight("[")) {
        this.advance();
        ref.push(this.infix(true));
        this.expectOp("]");
      } else break;
    }

    let args: Term[] | undefined;
    if (this.isTight("(")) {
      const bad = ref.find((t) => t.type !== "string");
      if (bad) parseError("function names cannot contain variables", bad.loc);
      this.advance();
      args = this.termList(")");
    }
    let key: Term | undefined;
    // Rego v0: `p[x] { ... }` (no value) is the partial set p containing x.
    if (this.v0 && !args && ref.length === 2 && !this.isWord("contains") && !this.isOp(":=") && !this.isOp("=")) {
      key = ref.pop();
    }
    if (this.isWord("contains")) {
      if (args) this.fail("functions cannot use contains");
      this.advance();
      key = this.infix(false);
    }
    let value: Term | undefined;
    let assign = false;
    if (this.isOp(":=") || this.isOp("=")) {
      if (key) this.fail("partial set rules (contains) cannot have a value");
      assign = this.advance().text === ":=";
      value = this.infix(false);
    }
    const headLoc = this.span(headStart);

    const kind: Rule["kind"] = args
      ? "function"
      : key
        ? "partial-set"
        : ref.slice(1).some((t) => t.type !== "string")
          ? "partial-object"
          : "complete";

    if (isDefault) {
      if (!value) this.fail("default rules must have a value (default p := v)", headStart);
      if (kind === "partial-set" || kind === "partial-object")
        parseError("default rules cannot be partial (no variables in the head)", headLoc);
    }

    // As in OPA v1, `p[x] { ... }` and a bare `p[x]` are v0 partial sets (an error: `contains`
    // is required), while `p[x] if ...` is the single-value rule `p[x] := true`.
    const last = ref[ref.length - 1];
    const needsContains = !args && !key && !value && ref.length > 1 && !isScalar(last) && !this.isWord("if");
    const hadBody = this.isWord("if") || this.isOp("{");
    let body: Body = [];
    if (this.v0 && this.isOp("{")) body = this.braceBody();
    else if (this.isOp("{")) {
      this.fail(
        needsContains
          ? "`if` keyword is required before rule body, and `contains` for partial set rules (write `p contains x if { ... }`)"
          : "`if` keyword is required before rule body",
      );
    }
    if (needsContains) {
      parseError(
        "`contains` keyword is required for partial set rules (write `p contains x if ...`, or `p[x] := true if ...` for an object)",
        headLoc,
      );
    }
    if (this.isWord("if")) {
      if (isDefault) this.fail("default rules cannot have a body");
      body = this.ruleBody();
    }
    // `f(x)` alone is `f(x) := true` (OPA generates the value for functions); `p` alone is an error.
    if (!hadBody && !value && !key && !args) {
      parseError("rule must have a value (:= v), `contains`, or an `if` body", headLoc);
    }
    // Rego v0: `p { a } { b }` is two rules with one head.
    const moreBodies: Body[] = [];
    while (this.v0 && hadBody && this.isOp("{")) moreBodies.push(this.braceBody());
    if (hadBody && this.isOp("{")) this.fail("multiple rule bodies are not supported in Rego v1; write separate rules");

    const head: RuleHead = {
      loc: headLoc,
      ref,
      assign,
    };
    if (args) head.args = args;
    if (key) head.key = key;
    if (value) head.value = value;
    else if (!key) head.value = trueTerm(headLoc);

    const rule: Rule = { type: "rule", kind, default: isDefault, head, body, loc: headLoc };

    if (this.isWord("else")) {
      if (isDefault) this.fail("default rules cannot have else");
      if (kind !== "complete" && kind !== "function") this.fail("else is only allowed on complete rules and functions");
      rule.else = [];
      while (this.isWord("else")) rule.else.push(this.elseClause(ref, args));
    }
    rule.loc = this.span(start);
    for (const b of moreBodies) this.pendingRules.push({ ...rule, head: { ...head }, body: b, else: undefined });
    return rule;
  }

  private elseClause(ref: Term[], args: Term[] | undefined): Rule {
    const start = this.advance();
    let value: Term | undefined;
    let assign = false;
    if (this.isOp(":=") || this.isOp("=")) {
      assign = this.advance().text === ":=";
      value = this.infix(false);
    }
    const headLoc = this.span(start);
    let body: Body = [];
    if (this.isWord("if")) body = this.ruleBody();
    else if (this.v0 && this.isOp("{")) body = this.braceBody();
    else if (this.isOp("{")) this.fail("`if` keyword is required before else body");
    const head: RuleHead = { loc: headLoc, ref, assign, value: value ?? trueTerm(headLoc) };
    if (args) head.args = args;
    return {
      type: "rule",
      kind: args ? "function" : "complete",
      default: false,
      head,
      body,
      loc: this.span(start),
    };
  }

  /** A `{ ... }` rule body (Rego v0's form, without `if`). */
  private braceBody(): Body {
    this.advance();
    const body = this.body("}");
    this.expectOp("}");
    return body;
  }

  /** After `if`: a `{ ... }` block or a single literal. */
  private ruleBody(): Body {
    this.advance(); // if
    if (this.isOp("{")) {
      this.advance();
      const body = this.body("}");
      this.expectOp("}");
      return body;
    }
    if (this.tok.kind === "eof") this.fail("expected rule body after if");
    return [this.literal()];
  }

  // ---------- bodies and literals ----------

  /** Literals separated by `;` or newlines up to (not including) the closing token. */
  private body(end: string): Body {
    if (this.isOp(end)) this.fail("found empty body");
    const body: Body = [];
    for (;;) {
      body.push(this.literal());
      while (this.isOp(";")) this.advance();
      if (this.isOp(end)) return body;
      if (this.tok.kind === "eof") this.fail(`expected ${end} but found end of file`);
    }
  }

  private literal(): Expr {
    return this.nest(() => {
      const start = this.tok;
      if (this.isWord("not")) {
        this.advance();
        if (this.isWord("some")) this.fail("illegal negation of 'some'");
        if (this.isWord("every")) this.fail("illegal negation of 'every'");
        if (this.regoV2 && this.isOp("{")) {
          const open = this.advance();
          const body = this.body("}");
          this.expectOp("}");
          const truth: Expr = { type: "term", term: trueTerm(this.tokLoc(open)), loc: this.tokLoc(open) };
          const not: Expr = { type: "not", expr: truth, body, loc: this.span(start) };
          return this.withModifiers(not, start);
        }
        const inner = this.expr();
        const not: Expr = { type: "not", expr: inner, loc: this.span(start) };
        return this.withModifiers(not, start);
      }
      if (this.isWord("some")) return this.withModifiers(this.some(), start);
      if (this.isWord("every")) return this.withModifiers(this.every(), start);
      return this.withModifiers(this.expr(), start);
    });
  }

  private withModifiers(expr: Expr, start: Token): Expr {
    if (!this.isWord("with")) return expr;
    const mods: WithModifier[] = [];
    while (this.isWord("with")) {
      const w = this.advance();
      const target = this.term();
      if (!this.isWord("as")) this.fail(`expected as but found ${describe(this.tok)}`);
      this.advance();
      const value = this.infix(false);
      mods.push({ target, value, loc: this.span(w) });
    }
    expr.with = mods;
    expr.loc = this.span(start);
    return expr;
  }

  private expr(): Expr {
    const start = this.tok;
    const left = this.infix(true);
    if (this.isOp(":=") || this.isOp("=")) {
      const op = this.advance().text;
      const right = this.infix(true);
      return { type: op === ":=" ? "assign" : "unify", left, right, loc: this.span(start) };
    }
    return { type: "term", term: left, loc: this.span(start) };
  }

  private some(): Expr {
    const start = this.advance();
    const saved = this.pos;
    const savedWild = this.wildcards;
    const asIn = this.attempt(() => this.infix(true));
    if (asIn.ok) {
      const t = asIn.value;
      const member = memberCall(t);
      if (member) {
        if (member.length === 2)
          return { type: "some-in", value: member[0], collection: member[1], loc: this.span(start) };
        return { type: "some-in", key: member[0], value: member[1], collection: member[2], loc: this.span(start) };
      }
      if (t.type !== "var") parseError("expected `x in xs`, `k, v in xs` or variables after some", t.loc);
      this.pos = saved;
      this.wildcards = savedWild;
    }
    const vars: VarTerm[] = [];
    for (;;) {
      const v = this.tok;
      if (v.kind !== "ident" || KEYWORDS.has(v.text)) {
        if (!asIn.ok) throw asIn.error;
        this.fail(`expected variable but found ${describe(v)}`);
      }
      this.advance();
      vars.push(this.makeVar(v));
      if (!this.isOp(",")) break;
      this.advance();
    }
    return { type: "some-decl", vars, loc: this.span(start) };
  }

  private every(): EveryExpr {
    const start = this.advance();
    const t = this.infix(true);
    const member = memberCall(t);
    if (!member) parseError("expected `x in xs { ... }` or `k, v in xs { ... }` after every", t.loc);
    const [key, value, domain] = member.length === 2 ? [undefined, member[0], member[1]] : member;
    if (key && key.type !== "var") parseError("expected key to be a variable", key.loc);
    if (value.type !== "var") parseError("expected value to be a variable", value.loc);
    if (!this.isOp("{")) this.fail("missing body for every");
    this.advance();
    const body = this.body("}");
    this.expectOp("}");
    const ev: EveryExpr = { type: "every", value, domain, body, loc: this.span(start) };
    if (key) ev.key = key as VarTerm;
    return ev;
  }

  // ---------- terms with operators ----------

  /**
   * Membership level (lowest precedence). With `keyVal`, `k, v in xs` is accepted (only
   * where a comma cannot mean anything else: literals, brackets, parentheses).
   * `first` is an already-parsed primary term to continue from (avoids re-parsing).
   */
  private infix(keyVal: boolean, first?: Term): Term {
    let lhs = this.relation(first);
    for (;;) {
      if (keyVal && this.isOp(",")) {
        const kv = this.attempt(() => {
          this.advance();
          const mhs = this.relation();
          if (!this.isWord("in")) this.fail("expected in");
          const op = this.advance();
          const rhs = this.relation();
          return this.call(["internal", "member_3"], op, [lhs, mhs, rhs], lhs.loc);
        });
        if (kv.ok) {
          lhs = kv.value;
          continue;
        }
      }
      if (this.isWord("in")) {
        const op = this.advance();
        const rhs = this.relation();
        lhs = this.call(["internal", "member_2"], op, [lhs, rhs], lhs.loc);
        continue;
      }
      return lhs;
    }
  }

  /** Comparisons and everything that binds tighter (`in` is handled by the caller). */
  private relation(first?: Term): Term {
    return this.binary(0, first);
  }

  /** Left-associative infix operators of BINARY_LEVELS[level] over operands of the next level. */
  private binary(level: number, first?: Term): Term {
    if (level === BINARY_LEVELS.length) return first ?? this.term();
    const ops = BINARY_LEVELS[level]!;
    let lhs = this.binary(level + 1, first);
    while (this.tok.kind === "op" && ops[this.tok.text]) {
      const op = this.advance();
      lhs = this.call([ops[op.text]!], op, [lhs, this.binary(level + 1)], lhs.loc);
    }
    return lhs;
  }

  private call(name: string[], opTok: Token, args: Term[], start: Location): CallTerm {
    const opLoc = this.tokLoc(opTok);
    const operator: RefTerm = {
      type: "ref",
      head: { type: "var", name: name[0], loc: opLoc },
      path: name.slice(1).map((n) => str(n, opLoc)),
      loc: opLoc,
    };
    return { type: "call", operator, args, loc: this.span(start) };
  }

  // ---------- primary terms ----------

  /** A single term (scalar, var, composite, comprehension, parenthesised expression) with any ref/call suffix. */
  private term(): Term {
    // Parsing a term at a given token never depends on context, so a failure can be
    // remembered; without this, comprehension backtracking is exponential on bad input.
    const at = this.pos;
    const known = this.failedTerms.get(at);
    if (known) throw known;
    try {
      return this.nest(() => this.finish(this.primary()));
    } catch (e) {
      if (e instanceof CompileError) this.failedTerms.set(at, e);
      throw e;
    }
  }

  private primary(): Term {
    const t = this.tok;
    const loc = this.tokLoc(t);
    switch (t.kind) {
      case "number":
        this.advance();
        return this.number(t.text, loc, t);
      case "string":
        this.advance();
        return str(t.text, loc);
      case "ident":
        switch (t.text) {
          case "null":
            this.advance();
            return { type: "null", loc };
          case "true":
          case "false":
            this.advance();
            return { type: "boolean", value: t.text === "true", loc };
          case "set":
            if (this.isOp("(", this.peek()) && !this.peek().ws && this.isOp(")", this.peek(2))) {
              this.advance();
              this.advance();
              this.advance();
              return { type: "set", items: [], loc: this.span(t) };
            }
            break;
        }
        // `contains(s, sub)` is a builtin despite the keyword, as in OPA.
        if (KEYWORDS.has(t.text) && !(t.text === "contains" && this.isOp("(", this.peek()) && !this.peek().ws)) {
          this.fail(`unexpected ${t.text} keyword`);
        }
        this.advance();
        return this.makeVar(t);
      case "op":
        switch (t.text) {
          case "[":
            return this.array();
          case "{":
            return this.setOrObject();
          case "(": {
            this.advance();
            const inner = this.infix(true);
            this.expectOp(")");
            return inner;
          }
          case "-": {
            this.advance();
            const n = this.tok;
            if (n.kind === "number") {
              this.advance();
              return this.number("-" + n.text, this.span(t), n);
            }
            if (this.isOp(".") && this.peek().kind === "number" && !this.peek().ws) {
              this.advance();
              const m = this.advance();
              return this.number("-0." + m.text, this.span(t), m);
            }
            if (n.kind === "eof") this.fail("expected term after -");
            const operand = this.term();
            const zero: Term = { type: "number", raw: "0", loc };
            return this.call(["minus"], t, [zero, operand], loc);
          }
          case ".":
            if (this.peek().kind === "number" && !this.peek().ws && /^\d+$/.test(this.peek().text)) {
              this.advance();
              const m = this.advance();
              return this.number("0." + m.text, this.span(t), m);
            }
            break;
        }
        break;
      case "eof":
        this.fail("unexpected end of file");
    }
    this.fail(`unexpected ${describe(t)}`);
  }

  private number(raw: string, loc: Location, t: Token): Term {
    if (/^-?0\d/.test(raw)) this.fail("invalid number: leading zeros", t);
    const exp = /e([+-]?\d+)$/i.exec(raw);
    if (exp && Math.abs(Number(exp[1])) > 30000) this.fail("number too big", t);
    return { type: "number", raw, loc };
  }

  private makeVar(t: Token): VarTerm {
    const loc = this.tokLoc(t);
    if (t.text === "_") return { type: "var", name: `$wildcard${this.wildcards++}`, wildcard: true, loc };
    return { type: "var", name: t.text, loc };
  }

  /** Attaches `.x`, `[t]` and `(args)` suffixes written without whitespace. */
  private finish(head: Term): Term {
    let cur: Term = head;
    let path: Term[] = [];
    const start = head.loc;
    const asRef = (): Term => (path.length ? { type: "ref", head: cur, path, loc: this.span(start) } : cur);
    for (;;) {
      if (this.isTight(".") || this.isTight("[") || this.isTight("(")) {
        if (cur.type === "null" || cur.type === "boolean" || cur.type === "number" || cur.type === "string") {
          this.fail(`illegal ref (head cannot be ${cur.type})`);
        }
      }
      if (this.isTight(".")) {
        this.advance();
        const seg = this.tok;
        if (seg.kind !== "ident" || seg.ws) this.fail(`expected identifier after . but found ${describe(seg)}`);
        this.advance();
        path.push(str(seg.text, this.tokLoc(seg)));
      } else if (this.isTight("[")) {
        this.advance();
        path.push(this.infix(true));
        this.expectOp("]");
      } else if (this.isTight("(")) {
        if (cur.type !== "var" || path.some((p) => p.type !== "string")) {
          this.fail("illegal call: the function must be a name such as f, object.get or data.lib.f");
        }
        const operator: RefTerm = { type: "ref", head: cur, path, loc: this.span(start) };
        this.advance();
        const args = this.termList(")");
        cur = { type: "call", operator, args, loc: this.span(start) };
        path = [];
      } else break;
    }
    if (!path.length && cur.type === "var" && (cur.name === "data" || cur.name === "input")) {
      return { type: "ref", head: cur, path: [], loc: cur.loc };
    }
    return asRef();
  }

  /** Comma-separated terms up to and including `end` (trailing comma allowed). */
  private termList(end: string, first?: Term): Term[] {
    const items: Term[] = [];
    if (first) {
      items.push(first);
      if (!this.isOp(",")) {
        this.expectOp(end);
        return items;
      }
      this.advance();
    }
    for (;;) {
      if (this.isOp(end)) {
        this.advance();
        return items;
      }
      items.push(this.infix(false));
      if (this.isOp(",")) {
        this.advance();
        continue;
      }
      if (!this.isOp(end)) this.fail(`expected , or ${end} but found ${describe(this.tok)}`);
    }
  }

  /** A `,` right after `[` or `{` (allowed by OPA) rules out a comprehension. */
  private skipLeadingComma(): boolean {
    if (!this.isOp(",")) return false;
    this.advance();
    return true;
  }

  /** At `|`: the body of a comprehension up to `end`, undone when it does not parse (it may be a set union). */
  private comprehensionBody(end: string) {
    return this.attempt(() => {
      this.advance();
      const body = this.body(end);
      this.expectOp(end);
      return body;
    });
  }

  private array(): Term {
    const start = this.advance();
    if (this.isOp("]")) {
      this.advance();
      return { type: "array", items: [], loc: this.span(start) };
    }
    const leadingComma = this.skipLeadingComma();
    // Comprehensions win over `|` (set union) when the head is a single term, as in OPA.
    const head = this.term();
    let compError: CompileError | undefined;
    if (this.isOp("|") && !leadingComma) {
      const comp = this.comprehensionBody("]");
      if (comp.ok) return { type: "arraycomp", term: head, body: comp.value, loc: this.span(start) };
      compError = comp.error;
    }
    const list = this.attempt(() => this.termList("]", this.infix(false, head)));
    if (list.ok) return { type: "array", items: list.value, loc: this.span(start) };
    throw furthest(compError, list.error);
  }

  private setOrObject(): Term {
    const start = this.advance();
    if (this.isOp("}")) {
      this.advance();
      return { type: "object", entries: [], loc: this.span(start) };
    }
    const leadingComma = this.skipLeadingComma();
    const head = this.term();
    let compError: CompileError | undefined;
    if (this.isOp("|") && !leadingComma) {
      const comp = this.comprehensionBody("}");
      if (comp.ok) return { type: "setcomp", term: head, body: comp.value, loc: this.span(start) };
      compError = comp.error;
    }
    if (this.isOp(":")) {
      this.advance();
      const value = this.term();
      if (this.isOp("|") && !leadingComma) {
        const comp = this.comprehensionBody("}");
        if (comp.ok) return { type: "objectcomp", key: head, value, body: comp.value, loc: this.span(start) };
        compError = comp.error;
      }
      const rest = this.attempt(() => this.objectRest(head, this.infix(false, value)));
      if (rest.ok) return { type: "object", entries: rest.value, loc: this.span(start) };
      throw furthest(compError, rest.error);
    }
    const rest = this.attempt(() => {
      const first = this.infix(false, head);
      if (this.isOp(":")) {
        this.advance();
        return { object: this.objectRest(first, this.infix(false)) };
      }
      return { set: this.termList("}", first) };
    });
    if (!rest.ok) throw furthest(compError, rest.error);
    if ("object" in rest.value) return { type: "object", entries: rest.value.object!, loc: this.span(start) };
    return { type: "set", items: rest.value.set, loc: this.span(start) };
  }

  private objectRest(key: Term, value: Term): Array<[Term, Term]> {
    const entries: Array<[Term, Term]> = [[key, value]];
    for (;;) {
      if (this.isOp("}")) {
        this.advance();
        return entries;
      }
      this.expectOp(",");
      if (this.isOp("}")) continue;
      const k = this.infix(false);
      this.expectOp(":");
      entries.push([k, this.infix(false)]);
    }
  }

  // ---------- METADATA ----------

  private metadataBlocks(): MetadataBlock[] {
    const blocks: MetadataBlock[] = [];
    const cs = this.comments;
    for (let i = 0; i < cs.length; i++) {
      if (cs[i].text.trim() !== "METADATA" || !this.ownLine(cs[i])) continue;
      const lines: string[] = [];
      let line = cs[i].line;
      let j = i + 1;
      // A trailing comment on a line of code ends the block (it belongs to that code).
      while (j < cs.length && cs[j].line === line + 1 && cs[j].text.trim() !== "METADATA" && this.ownLine(cs[j])) {
        lines.push(cs[j].text);
        line = cs[j].line;
        j++;
      }
      const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
      const yaml = lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join("\n");
      blocks.push({ start: cs[i], endLine: line, yaml, claimed: false });
      i = j - 1;
    }
    return blocks;
  }

  /** True when nothing but whitespace precedes the comment on its line. */
  private ownLine(c: Comment): boolean {
    const start = this.text.lastIndexOf("\n", c.offset - 1) + 1;
    return this.text.slice(start, c.offset).trim() === "";
  }

  private commentLoc(c: Comment): Location {
    return { file: this.file, line: c.line, col: c.col, offset: c.offset, length: c.text.length + 1 };
  }

  private annotation(b: MetadataBlock): Record<string, unknown> {
    b.parsed ??= this.parseAnnotation(b);
    return b.parsed;
  }

  private parseAnnotation(b: MetadataBlock): Record<string, unknown> {
    const hit = yamlCache.get(b.yaml);
    if (hit) return structuredClone(hit);
    const doc = this.parseAnnotationYaml(b);
    if (yamlCache.size >= 500) yamlCache.clear();
    yamlCache.set(b.yaml, doc);
    return structuredClone(doc);
  }

  private parseAnnotationYaml(b: MetadataBlock): Record<string, unknown> {
    let doc: unknown;
    try {
      doc = parseYaml(b.yaml);
    } catch (e) {
      const linePos = (e as { linePos?: Array<{ line: number }> }).linePos;
      const rel = linePos?.[0]?.line ?? 0;
      const at = this.comments.find((c) => c.line === b.start.line + rel) ?? b.start;
      parseError(`invalid METADATA YAML: ${(e as Error).message.split("\n")[0]}`, this.commentLoc(at));
    }
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== "object" || Array.isArray(doc))
      parseError("METADATA block must be a YAML mapping", this.commentLoc(b.start));
    return doc as Record<string, unknown>;
  }
}

function isScalar(t: Term): boolean {
  return t.type === "string" || t.type === "number" || t.type === "boolean" || t.type === "null";
}

function isPackageScope(ann: Record<string, unknown>): boolean {
  return ann.scope === "package" || ann.scope === "subpackages";
}

function str(value: string, loc: Location): StringTerm {
  return { type: "string", value, loc };
}

function trueTerm(loc: Location): BooleanTerm {
  return { type: "boolean", value: true, loc };
}

/** For `x in xs` / `k, v in xs` calls, the operands; otherwise undefined. */
function memberCall(t: Term): Term[] | undefined {
  if (t.type !== "call") return undefined;
  const op = t.operator;
  if (op.head.type !== "var" || op.head.name !== "internal" || op.path.length !== 1 || op.path[0].type !== "string")
    return undefined;
  const name = op.path[0].value;
  return name === "member_2" || name === "member_3" ? t.args : undefined;
}

function describe(t: Token): string {
  switch (t.kind) {
    case "eof":
      return "end of file";
    case "string":
      return "string";
    case "number":
      return `number ${t.text}`;
    case "ident":
      return KEYWORDS.has(t.text) ? `${t.text} keyword` : `identifier ${t.text}`;
    default:
      return `${t.text} token`;
  }
}

function furthest(a: CompileError | undefined, b: CompileError): CompileError {
  if (!a) return b;
  return a.diagnostics[0].loc.offset >= b.diagnostics[0].loc.offset ? a : b;
}
