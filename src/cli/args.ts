// Command-line parsing with commander. Produces a plain object; reading files happens in run.ts.

import { Command, CommanderError, Option } from "commander";
import type { Level, ProfileName } from "../core/findings";
import { COMPARE_FORMATS, FORMATS, isFormat, type Format } from "../reporters/registry";
import { UsageError } from "./errors";

/** One requested report: a format and where it goes (null = stdout). */
export interface OutputSpec {
  format: Format;
  output: string | null;
}

/** The parsed command line. */
export interface ParsedArgs {
  command: "check" | "compare";
  path: string;
  profile?: ProfileName;
  level?: Level;
  stacks?: string[];
  data?: string[];
  waivers?: string;
  policy?: string;
  /** Folder of Rego compiled in-process. */
  policies?: string;
  entrypoint?: string;
  /** A path, false for `--no-config`, undefined to look in the working directory. */
  config?: string | false;
  /** In command-line order; empty when no `--format`/`--output` was given. */
  outputs: OutputSpec[];
}

/** Help or version was printed: nothing else to do. */
export interface Printed {
  printed: true;
}

const EXTENSION_FORMATS: Record<string, Format> = {
  ".sarif": "sarif",
  ".json": "json",
  ".xml": "junit",
  ".md": "markdown",
  ".html": "html",
  ".htm": "html",
  ".txt": "text",
};

/** The format implied by an output file name, e.g. `gate.sarif` -> sarif. */
export function formatFromFileName(file: string): Format | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith(".sarif.json")) return "sarif";
  for (const [ext, format] of Object.entries(EXTENSION_FORMATS)) if (lower.endsWith(ext)) return format;
  return undefined;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function addCommon(cmd: Command, outputs: OutputSpec[], command: ParsedArgs["command"]): Command {
  // compare judges under every profile and does not gate: no --profile, no --level.
  if (command === "check") {
    cmd
      .addOption(new Option("-p, --profile <name>", "rule profile").choices(["kr-localization", "risk-based"]))
      .addOption(
        new Option("-l, --level <level>", "fail on violations at or above this level (default: mandatory)").choices([
          "mandatory",
          "advisory",
        ]),
      );
  }
  const formats = command === "check" ? [...FORMATS] : [...COMPARE_FORMATS];
  cmd
    .option("-s, --stack <name>", "cdktf stack to judge (repeatable; default: all stacks)", collect)
    .option("-d, --data <file>", "policy data file, JSON or YAML (repeatable)", collect)
    .option("-w, --waivers <file>", "waivers file")
    .option("--policy <wasm>", "compiled policy Wasm instead of the bundled one (its SHA-256 is printed)")
    .option("--policies <dir>", "folder of Rego files to compile and use instead of the bundled policy")
    .option(
      "--entrypoint <path>",
      "entrypoint of a custom policy that returns the findings (default: residency_guard/findings)",
    )
    .option(
      "-c, --config <file>",
      "configuration file (default: $RESIDENCY_GUARD_CONFIG, else ./residency-guard.config.json)",
    )
    .option("--no-config", "read no configuration file")
    .addOption(new Option("-f, --format <format>", "report format (repeatable)").choices(formats))
    .option("-o, --output <file>", "write the preceding --format to this file (repeatable)");
  // Pair each --output with the --format just before it, so several reports fit in one run.
  cmd.on("option:format", (value: string) => {
    if (isFormat(value)) outputs.push({ format: value, output: null });
  });
  cmd.on("option:output", (value: string) => {
    const last = outputs[outputs.length - 1];
    if (last && last.output === null) {
      last.output = value;
      return;
    }
    const inferred = formatFromFileName(value);
    if (!inferred) {
      throw new UsageError(`--output ${value}: no --format before it and the file extension names no format`);
    }
    outputs.push({ format: inferred, output: value });
  });
  return cmd;
}

/** Parses argv (without `node` and the script); help/version output goes through `write`. */
export function parseArgs(
  argv: string[],
  write: { out(s: string): void; err(s: string): void },
  version: string,
): ParsedArgs | Printed {
  let parsed: ParsedArgs | undefined;
  const outputs: OutputSpec[] = [];
  // Commander writes the whole help on stderr before some errors; the error style is one line,
  // so stderr output is held back and dropped when parsing fails.
  let held = "";
  const writeErr = (s: string) => {
    held += s;
  };
  const program = new Command("residency-guard")
    .description(
      "Pre-deploy gate: judges cdktf synth output and Terraform plans against Korea's AI-training data-residency rules.",
    )
    .version(version, "-V, --version")
    .exitOverride()
    .configureOutput({ writeOut: write.out, writeErr, outputError: () => {} })
    .showHelpAfterError(false);

  const makeAction = (command: ParsedArgs["command"]) => (path: string, opts: Record<string, unknown>) => {
    parsed = {
      command,
      path,
      profile: opts.profile as ProfileName | undefined,
      level: opts.level as Level | undefined,
      stacks: opts.stack as string[] | undefined,
      data: opts.data as string[] | undefined,
      waivers: opts.waivers as string | undefined,
      policy: opts.policy as string | undefined,
      policies: opts.policies as string | undefined,
      entrypoint: opts.entrypoint as string | undefined,
      config: opts.config as string | false | undefined,
      outputs: outputs.map((o) => ({ format: o.format, output: o.output })),
    };
  };

  addCommon(
    program
      .command("check")
      .description("judge the inputs; exit 0 pass, 1 violations at or above --level, 2 usage/input/policy/config error")
      .argument("<path>", "cdktf output folder, cdk.tf.json / .tf.json file, plan JSON file, or - for stdin"),
    outputs,
    "check",
  ).action(makeAction("check"));
  addCommon(
    program
      .command("compare")
      .description("show each workload's verdict under every profile side by side; informs, exit 0 unless an error")
      .argument("<path>", "cdktf output folder, cdk.tf.json / .tf.json file, plan JSON file, or - for stdin"),
    outputs,
    "compare",
  ).action(makeAction("compare"));

  for (const sub of program.commands)
    sub.exitOverride().configureOutput({ writeOut: write.out, writeErr, outputError: () => {} });

  if (argv.length === 0) throw new UsageError("no command given (try `residency-guard --help`)");
  try {
    program.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) {
        if (held) write.err(held);
        return { printed: true };
      }
      if (err.code === "commander.help") throw new UsageError("no command given (try `residency-guard --help`)");
      throw new UsageError(err.message.replace(/^error: /, ""));
    }
    throw err;
  }
  if (held) write.err(held);
  if (!parsed) throw new UsageError("no command given (try `residency-guard --help`)");
  return parsed;
}
