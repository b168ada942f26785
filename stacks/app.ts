// cdktf app entry (cdktf.json: `node dist/stacks/app.js`). Builds the example stacks and
// attaches the residency guard, so `cdktf synth` fails on mandatory findings.
//
// Environment:
//   RESIDENCY_GUARD_STACKS   comma-separated keys (compliant, global-burst, shared-tenancy,
//                            risk-based, aliases) or `all` (default)
//   RESIDENCY_GUARD_PROFILE  kr-localization | risk-based (engine default when unset)
//   RESIDENCY_GUARD_POLICY   compiled policy Wasm (engine default when unset)
//   RESIDENCY_GUARD_WAIVERS  waivers file
//   RESIDENCY_GUARD_DATA     comma-separated extra policy data files

import { App } from "cdktf";
import { ResidencyGuard, type ProfileName } from "../src";
import { EXAMPLE_STACKS } from "./examples";

/** Stack keys chosen by RESIDENCY_GUARD_STACKS; throws on an unknown key instead of synthesizing nothing. */
export function selectedStacks(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = (env.RESIDENCY_GUARD_STACKS ?? "all").trim();
  if (raw === "" || raw === "all") return Object.keys(EXAMPLE_STACKS);
  const keys = raw
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  const unknown = keys.filter((k) => !(k in EXAMPLE_STACKS));
  if (unknown.length > 0) {
    throw new Error(
      `RESIDENCY_GUARD_STACKS: unknown stack key(s) ${unknown.join(", ")}; known: ${Object.keys(EXAMPLE_STACKS).join(", ")}, all`,
    );
  }
  return keys;
}

/** Profile from RESIDENCY_GUARD_PROFILE, validated. */
export function selectedProfile(env: NodeJS.ProcessEnv = process.env): ProfileName | undefined {
  const p = env.RESIDENCY_GUARD_PROFILE;
  if (p === undefined || p === "") return undefined;
  if (p !== "kr-localization" && p !== "risk-based") {
    throw new Error(`RESIDENCY_GUARD_PROFILE: unknown profile "${p}"; use kr-localization or risk-based`);
  }
  return p;
}

/** Builds the app with the chosen stacks and the guard attached. */
export function buildApp(env: NodeJS.ProcessEnv = process.env, app: App = new App()): App {
  for (const key of selectedStacks(env)) EXAMPLE_STACKS[key](app);
  ResidencyGuard.attach(app, {
    profile: selectedProfile(env),
    policyFile: env.RESIDENCY_GUARD_POLICY || undefined,
    waiversFile: env.RESIDENCY_GUARD_WAIVERS || undefined,
    dataFiles: env.RESIDENCY_GUARD_DATA ? env.RESIDENCY_GUARD_DATA.split(",") : undefined,
  });
  return app;
}

if (require.main === module) {
  try {
    buildApp().synth();
  } catch (e) {
    // The findings are the message; a Node stack trace under them would only bury them.
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
