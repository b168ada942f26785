import { CompileError, DiagnosticCode, hasDiagnostic, renderDiagnostic } from "../../../compiler/diagnostics";

const loc = (line: number, col: number, length = 1) => ({ file: "a.rego", line, col, offset: 0, length });

describe("diagnostics", () => {
  it("formats the message as file:line:col: code: message lines", () => {
    const err = new CompileError([
      { code: DiagnosticCode.ParseError, message: "unexpected }", loc: loc(3, 7) },
      { code: DiagnosticCode.UnsafeVarError, message: "var x is unsafe", loc: loc(4, 1) },
    ]);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("CompileError");
    expect(err.message).toBe(
      "a.rego:3:7: rego_parse_error: unexpected }\na.rego:4:1: rego_unsafe_var_error: var x is unsafe",
    );
    expect(err.code).toBe("rego_parse_error");
    expect(hasDiagnostic(err, "rego_unsafe_var_error")).toBe(true);
    expect(hasDiagnostic(err, "rego_type_error")).toBe(false);
    expect(hasDiagnostic(new Error("x"), "rego_parse_error")).toBe(false);
  });

  it("renders the source line with a caret under the column", () => {
    const src = "package a\n\tp := x +\n";
    const out = renderDiagnostic({ code: "rego_parse_error", message: "bad", loc: loc(2, 7, 1) }, src);
    expect(out.split("\n")).toEqual(["a.rego:2:7: rego_parse_error: bad", "2 | \tp := x +", "    \t     ^"]);
  });

  it("falls back to the header when the line does not exist", () => {
    expect(renderDiagnostic({ code: "rego_compile_error", message: "m", loc: loc(9, 1) }, "x")).toBe(
      "a.rego:9:1: rego_compile_error: m",
    );
  });
});
