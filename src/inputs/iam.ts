// IAM policy documents -> statements as written. A document that cannot be read gives one
// statement with `unresolved` set, so the policies fail closed on it.

import type { IamStatement } from "./types";
import { isObject } from "./util";

/** A statement before it is numbered and given its holder. */
export type StatementFacts = Omit<IamStatement, "policy" | "attribute" | "index">;

/** Attributes (list indices as `*`) that hold an IAM document, per resource type (managed and data). */
export const DOCUMENT_ATTRIBUTES: Record<string, readonly string[]> = {
  aws_iam_policy: ["policy"],
  aws_iam_role_policy: ["policy"],
  aws_iam_user_policy: ["policy"],
  aws_iam_group_policy: ["policy"],
  aws_iam_role: ["assume_role_policy", "inline_policy.*.policy"],
  aws_iam_policy_document: ["json"],
  aws_s3_bucket_policy: ["policy"],
  aws_s3_bucket: ["policy"],
  aws_s3_access_point: ["policy"],
  aws_s3control_access_point_policy: ["policy"],
  aws_s3control_bucket_policy: ["policy"],
  aws_kms_key: ["policy"],
  aws_kms_key_policy: ["policy"],
  aws_sqs_queue: ["policy"],
  aws_sqs_queue_policy: ["policy"],
  aws_sns_topic: ["policy"],
  aws_sns_topic_policy: ["policy"],
  aws_ecr_repository_policy: ["policy"],
  aws_efs_file_system_policy: ["policy"],
  aws_secretsmanager_secret: ["policy"],
  aws_secretsmanager_secret_policy: ["policy"],
  aws_dynamodb_resource_policy: ["policy"],
  aws_glue_resource_policy: ["policy"],
  aws_backup_vault_policy: ["policy"],
  aws_vpc_endpoint: ["policy"],
  aws_opensearch_domain: ["access_policies"],
  aws_opensearch_domain_policy: ["access_policies"],
  aws_elasticsearch_domain: ["access_policies"],
  aws_elasticsearch_domain_policy: ["access_policies"],
  aws_cloudwatch_log_resource_policy: ["policy_document"],
  aws_sagemaker_model_package_group_policy: ["resource_policy"],
  aws_ssoadmin_permission_set_inline_policy: ["inline_policy"],
};

/** True for a parsed JSON value that is an IAM document (an object with `Statement`). */
export function isIamDocument(v: unknown): v is Record<string, unknown> {
  return isObject(v) && "Statement" in v;
}

/** Statements of a parsed IAM document (`Statement` may be one object or a list), each with its raw `Condition`. */
export function documentStatements(doc: Record<string, unknown>): { facts: StatementFacts; condition: unknown }[] {
  const st = doc.Statement;
  const list = Array.isArray(st) ? st : [st];
  return list.map((s) => ({ facts: readStatement(s), condition: isObject(s) ? s.Condition : undefined }));
}

/** One statement that stands for a document that could not be read. */
export function unresolvedStatement(why: string): StatementFacts {
  return {
    sid: null,
    effect: null,
    actions: null,
    not_actions: null,
    resources: null,
    not_resources: null,
    principals: null,
    not_principals: null,
    has_condition: false,
    unresolved: why,
  };
}

function readStatement(s: unknown): StatementFacts {
  if (!isObject(s)) return unresolvedStatement("a statement is not a JSON object");
  const effect = s.Effect;
  if (effect !== "Allow" && effect !== "Deny")
    return unresolvedStatement(`Effect is ${JSON.stringify(effect ?? null)}, not "Allow" or "Deny"`);
  const lists: Record<string, string[] | null> = {};
  for (const key of ["Action", "NotAction", "Resource", "NotResource"]) {
    const v = s[key];
    if (v === undefined || v === null) lists[key] = null;
    else if (typeof v === "string") lists[key] = [v];
    else if (Array.isArray(v) && v.every((x) => typeof x === "string")) lists[key] = v as string[];
    else return unresolvedStatement(`${key} must be a string or a list of strings`);
  }
  return {
    sid: typeof s.Sid === "string" ? s.Sid : null,
    effect,
    actions: lists.Action,
    not_actions: lists.NotAction,
    resources: lists.Resource,
    not_resources: lists.NotResource,
    principals: s.Principal ?? null,
    not_principals: s.NotPrincipal ?? null,
    has_condition: isObject(s.Condition) && Object.keys(s.Condition).length > 0,
    unresolved: null,
  };
}

/**
 * A `statement` block of `aws_iam_policy_document` (plan values or JSON configuration) as a
 * statement: lower-case block arguments, principals as `{type, identifiers}` blocks.
 */
export function blockStatement(b: unknown, unknown: ReadonlySet<string> = NONE): StatementFacts {
  if (!isObject(b)) return unresolvedStatement("a statement block is not an object");
  const effect = b.effect === undefined || b.effect === null || b.effect === "" ? "Allow" : b.effect;
  if (effect !== "Allow" && effect !== "Deny")
    return unresolvedStatement(`effect is ${JSON.stringify(effect)}, not "Allow" or "Deny"`);
  const lists: Record<string, string[] | null> = {};
  for (const key of ["actions", "not_actions", "resources", "not_resources"]) {
    const v = b[key];
    // Arguments unknown at plan hold nulls in place of their values; the caller marks them.
    if (unknown.has(key) || v === undefined || v === null || (Array.isArray(v) && v.length === 0)) lists[key] = null;
    else if (typeof v === "string") lists[key] = [v];
    else if (Array.isArray(v) && v.every((x) => typeof x === "string")) lists[key] = v as string[];
    else return unresolvedStatement(`${key} must be a list of strings`);
  }
  return {
    sid: typeof b.sid === "string" && b.sid !== "" ? b.sid : null,
    effect,
    actions: lists.actions,
    not_actions: lists.not_actions,
    resources: lists.resources,
    not_resources: lists.not_resources,
    principals: blockPrincipals(b.principals),
    not_principals: blockPrincipals(b.not_principals),
    has_condition: Array.isArray(b.condition) ? b.condition.length > 0 : isObject(b.condition),
    unresolved: null,
  };
}

const NONE: ReadonlySet<string> = new Set();

// principals { type = "AWS", identifiers = [...] } -> {"AWS": [...]}; type "*" -> "*".
function blockPrincipals(v: unknown): unknown {
  const blocks = Array.isArray(v) ? v : isObject(v) ? [v] : [];
  if (blocks.length === 0) return null;
  const out: Record<string, unknown[]> = {};
  for (const p of blocks) {
    if (!isObject(p) || typeof p.type !== "string") continue;
    if (p.type === "*") return "*";
    const ids = Array.isArray(p.identifiers) ? p.identifiers : typeof p.identifiers === "string" ? [p.identifiers] : [];
    (out[p.type] ??= []).push(...ids.filter((x: unknown) => typeof x === "string"));
  }
  return out;
}

/** The ARN-like strings a Principal names (`AWS` and `Federated` entries; services are not nodes). */
export function principalArns(p: unknown): string[] {
  if (typeof p === "string") return p === "*" ? [] : [p];
  if (!isObject(p)) return [];
  const out: string[] = [];
  for (const key of ["AWS", "Federated", "CanonicalUser"]) {
    const v = p[key];
    for (const x of Array.isArray(v) ? v : [v]) if (typeof x === "string" && x !== "*") out.push(x);
  }
  return out;
}
