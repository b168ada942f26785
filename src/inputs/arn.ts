// ARNs and S3 URIs in attribute values: parsing, the ARN of a resource whose `arn` is unknown at
// plan (where its shape is fixed by the type and a known name), and IAM-style wildcard patterns.

/** The six fields of an ARN; `resource` is everything after the fifth colon. */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Parses an ARN; null when the text is not `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function parseArn(text: string): ArnParts | null {
  if (!text.startsWith("arn:")) return null;
  const f: string[] = [];
  let from = 4;
  for (let i = 0; i < 4; i++) {
    const c = text.indexOf(":", from);
    if (c < 0) return null;
    f.push(text.slice(from, c));
    from = c + 1;
  }
  const resource = text.slice(from);
  if (f[0] === "" || f[1] === "" || resource === "") return null;
  return { partition: f[0], service: f[1], region: f[2], account: f[3], resource };
}

/** ARN resource type and name as an external node shows them (`table`/`train`, `bucket`/`b`, `role`/`trainer`). */
export function arnTypeAndName(a: ArnParts): { type: string | null; name: string | null } {
  const r = a.resource;
  if (a.service === "s3" && a.region === "" && a.account === "") {
    const slash = r.indexOf("/");
    return { type: "bucket", name: slash < 0 ? r : r.slice(0, slash) };
  }
  if (a.service === "sqs") return { type: "queue", name: r };
  if (a.service === "sns") return { type: "topic", name: r.split(":")[0] };
  const m = /^([^/:]+)[/:](.*)$/.exec(r);
  if (!m) return { type: null, name: r };
  // IAM names sit after an optional path: role/service-role/x -> x.
  if (a.service === "iam" || a.service === "sts") return { type: m[1], name: m[2].split("/").pop() ?? m[2] };
  return { type: m[1], name: m[2].split(/[/:]/)[0] || m[2] };
}

/** The AWS partition of a region (`cn-north-1` -> `aws-cn`). */
export function partitionOf(region: string | null): string {
  if (region?.startsWith("cn-")) return "aws-cn";
  if (region?.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** ARNs in a text (also inside JSON or templates); a match running into a `${` template is left out. */
export function findArns(text: string): string[] {
  const out: string[] = [];
  ARN_IN_TEXT.lastIndex = 0;
  for (let m = ARN_IN_TEXT.exec(text); m; m = ARN_IN_TEXT.exec(text)) {
    let s = m[0];
    const end = m.index + s.length;
    if (text[end] === "{" && s.endsWith("$")) continue;
    s = s.replace(/[.:]+$/, "");
    if (parseArn(s)) out.push(s);
  }
  return out;
}

const ARN_IN_TEXT = /arn:aws[a-z-]*:[a-z0-9*?-]+:[a-z0-9*?-]*:[a-z0-9*?-]*:[^\s"'<>,;{}()[\]\\|`^]+/g;

/** Bucket names of `s3://`, `s3a://` and `s3n://` URIs in a text. */
export function findS3Buckets(text: string): string[] {
  const out: string[] = [];
  S3_URI.lastIndex = 0;
  for (let m = S3_URI.exec(text); m; m = S3_URI.exec(text)) out.push(m[1]);
  return out;
}

const S3_URI = /\bs3[an]?:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?![a-z0-9.$-])/g;

/** True when an IAM resource text holds a wildcard (`*` or `?`). */
export function hasWildcard(s: string): boolean {
  return s.includes("*") || s.includes("?");
}

