// Builds `terraform show -json` plans (format 1.2, hashicorp/aws 6.x shapes) for the graph tests:
// resource_changes with after/after_unknown, planned_values, configuration expressions per
// module, data sources read while planning in prior_state, deferred reads as `read` changes.

import { readInputText, type GuardInput } from "../../src/inputs";

/** One resource instance of the plan. */
export interface PlanResource {
  address: string;
  /** `create` (default), `no-op`, `update`, `delete`, `read` (a deferred data source read). */
  action?: "create" | "no-op" | "update" | "delete" | "read";
  values: Record<string, unknown>;
  /** after_unknown (create/update/read). */
  unknown?: Record<string, unknown>;
  /** Configuration expressions; omitted: every value as a constant. */
  expressions?: Record<string, unknown>;
  provider?: string;
  /** A data source read while planning: only in prior_state. */
  prior?: boolean;
}

/** Plan options beyond the resources. */
export interface PlanOptions {
  variables?: Record<string, unknown>;
  /** Provider configurations keyed as the plan keys them (`aws`, `aws.us`). */
  providers?: Record<string, Record<string, unknown>>;
}

const AWS = "registry.terraform.io/hashicorp/aws";

/** The plan JSON text for resources (the root module and `module.x.` prefixed ones). */
export function planText(resources: PlanResource[], options: PlanOptions = {}): string {
  const changes: unknown[] = [];
  const planned = new Map<string, unknown[]>();
  const prior = new Map<string, unknown[]>();
  const config = new Map<string, unknown[]>();
  for (const r of resources) {
    const m = /^((?:module\.[^.]+\.)*)(data\.)?([^.]+)\.([^.[]+)(\[.+\])?$/.exec(r.address);
    if (!m) throw new Error(`bad address ${r.address}`);
    const mod = m[1].replace(/\.$/, "");
    const mode = m[2] ? "data" : "managed";
    const type = m[3];
    const name = m[4];
    const base = { address: r.address, mode, type, name, provider_name: AWS };
    const keyed = m[5] ? { index: JSON.parse(m[5].slice(1, -1)) as unknown } : {};
    if (r.prior) {
      push(prior, mod, { ...base, ...keyed, schema_version: 0, values: r.values, sensitive_values: {} });
    } else {
      const action = r.action ?? "create";
      const actions = [action];
      const after = action === "delete" ? null : r.values;
      changes.push({
        ...base,
        ...(mod ? { module_address: mod } : {}),
        ...keyed,
        change: {
          actions,
          before: action === "create" || action === "read" ? null : r.values,
          after,
          after_unknown: action === "delete" ? {} : (r.unknown ?? {}),
          before_sensitive: false,
          after_sensitive: {},
        },
        ...(action === "read" ? { action_reason: "read_because_dependency_pending" } : {}),
      });
      if (action !== "delete" && action !== "read")
        push(planned, mod, { ...base, ...keyed, schema_version: 0, values: r.values, sensitive_values: {} });
    }
    const cfgAddress = `${m[2] ?? ""}${type}.${name}`;
    const list = config.get(mod) ?? [];
    if (!list.some((c) => (c as { address: string }).address === cfgAddress)) {
      list.push({
        address: cfgAddress,
        mode,
        type,
        name,
        provider_config_key: r.provider ?? (mod ? `${mod}:aws` : "aws"),
        expressions: r.expressions ?? constants(r.values),
        schema_version: 0,
      });
      config.set(mod, list);
    }
  }
  const modules = (m: Map<string, unknown[]>) => {
    const children = [...m.keys()].filter((k) => k !== "");
    return {
      resources: m.get("") ?? [],
      ...(children.length ? { child_modules: children.map((c) => ({ address: c, resources: m.get(c) })) } : {}),
    };
  };
  const configRoot: Record<string, unknown> = { resources: config.get("") ?? [] };
  const calls: Record<string, unknown> = {};
  for (const [mod, list] of config) {
    if (mod === "") continue;
    calls[mod.replace(/^module\./, "")] = { source: `./modules/${mod}`, module: { resources: list } };
  }
  if (Object.keys(calls).length) configRoot.module_calls = calls;
  const providers = options.providers ?? {
    aws: { name: "aws", full_name: AWS, expressions: { region: { constant_value: "ap-northeast-2" } } },
  };
  return JSON.stringify({
    format_version: "1.2",
    terraform_version: "1.9.8",
    variables: Object.fromEntries(Object.entries(options.variables ?? {}).map(([k, v]) => [k, { value: v }])),
    planned_values: { root_module: modules(planned) },
    resource_changes: changes,
    prior_state: { format_version: "1.0", terraform_version: "1.9.8", values: { root_module: modules(prior) } },
    configuration: { provider_config: providers, root_module: configRoot },
    timestamp: "2026-12-07T20:00:00Z",
    applyable: true,
    complete: true,
    errored: false,
  });
}

/** Reads a built plan through the reader. */
export function readPlanOf(resources: PlanResource[], options: PlanOptions = {}): GuardInput {
  return readInputText(planText(resources, options), "plan.json")[0];
}

/** Expressions of a resource whose every value is a constant in its configuration. */
export function constants(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === null || k === "region" || k === "tags_all" || k === "id" || k === "arn") continue;
    out[k] = { constant_value: v };
  }
  return out;
}

/** An expression that references addresses (Terraform lists the containers too). */
export function ref(...refs: string[]): { references: string[] } {
  return { references: refs };
}

function push(m: Map<string, unknown[]>, k: string, v: unknown): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
