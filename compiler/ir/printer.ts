// A readable text dump of an IR Policy, stable enough for golden tests: one statement per
// line, nested blocks indented, locals as `l<N>`, strings inline as JSON.
import type { Block, Operand, Policy, Stmt } from "./types";

/** Renders a whole policy as text. */
export function printPolicy(p: Policy): string {
  const out: string[] = [];
  const op = (o: Operand): string =>
    o.kind === "local" ? `l${o.local}` : o.kind === "bool" ? String(o.value) : JSON.stringify(p.strings[o.index]);
  const block = (b: Block, indent: string): void => {
    for (const s of b.stmts) stmt(s, indent);
  };
  const stmt = (s: Stmt, ind: string): void => {
    const loc = s.loc ? `  # ${s.loc.file}:${s.loc.row}:${s.loc.col}` : "";
    const line = (text: string): void => {
      out.push(`${ind}${text}${loc}`);
    };
    switch (s.type) {
      case "ReturnLocal":
        return line(`return l${s.source}`);
      case "Call":
        return line(`l${s.result} = call ${s.func}(${s.args.map(op).join(", ")})`);
      case "Block":
        line("block");
        s.blocks.forEach((b, i) => {
          if (i > 0) out.push(`${ind}  ---`);
          block(b, ind + "  ");
        });
        return;
      case "Break":
        return line(`break ${s.index}`);
      case "Dot":
        return line(`l${s.target} = ${op(s.source)}[${op(s.key)}]`);
      case "Len":
        return line(`l${s.target} = len(${op(s.source)})`);
      case "Scan":
        line(`scan l${s.source} (l${s.key}, l${s.value})`);
        return block(s.block, ind + "  ");
      case "Not":
        line("not");
        return block(s.block, ind + "  ");
      case "AssignInt":
        return line(`l${s.target} = int ${s.value}`);
      case "AssignVar":
        return line(`l${s.target} = ${op(s.source)}`);
      case "AssignVarOnce":
        return line(`l${s.target} := ${op(s.source)} (once)`);
      case "ResetLocal":
        return line(`reset l${s.target}`);
      case "MakeNull":
        return line(`l${s.target} = null`);
      case "MakeNumberInt":
        return line(`l${s.target} = number ${s.value}`);
      case "MakeNumberRef":
        return line(`l${s.target} = number ${p.strings[s.index]}`);
      case "MakeArray":
        return line(`l${s.target} = array(cap ${s.capacity})`);
      case "MakeObject":
        return line(`l${s.target} = object()`);
      case "MakeSet":
        return line(`l${s.target} = set()`);
      case "Equal":
        return line(`${op(s.a)} == ${op(s.b)}`);
      case "NotEqual":
        return line(`${op(s.a)} != ${op(s.b)}`);
      case "IsArray":
        return line(`is_array ${op(s.source)}`);
      case "IsObject":
        return line(`is_object ${op(s.source)}`);
      case "IsSet":
        return line(`is_set ${op(s.source)}`);
      case "IsDefined":
        return line(`is_defined l${s.source}`);
      case "IsUndefined":
        return line(`is_undefined l${s.source}`);
      case "ArrayAppend":
        return line(`append l${s.array} ${op(s.value)}`);
      case "ObjectInsert":
        return line(`insert l${s.object}[${op(s.key)}] = ${op(s.value)}`);
      case "ObjectInsertOnce":
        return line(`insert l${s.object}[${op(s.key)}] := ${op(s.value)} (once)`);
      case "ObjectMerge":
        return line(`l${s.target} = merge(l${s.a}, l${s.b})`);
      case "SetAdd":
        return line(`add l${s.set} ${op(s.value)}`);
      case "ResultSetAdd":
        return line(`result l${s.value}`);
      case "Nop":
        return line("nop");
    }
  };
  if (p.builtins.length) out.push(`builtins: ${p.builtins.map((b) => `${b.name}/${b.arity}`).join(" ")}`);
  for (const pl of p.plans) {
    out.push(`plan ${pl.name}`);
    pl.blocks.forEach((b) => {
      out.push("  block");
      block(b, "    ");
    });
  }
  for (const f of p.funcs) {
    out.push(`func ${f.name}(${f.params.map((l) => `l${l}`).join(", ")}) -> l${f.result}`);
    f.blocks.forEach((b) => {
      out.push("  block");
      block(b, "    ");
    });
  }
  return out.join("\n") + "\n";
}
