// Rego lexer: turns source text into a token array (the parser backtracks over it by index).
// Whitespace and comments are dropped, but each token records whether any preceded it,
// because Rego refs and calls must not have whitespace before `.`, `[` or `(`.
import { CompileError, DiagnosticCode } from "../diagnostics";
import type { Location } from "./ast";

/** Token kinds; keywords are `ident` tokens (the parser checks the text). */
export type TokenKind = "ident" | "string" | "number" | "op" | "eof";

/** One lexical token with its position. */
export interface Token {
  kind: TokenKind;
  /** Identifier/operator/number text, or the decoded value of a string. */
  text: string;
  /** True for backtick strings. */
  raw?: boolean;
  offset: number;
  end: number;
  line: number;
  col: number;
  /** Whitespace or a comment separates this token from the previous one. */
  ws: boolean;
}

/** A `#` comment with its position (text excludes the `#`). */
export interface Comment {
  text: string;
  line: number;
  col: number;
  offset: number;
}

/** Lexer output. */
export interface LexResult {
  tokens: Token[];
  comments: Comment[];
}

/** The operator starting at `i` (longest match), if any. */
function operatorAt(text: string, i: number): string | undefined {
  const c = text[i];
  const eq = text[i + 1] === "=";
  switch (c) {
    case ":":
      return eq ? ":=" : ":";
    case "=":
      return eq ? "==" : "=";
    case "!":
      return eq ? "!=" : undefined;
    case "<":
      return eq ? "<=" : "<";
    case ">":
      return eq ? ">=" : ">";
    case "{":
    case "}":
    case "[":
    case "]":
    case "(":
    case ")":
    case ",":
    case ";":
    case ".":
    case "+":
    case "-":
    case "*":
    case "/":
    case "%":
    case "&":
    case "|":
      return c;
    default:
      return undefined;
  }
}

const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);
const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/** Throws a rego_parse_error CompileError at the given location. */
export function parseError(message: string, loc: Location): never {
  throw new CompileError([{ code: DiagnosticCode.ParseError, message, loc }]);
}

/** Tokenises Rego source; throws CompileError (rego_parse_error) on bad characters or literals. */
export function lex(text: string, file: string): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let ws = false;
  let start = 0;
  let startLine = 1;
  let startCol = 1;
  const push = (kind: TokenKind, value: string, raw?: boolean) => {
    tokens.push({ kind, text: value, raw, offset: start, end: i, line: startLine, col: startCol, ws });
    ws = false;
  };

  const locAt = (offset: number, length: number, l = line, ls = lineStart): Location => ({
    file,
    line: l,
    col: offset - ls + 1,
    offset,
    length,
  });

  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      i++;
      line++;
      lineStart = i;
      ws = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      i++;
      ws = true;
      continue;
    }
    if (c === 35 /* # */) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 10) j++;
      comments.push({ text: text.slice(i + 1, j).replace(/\r$/, ""), line, col: i - lineStart + 1, offset: i });
      i = j;
      ws = true;
      continue;
    }
    start = i;
    startLine = line;
    startCol = i - lineStart + 1;
    if (isIdentStart(c)) {
      while (i < text.length && isIdentPart(text.charCodeAt(i))) i++;
      push("ident", text.slice(start, i));
      continue;
    }
    if (isDigit(c)) {
      while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      if (text[i] === "." && isDigit(text.charCodeAt(i + 1))) {
        i++;
        while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      }
      if (text[i] === "e" || text[i] === "E") {
        let j = i + 1;
        if (text[j] === "+" || text[j] === "-") j++;
        if (!isDigit(text.charCodeAt(j))) parseError("invalid number exponent", locAt(start, j - start));
        i = j;
        while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      }
      if (i < text.length && isIdentStart(text.charCodeAt(i))) {
        parseError(`invalid number ${JSON.stringify(text.slice(start, i + 1))}`, locAt(start, i + 1 - start));
      }
      push("number", text.slice(start, i));
      continue;
    }
    if (c === 34 /* " */) {
      i++;
      let out = "";
      for (;;) {
        if (i >= text.length || text.charCodeAt(i) === 10) {
          parseError("non-terminated string", locAt(start, i - start));
        }
        const ch = text.charCodeAt(i);
        if (ch === 34) {
          i++;
          break;
        }
        if (ch < 0x20) parseError("illegal control character in string", locAt(i, 1));
        if (ch !== 92 /* \ */) {
          out += text[i];
          i++;
          continue;
        }
        const e = text[i + 1];
        switch (e) {
          case '"':
            out += '"';
            break;
          case "\\":
            out += "\\";
            break;
          case "/":
            out += "/";
            break;
          case "b":
            out += "\b";
            break;
          case "f":
            out += "\f";
            break;
          case "n":
            out += "\n";
            break;
          case "r":
            out += "\r";
            break;
          case "t":
            out += "\t";
            break;
          case "u": {
            for (let k = 2; k < 6; k++) {
              if (!isHex(text.charCodeAt(i + k)))
                parseError("invalid \\u escape in string", locAt(i, Math.min(6, text.length - i)));
            }
            out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 4;
            break;
          }
          default:
            parseError(`illegal escape sequence \\${e ?? ""} in string`, locAt(i, 2));
        }
        i += 2;
      }
      push("string", fixSurrogates(out));
      continue;
    }
    if (c === 96 /* ` */) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 96) {
        if (text.charCodeAt(i) === 10) {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      if (i >= text.length) parseError("non-terminated raw string", locAt(start, 1, startLine, start - startCol + 1));
      i++;
      push("string", text.slice(start + 1, i - 1), true);
      continue;
    }
    const op = operatorAt(text, i);
    if (op === undefined) {
      const ch = String.fromCodePoint(text.codePointAt(i)!);
      parseError(`illegal character ${JSON.stringify(ch)}`, locAt(i, ch.length));
    }
    i += op.length;
    push("op", op);
  }
  tokens.push({
    kind: "eof",
    text: "",
    offset: text.length,
    end: text.length,
    line,
    col: text.length - lineStart + 1,
    ws,
  });
  return { tokens, comments };
}

// Go decodes lone surrogate escapes to U+FFFD; do the same so values match OPA.
function fixSurrogates(s: string): string {
  if (!/[\uD800-\uDFFF]/.test(s)) return s;
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