/** A regular expression for an IAM glob (`*` any run of characters, `?` one character). */
export function globRegExp(glob: string): RegExp {
  let src = "";
  for (const ch of glob) {
    if (ch === "*") src += "[\\s\\S]*";
    else if (ch === "?") src += "[\\s\\S]";
    else src += ch.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(`^${src}$`);
}

/**
 * How a resource type's ARN is made from its values, for resources whose `arn` is unknown at
 * plan: service, resource part from a known name, and whether the ARN carries a region. Only
 * types whose ARN is fixed by that name are listed (no random suffixes, no generated ids).
 */
interface ArnShape {
  service: string;
  regional: boolean;
  resource: (v: Record<string, unknown>) => string | null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" && !v.includes("${") ? v : null);
const named =
  (prefix: string, attr = "name", lower = false) =>
  (v: Record<string, unknown>): string | null => {
    const n = str(v[attr]);
    return n === null ? null : `${prefix}${lower ? n.toLowerCase() : n}`;
  };
// IAM names sit under a path (`/` unless configured).
const iamNamed =
  (kind: string) =>
  (v: Record<string, unknown>): string | null => {
    const n = str(v.name);
    if (n === null) return null;
    const p = str(v.path) ?? "/";
    return `${kind}${p.startsWith("/") ? p : `/${p}`}${p.endsWith("/") ? "" : "/"}${n}`;
  };

const ARN_SHAPES: Record<string, ArnShape> = {
  aws_s3_bucket: { service: "s3", regional: false, resource: (v) => str(v.bucket) },
  aws_iam_role: { service: "iam", regional: false, resource: iamNamed("role") },
  aws_iam_policy: { service: "iam", regional: false, resource: iamNamed("policy") },
  aws_iam_instance_profile: { service: "iam", regional: false, resource: iamNamed("instance-profile") },
  aws_iam_user: { service: "iam", regional: false, resource: iamNamed("user") },
  aws_iam_group: { service: "iam", regional: false, resource: iamNamed("group") },
  aws_dynamodb_table: { service: "dynamodb", regional: true, resource: named("table/") },
  aws_kms_alias: { service: "kms", regional: true, resource: named("") },
  aws_sqs_queue: { service: "sqs", regional: true, resource: named("") },
  aws_sns_topic: { service: "sns", regional: true, resource: named("") },
  aws_lambda_function: { service: "lambda", regional: true, resource: named("function:", "function_name") },
  aws_kinesis_stream: { service: "kinesis", regional: true, resource: named("stream/") },
  aws_kinesis_firehose_delivery_stream: { service: "firehose", regional: true, resource: named("deliverystream/") },
  aws_ecr_repository: { service: "ecr", regional: true, resource: named("repository/") },
  aws_eks_cluster: { service: "eks", regional: true, resource: named("cluster/") },
  aws_ecs_cluster: { service: "ecs", regional: true, resource: named("cluster/") },
  aws_sfn_state_machine: { service: "states", regional: true, resource: named("stateMachine:") },
  aws_cloudwatch_log_group: { service: "logs", regional: true, resource: named("log-group:") },
  aws_glue_catalog_database: { service: "glue", regional: true, resource: named("database/") },
  aws_glue_job: { service: "glue", regional: true, resource: named("job/") },
  aws_db_instance: { service: "rds", regional: true, resource: named("db:", "identifier") },
  aws_rds_cluster: { service: "rds", regional: true, resource: named("cluster:", "cluster_identifier") },
  aws_redshift_cluster: { service: "redshift", regional: true, resource: named("cluster:", "cluster_identifier") },
  aws_opensearch_domain: { service: "es", regional: true, resource: named("domain/", "domain_name") },
  aws_athena_workgroup: { service: "athena", regional: true, resource: named("workgroup/") },
  aws_s3_access_point: { service: "s3", regional: true, resource: named("accesspoint/") },
  aws_batch_job_queue: { service: "batch", regional: true, resource: named("job-queue/") },
  // SageMaker lower-cases names in its ARNs.
  aws_sagemaker_notebook_instance: {
    service: "sagemaker",
    regional: true,
    resource: named("notebook-instance/", "name", true),
  },
  aws_sagemaker_model: { service: "sagemaker", regional: true, resource: named("model/", "name", true) },
  aws_sagemaker_endpoint: { service: "sagemaker", regional: true, resource: named("endpoint/", "name", true) },
  aws_sagemaker_feature_group: {
    service: "sagemaker",
    regional: true,
    resource: named("feature-group/", "feature_group_name", true),
  },
  aws_sagemaker_pipeline: {
    service: "sagemaker",
    regional: true,
    resource: named("pipeline/", "pipeline_name", true),
  },
};

/** The service, region need and resource part of a resource's ARN built from its values; null when not derivable. */
export function derivedArn(
  type: string,
  values: Record<string, unknown>,
): { service: string; regional: boolean; resource: string } | null {
  const shape = ARN_SHAPES[type];
  if (!shape) return null;
  const resource = shape.resource(values);
  return resource === null ? null : { service: shape.service, regional: shape.regional, resource };
}

/** `service:resource` of a resource's ARN built from its values (derivedArn as one string); null when not derivable. */
export function derivedArnKey(type: string, values: Record<string, unknown>): string | null {
  const shape = ARN_SHAPES[type];
  if (!shape) return null;
  const resource = shape.resource(values);
  return resource === null ? null : `${shape.service}:${resource}`;
}

/** True when the type's ARN carries a region. */
export function isRegional(type: string): boolean {
  return ARN_SHAPES[type]?.regional ?? false;
}

/** The ARN service of a resource type, when the table knows it. */
export function serviceOfType(type: string): string | null {
  return ARN_SHAPES[type]?.service ?? null;
}
