// Terraform addresses and reference strings: `module.a["k"].aws_x.y[0].attr` split into
// steps, so keys can be kept (instances) or dropped (configuration addresses).

/** An instance key: number (`[0]`), string (`["k"]`), `*` (splat) or undefined (an expression). */
export type StepKey = number | string | undefined;

/** One traversal step: a name with the keys written after it. */
export interface Step {
  name: string;
  keys: StepKey[];
}

// Shared by every step without keys (most of them); never mutated.
const NO_KEYS = Object.freeze([]) as unknown as StepKey[];

/** Splits a Terraform address or reference into steps; returns null when it cannot be read. */
export function splitAddress(text: string): Step[] | null {
  // Most references have no keys (`aws_x.y.arn`): split on dots, reading no character twice.
  if (!text.includes("[")) {
    const names = text.split(".");
    const out: Step[] = new Array(names.length);
    for (let k = 0; k < names.length; k++) {
      if (names[k] === "") return null;
      out[k] = { name: names[k], keys: NO_KEYS };
    }
    return out;
  }
  const steps: Step[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let start = i;
    while (i < n && text[i] !== "." && text[i] !== "[") i++;
    const name = text.slice(start, i);
    const step: Step = { name, keys: [] };
    while (i < n && text[i] === "[") {
      start = i + 1;
      let j = start;
      if (text[j] === '"') {
        j++;
        while (j < n && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
        if (j >= n) return null;
        let key = text.slice(start + 1, j);
        // Escapes are rare in keys; only then pay for a JSON string parse.
        if (key.includes("\\")) {
          try {
            key = JSON.parse(text.slice(start, j + 1)) as string;
          } catch {
            // Keep the raw text: Terraform's quoting is close to, but not exactly, JSON.
          }
        }
        j++;
        if (text[j] !== "]") return null;
        step.keys.push(key);
      } else {
        while (j < n && text[j] !== "]") j++;
        if (j >= n) return null;
        const raw = text.slice(start, j).trim();
        step.keys.push(/^\d+$/.test(raw) ? Number(raw) : raw === "*" ? "*" : undefined);
      }
      i = j + 1;
    }
    if (name === "" && step.keys.length === 0) return null;
    if (name === "" && steps.length > 0) steps[steps.length - 1].keys.push(...step.keys);
    else steps.push(step);
    if (i < n) {
      if (text[i] !== ".") return null;
      i++;
      if (i === n) return null;
    }
  }
  return steps.length > 0 ? steps : null;
}

/** Renders an instance key as Terraform prints it (`[0]`, `["k"]`). */
export function formatKey(key: string | number): string {
  return typeof key === "number" ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/** A module instance step (`module.a["k"]`): key null when the module has no count/for_each. */
export interface ModuleStep {
  name: string;
  key: string | number | null;
}

/** A parsed resource instance address. */
export interface InstanceAddress {
  modules: ModuleStep[];
  mode: "managed" | "data";
  type: string;
  name: string;
  key: string | number | null;
}

/** Parses a resource instance address; null when it is not one. */
export function parseInstanceAddress(address: string): InstanceAddress | null {
  const steps = splitAddress(address);
  if (!steps) return null;
  const modules: ModuleStep[] = [];
  let i = 0;
  while (i + 1 < steps.length && steps[i].name === "module" && steps[i].keys.length === 0) {
    const call = steps[i + 1];
    if (call.keys.length > 1) return null;
    const k = call.keys[0];
    if (k === undefined && call.keys.length === 1) return null;
    modules.push({ name: call.name, key: call.keys.length ? (k as string | number) : null });
    i += 2;
  }
  let mode: "managed" | "data" = "managed";
  if (steps[i]?.name === "data" && steps[i].keys.length === 0 && steps.length - i === 3) {
    mode = "data";
    i++;
  }
  if (steps.length - i !== 2 || steps[i].keys.length !== 0 || steps[i + 1].keys.length > 1) return null;
  const k = steps[i + 1].keys[0];
  if (steps[i + 1].keys.length === 1 && (k === undefined || k === "*")) return null;
  return { modules, mode, type: steps[i].name, name: steps[i + 1].name, key: k === undefined ? null : k };
}

/** `module.a["k"].module.b` for module steps; "" for the root module. */
export function formatModule(modules: readonly ModuleStep[]): string {
  if (modules.length === 0) return "";
  return modules.map((m) => `module.${m.name}${m.key === null ? "" : formatKey(m.key)}`).join(".");
}

/** The configuration address of a module: instance keys dropped (`module.a.module.b`). */
export function moduleConfigKey(modules: readonly { name: string }[]): string {
  if (modules.length === 0) return "";
  return modules.map((m) => `module.${m.name}`).join(".");
}

/** The resource part of an address without key: `aws_x.y` or `data.aws_x.y`. */
export function resourcePart(mode: "managed" | "data", type: string, name: string): string {
  return mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
}

/** Joins a module prefix and a relative address. */
export function joinAddress(prefix: string, rest: string): string {
  return prefix ? `${prefix}.${rest}` : rest;
}
