// The data-access graph's facts (docs/data-access-graph.md): every link between two nodes with
// the attribute it was found in and how, the nodes named that are not in the input, and the
// statements of every IAM document. No meaning is given here; the policies decide.
//
// Linear: every resource's identifying values (ARN, name, id, bucket) are indexed once in Maps;
// then every string value is looked up there (exact name / id, ARNs and s3:// URIs inside it,
// embedded JSON parsed once). IAM wildcard patterns are matched against candidates grouped by
// service and narrowed by their literal prefix, memoised per pattern.

import {
  arnTypeAndName,
  derivedArn,
  derivedArnKey,
  isRegional,
  findArns,
  findS3Buckets,
  globRegExp,
  hasWildcard,
  parseArn,
  partitionOf,
  type ArnParts,
} from "./arn";
import { expressionRefs, hasTemplate } from "./expressions";
import {
  DOCUMENT_ATTRIBUTES,
  blockStatement,
  documentStatements,
  isIamDocument,
  principalArns,
  unresolvedStatement,
  type StatementFacts,
} from "./iam";
import type { Edge, EdgeHow, ExternalNode, IamStatement, ResolvedLocation, ResourceEntry, SourceKind } from "./types";
import { isObject } from "./util";

/** The graph facts of one input document. */
export interface GraphFacts {
  edges: Edge[];
  external: Record<string, ExternalNode>;
  iam_statements: IamStatement[];
}

/** Builds edges, external nodes and IAM statements from a document's resources (`list`: the same entries in order, when at hand). */
export function buildGraph(
  resources: Record<string, ResourceEntry>,
  kind: SourceKind,
  list: ResourceEntry[] = Object.values(resources),
): GraphFacts {
  return new GraphBuilder(resources, list, kind).build();
}

/** A resource that a value may name. rank: managed resources before data sources, names before ids. */
interface Claim {
  address: string;
  type: string;
  rank: number;
  how: EdgeHow;
}

/** A resource an IAM pattern may match: ARN fields, null where unknown at plan. */
interface Candidate {
  address: string;
  managed: boolean;
  service: string;
  partition: string | null;
  region: string | null;
  account: string | null;
  resource: string;
}

/** Where a value was found: the edge attribute and, inside IAM documents, the statement. */
interface Site {
  /** The edge attribute; null while walking values, where it is `path` joined (only when a link is found). */
  attribute: string | null;
  path?: (string | number)[];
  /** Nearest object key, for name hints (`role_arn`, `BucketName`, `value`). */
  leaf: string;
  statement?: number;
  part?: Edge["part"];
  /** A data source's own identifying attribute: links only to managed resources. */
  ownIdentity?: boolean;
}

/** Each type's document attributes as path segments, and their first segments (to skip unknown paths quickly). */
const DOCUMENT_SEGMENTS: Record<string, string[][]> = Object.fromEntries(
  Object.entries(DOCUMENT_ATTRIBUTES).map(([t, attrs]) => [t, attrs.map((a) => a.split("."))]),
);
const DOCUMENT_HEADS: Record<string, Set<string>> = Object.fromEntries(
  Object.entries(DOCUMENT_ATTRIBUTES).map(([t, attrs]) => [t, new Set(attrs.map((a) => a.split(".")[0]))]),
);

/** Data sources whose names are not resources (`data.aws_region.name` is a region). */
const NEVER_INDEXED = new Set([
  "aws_region",
  "aws_regions",
  "aws_availability_zone",
  "aws_availability_zones",
  "aws_partition",
  "aws_caller_identity",
  "aws_default_tags",
  "aws_iam_policy_document",
  "aws_service_principal",
  "aws_arn",
  "aws_ip_ranges",
  "aws_ami",
  "aws_ami_ids",
  "terraform_remote_state",
]);

/** Attributes that identify a resource by name, when not `name`. */
const NAME_ATTRIBUTES: Record<string, readonly string[]> = {
  aws_s3_bucket: ["bucket"],
  aws_s3_directory_bucket: ["bucket"],
  aws_db_instance: ["identifier"],
  aws_rds_cluster: ["cluster_identifier"],
  aws_docdb_cluster: ["cluster_identifier"],
  aws_neptune_cluster: ["cluster_identifier"],
  aws_redshift_cluster: ["cluster_identifier"],
  aws_elasticache_cluster: ["cluster_id"],
  aws_elasticache_replication_group: ["replication_group_id"],
  aws_lambda_function: ["function_name"],
  aws_opensearch_domain: ["domain_name"],
  aws_elasticsearch_domain: ["domain_name"],
  aws_sagemaker_domain: ["domain_name"],
  aws_sagemaker_user_profile: ["user_profile_name"],
  aws_sagemaker_space: ["space_name"],
  aws_sagemaker_feature_group: ["feature_group_name"],
  aws_sagemaker_pipeline: ["pipeline_name"],
  aws_ecs_task_definition: ["family"],
  aws_eks_node_group: ["node_group_name"],
  aws_efs_file_system: ["creation_token"],
  aws_kinesis_stream: ["name"],
};

/** Attributes never scanned: labels and free text, not links. */
const SKIP_ATTRIBUTES = new Set(["tags", "tags_all", "description", "timeouts"]);

/** Own identifying attributes of every resource (with its name attributes). */
const OWN_ATTRIBUTES = ["arn", "id", "arn_without_revision"];

/** Exact values too generic to name a resource. */
const STOP_VALUES = new Set([
  "default",
  "main",
  "primary",
  "secondary",
  "private",
  "public",
  "internal",
  "none",
  "null",
  "true",
  "false",
  "enabled",
  "disabled",
  "all",
  "aws",
  "data",
  "test",
  "prod",
  "dev",
]);

const REGION_LIKE = /^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d[a-z]?$/;
/** Tokens of attribute keys and type names that say nothing about the target's kind. */
const GENERIC_TOKENS = new Set([
  "aws",
  "id",
  "ids",
  "arn",
  "arns",
  "name",
  "names",
  "the",
  "of",
  "uri",
  "url",
  "s",
  "value",
  "values",
]);

class GraphBuilder {
  private readonly edges: Edge[] = [];
  /** Keys of the edges from the resource being scanned (cleared per resource). */
  private readonly edgeKeys = new Set<string>();
  private readonly external: Record<string, ExternalNode> = {};
  private readonly statements: IamStatement[] = [];
  // The indexes hold the entries themselves: no object per indexed value (50k-resource plans).
  private readonly byName = new MultiMap<ResourceEntry>();
  private readonly byId = new MultiMap<ResourceEntry>();
  private readonly byArn = new MultiMap<ResourceEntry>();
  /** `service:resource` of ARNs built from names (the resource's own ARN unknown, or an S3 bucket). */
  private readonly byDerived = new MultiMap<ResourceEntry>();
  private readonly accounts = new Set<string>();
  private readonly keyTokens = new Map<string, string[]>();
  private readonly typeTokens = new Map<string, Set<string>>();
  private readonly identities = new Map<string, Set<string>>();
  private readonly walkSite: Site = { attribute: null, leaf: "" };
  /** The resource being scanned and its references as `address\0attribute` (made when first needed). */
  private scanning: ResourceEntry | null = null;
  private referenced: Set<string> | null = null;
  private readonly patternMemo = new Map<string, string[]>();
  private candidates: Map<string, Candidate[]> | null = null;
  private allCandidates: Candidate[] = [];
  private readonly candidateOf = new Map<string, Candidate>();
  private readonly config: boolean;

  constructor(
    private readonly resources: Record<string, ResourceEntry>,
    private readonly list: ResourceEntry[],
    kind: SourceKind,
  ) {
    this.config = kind !== "terraform-plan";
  }

  build(): GraphFacts {
    for (const r of this.list) this.index(r);
    for (const r of this.list) this.scan(r);
    return { edges: this.edges, external: this.external, iam_statements: this.statements };
  }

  // ---- index ------------------------------------------------------------------------------

  private index(r: ResourceEntry): void {
    const v = r.values;
    if (r.type === "aws_caller_identity" && isKnown(v.account_id)) this.accounts.add(v.account_id);
    if (NEVER_INDEXED.has(r.type)) return;
    let arnKnown = false;
    for (const attr of ARN_ATTRIBUTES) {
      const a = v[attr];
      if (!isKnown(a) || !a.startsWith("arn:")) continue;
      arnKnown = true;
      this.byArn.add(a, r);
      const acct = parseArn(a)?.account;
      if (acct && /^\d{12}$/.test(acct)) this.accounts.add(acct);
    }
    const d = derivedArnKey(r.type, v);
    if (d !== null && (!arnKnown || d.startsWith("s3:"))) this.byDerived.add(d, r);
    const names = NAME_ATTRIBUTES[r.type] ?? DEFAULT_NAMES;
    let named: unknown = undefined;
    for (const attr of names) {
      const n = v[attr];
      if (isKnown(n) && nameable(n)) {
        this.byName.add(n, r);
        named = n;
      }
    }
    const id = v.id;
    if (isKnown(id) && id !== named && nameable(id) && !id.startsWith("arn:")) this.byId.add(id, r);
  }

  // ---- scan -------------------------------------------------------------------------------

  private scan(r: ResourceEntry): void {
    this.edgeKeys.clear();
    this.scanning = r;
    this.referenced = null;
    // References are unique per (attribute, address) already and no other link is a `reference` without a statement.
    for (const ref of r.references)
      this.edges.push({ from: r.address, to: ref.address, attribute: ref.attribute, how: "reference" });
    if (r.type === "aws_iam_policy_document" && r.mode === "data") {
      this.policyDocument(r);
      return;
    }
    if (r.mode === "data" && NEVER_INDEXED.has(r.type)) return;
    if (!this.config) this.unknownDocuments(r);
    const identity = this.identityOf(r.type);
    const managed = r.mode === "managed";
    const docs = DOCUMENT_SEGMENTS[r.type];
    const path: (string | number)[] = [];
    for (const k in r.values) {
      if (SKIP_ATTRIBUTES.has(k) || k === "region") continue;
      const own = identity.has(k);
      if (own && managed) continue;
      path.push(k);
      this.walk(r, r.values[k], path, k, docs, own);
      path.pop();
    }
  }

  private walk(
    r: ResourceEntry,
    v: unknown,
    path: (string | number)[],
    leaf: string,
    docs: readonly (readonly string[])[] | undefined,
    ownIdentity: boolean,
  ): void {
    if (typeof v === "string") {
      if (docs && isDocumentPath(docs, path)) this.document(r, v, path.join("."));
      else {
        // One site object for the whole walk: most strings link nothing, so the path is joined lazily.
        const site = this.walkSite;
        site.path = path;
        site.leaf = leaf;
        site.ownIdentity = ownIdentity;
        this.value(r, v, site);
      }
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        this.walk(r, v[i], path, leaf, docs, ownIdentity);
        path.pop();
      }
    } else if (isObject(v)) {
      for (const k in v) {
        // Tags are labels at any depth (launch template tag_specifications, ...), not links.
        if (k === "tags" || k === "tags_all") continue;
        path.push(k);
        this.walk(r, v[k], path, this.leafOf(k, leaf), docs, ownIdentity);
        path.pop();
      }
    }
  }

  /** Links named by one string value: embedded JSON, ARNs, s3:// URIs, exact names and ids. */
  private value(r: ResourceEntry, s: string, site: Site): void {
    if (s.length < 3) return;
    const c = s.charCodeAt(0);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      const parsed = tryJson(s);
      if (parsed !== undefined) {
        const attribute = attributeOf(site);
        if (isIamDocument(parsed)) this.statementsOf(r, attribute, parsed);
        else this.walkJson(r, parsed, { ...site, attribute, path: undefined }, site.leaf);
        return;
      }
    }
    if (s.includes("arn:")) for (const a of findArns(s)) this.arn(r, a, site);
    if (s.includes("://")) for (const b of findS3Buckets(s)) this.bucket(r, b, site);
    const byName = this.byName.get(s);
    const byId = this.byId.get(s);
    if (byName || byId) this.named(r, s, claimsOf(byName, byId), site);
  }

  private walkJson(r: ResourceEntry, v: unknown, site: Site, leaf: string): void {
    if (typeof v === "string") this.value(r, v, { ...site, leaf });
    else if (Array.isArray(v)) for (const x of v) this.walkJson(r, x, site, leaf);
    else if (isObject(v)) for (const k in v) this.walkJson(r, v[k], site, this.leafOf(k, leaf));
  }

  // ---- names, ids, ARNs, buckets ------------------------------------------------------------

  private named(r: ResourceEntry, s: string, claims: Claim[], site: Site): void {
    let best = -1;
    for (const c of claims) {
      if (c.address === r.address || (site.ownIdentity && c.rank < 2)) continue;
      if (c.rank > best) best = c.rank;
    }
    if (best < 0) return;
    let picked = claims.filter((c) => c.rank === best && c.address !== r.address);
    // A key that names the target's kind (`role`, `BucketName`, `file_system_id`) picks among
    // candidates; without such a hint only a specific value links (`acme-kr-train-2026`, not
    // `train`, which may be a channel name under `value` or `channel_name`).
    const tokens = this.tokensOfKey(site.leaf);
    let top = 0;
    const scores = picked.map((c) => {
      const n = tokens.length ? this.hints(tokens, c.type) : 0;
      if (n > top) top = n;
      return n;
    });
    // The best-fitting kinds only: `iam_instance_profile` names the profile, not the role of the same name.
    if (top > 0) picked = picked.filter((_, i) => scores[i] === top);
    else if (!specific(s) && !site.ownIdentity) return;
    for (const c of picked) this.edge(this.siteEdge(r, site, c.address, c.how));
  }

  private arn(r: ResourceEntry, a: string, site: Site): void {
    if (hasWildcard(a)) {
      this.pattern(r, a, site);
      return;
    }
    const parts = parseArn(a);
    if (!parts || serviceIntegration(parts)) return;
    const found = this.resolveArn(r, a, parts, site.ownIdentity === true);
    if (found.length) {
      for (const f of found) this.edge(this.siteEdge(r, site, f.address, f.how));
      return;
    }
    // A data source's own ARN that names nothing here is just what it read; NotResource grants nothing.
    if (site.ownIdentity || site.part === "not_resource") return;
    const key = this.externalArn(parts, a, false);
    this.edge(this.siteEdge(r, site, key, "arn"));
  }

  /** Resources an ARN names: known ARNs (also as a prefix: objects, indexes, versions), then ARNs built from names. */
  private resolveArn(
    r: ResourceEntry,
    a: string,
    parts: ArnParts,
    managedOnly: boolean,
  ): { address: string; how: EdgeHow }[] {
    const keep = (address: string, managed: boolean) => address !== r.address && (managed || !managedOnly);
    for (const prefix of arnPrefixes(a, parts)) {
      const claims = this.byArn.get(prefix);
      if (!claims) continue;
      const best = preferManaged(claims.filter((c) => keep(c.address, c.mode === "managed")));
      if (best.length) return best.map((c) => ({ address: c.address, how: "arn" as const }));
    }
    if (parts.account === "aws") return []; // AWS-managed (policies): never a resource of the input
    if (/^\d{12}$/.test(parts.account) && this.accounts.size && !this.accounts.has(parts.account)) return [];
    const verified = parts.account === "" || this.accounts.has(parts.account);
    for (const res of resourcePrefixes(parts.resource)) {
      const claims = this.byDerived.get(`${parts.service}:${res}`);
      if (!claims) continue;
      const fit = preferManaged(
        claims.filter(
          (c) =>
            keep(c.address, c.mode === "managed") &&
            (!isRegional(c.type) ||
              c.location.region === null ||
              parts.region === "" ||
              c.location.region === parts.region),
        ),
      );
      if (fit.length)
        return fit.map((c) => ({ address: c.address, how: verified ? ("arn" as const) : ("name" as const) }));
    }
    return [];
  }

  private bucket(r: ResourceEntry, bucket: string, site: Site): void {
    const claims = this.byDerived.get(`s3:${bucket}`);
    const fit = claims ? preferManaged(claims.filter((c) => c.address !== r.address)) : [];
    if (fit.length) {
      for (const c of fit) this.edge(this.siteEdge(r, site, c.address, "s3-uri"));
      return;
    }
    const key = `arn:${partitionOf(r.location.region)}:s3:::${bucket}`;
    if (!this.external[key]) {
      this.external[key] = {
        key,
        kind: "s3-uri",
        cloud: "aws",
        service: "s3",
        resource_type: "bucket",
        name: bucket,
        wildcard: false,
        location: noRegion(`s3://${bucket} names a bucket that is not in this input; S3 URIs carry no region`),
      };
    }
    this.edge(this.siteEdge(r, site, key, "s3-uri"));
  }

  /** The external node for an ARN (S3 objects collapse to their bucket); returns its key. */
  private externalArn(parts: ArnParts, a: string, wildcard: boolean): string {
    const s3Bucket = parts.service === "s3" && parts.region === "" && parts.account === "";
    const { type, name } = arnTypeAndName(parts);
    const key = s3Bucket && name !== null && !hasWildcard(name) ? `arn:${parts.partition}:s3:::${name}` : a;
    if (!this.external[key]) {
      this.external[key] = {
        key,
        kind: "arn",
        cloud: "aws",
        service: parts.service === "*" ? null : parts.service,
        resource_type: type,
        name,
        wildcard,
        location: arnLocation(parts, key),
      };
    }
    return key;
  }

  // ---- IAM patterns -------------------------------------------------------------------------

  private pattern(r: ResourceEntry, p: string, site: Site): void {
    const parts = patternParts(p);
    if (!parts || serviceIntegration(parts)) return;
    for (const address of this.matchPattern(p, parts)) {
      if (address !== r.address) this.edge(this.siteEdge(r, site, address, "arn"));
    }
    // NotResource names what is *not* granted: no node of its own.
    if (site.part === "not_resource") return;
    const matched = this.patternMemo.get(p)!.length > 0;
    const wide = identityWildcard(parts);
    if (!matched || wide) this.edge(this.siteEdge(r, site, this.externalArn(parts, p, wide), "arn"));
  }

  private matchPattern(p: string, parts: ArnParts): string[] {
    const hit = this.patternMemo.get(p);
    if (hit) return hit;
    if (!this.candidates) this.buildCandidates();
    const pool = hasWildcard(parts.service) ? this.allCandidates : (this.candidates!.get(parts.service) ?? []);
    const field = (pat: string) => (pat === "*" ? null : hasWildcard(pat) ? globRegExp(pat) : pat);
    const partition = field(parts.partition);
    const region = field(parts.region);
    const account = field(parts.account);
    const resources = resourcePatterns(parts.resource).map((x) => globRegExp(x));
    const test = (pat: string | RegExp | null, v: string | null) =>
      pat === null || v === null || (typeof pat === "string" ? pat === v : pat.test(v));
    const acct = parts.account;
    const foreign = /^\d{12}$/.test(acct) && this.accounts.size > 0 && !this.accounts.has(acct);
    const out: string[] = [];
    if (!foreign && acct !== "aws") {
      const prefix = literalPrefix(parts.resource);
      const [from, to] = hasWildcard(parts.service) ? [0, pool.length] : prefixRange(pool, prefix);
      for (let i = from; i < to; i++) {
        const c = pool[i];
        if (!test(partition, c.partition) || !test(region, c.region) || !test(account, c.account)) continue;
        if (resources.some((re) => re.test(c.resource))) out.push(c.address);
      }
    }
    this.patternMemo.set(p, out);
    return out;
  }

  private buildCandidates(): void {
    const byService = new Map<string, Candidate[]>();
    for (const r of this.list) {
      if (NEVER_INDEXED.has(r.type)) continue;
      const managed = r.mode === "managed";
      const a = r.values.arn;
      let c: { service: string; cand: Candidate } | null = null;
      const parts = isKnown(a) ? parseArn(a) : null;
      if (parts) {
        c = {
          service: parts.service,
          cand: { address: r.address, managed, ...parts },
        };
      } else {
        const d = derivedArn(r.type, r.values);
        if (d) {
          c = {
            service: d.service,
            cand: {
              address: r.address,
              managed,
              service: d.service,
              partition: null,
              region: d.regional ? r.location.region : "",
              account: d.service === "s3" ? "" : null,
              resource: d.resource,
            },
          };
        }
      }
      if (!c) continue;
      push(byService, c.service, c.cand);
      this.allCandidates.push(c.cand);
      this.candidateOf.set(r.address, c.cand);
    }
    for (const list of byService.values())
      list.sort((x, y) => (x.resource < y.resource ? -1 : x.resource > y.resource ? 1 : 0));
    this.candidates = byService;
  }

  // ---- IAM documents ------------------------------------------------------------------------

  /** A string in an attribute that holds an IAM document. */
  private document(r: ResourceEntry, s: string, attribute: string): void {
    const parsed = tryJson(s);
    if (parsed !== undefined && isIamDocument(parsed)) {
      this.statementsOf(r, attribute, parsed);
      return;
    }
    if (this.config && hasTemplate(s)) {
      // `policy = "${data.aws_iam_policy_document.p.json}"`: the statements are the referenced document's.
      const refs = expressionRefs(s);
      if (
        /^\$\{[^{}]*\}$/.test(s.trim()) &&
        refs.length > 0 &&
        refs.every((x) => x.kind === "resource" && /^(?:data\.)?aws_iam_polic(?:y|y_document)\./.test(x.address))
      )
        return;
      this.addStatements(r, attribute, [
        { facts: unresolvedStatement(`the document is computed by Terraform (${clip(s)})`), condition: undefined },
      ]);
      return;
    }
    // An empty string or a JSON object without `Statement` (`{}`) grants nothing: no statement.
    if (s.trim() === "" || isObject(parsed)) return;
    this.addStatements(r, attribute, [
      { facts: unresolvedStatement("the document is not a JSON object (invalid JSON)"), condition: undefined },
    ]);
  }

  private statementsOf(r: ResourceEntry, attribute: string, doc: Record<string, unknown>): void {
    this.addStatements(r, attribute, documentStatements(doc));
  }

  /** Plan documents unknown until apply that the configuration sets: unresolved statements. */
  private unknownDocuments(r: ResourceEntry): void {
    const docs = DOCUMENT_ATTRIBUTES[r.type];
    if (!docs || r.unknown.length === 0) return;
    const heads = DOCUMENT_HEADS[r.type];
    for (const u of r.unknown) {
      const dot = u.indexOf(".");
      if (u !== "*" && !heads.has(dot < 0 ? u : u.slice(0, dot))) continue;
      if (r.defaults.includes(u)) continue;
      const segs = u === "*" ? [] : u.split(".");
      if (!docs.some((d) => documentCovers(d, segs))) continue;
      const attribute = u === "*" ? docs[0] : u;
      // `policy = data.aws_iam_policy_document.p.json`: the statements are the document's (the
      // reference edge leads there), even when its read is deferred to apply.
      const plain = attribute.replace(/\.\d+(?=\.|$)/g, "");
      const named = r.references.filter((x) => x.attribute === plain).map((x) => x.address);
      if (named.length && named.every((a) => isPolicyDocument(a) && this.resources[a])) continue;
      this.addStatements(r, attribute, [
        {
          facts: unresolvedStatement(
            named.length
              ? `the document is known only after apply: the configuration computes it (jsonencode or a template) from ${named.join(", ")}, so its statements are not in the plan`
              : "the document is known only after apply, and the configuration names nothing in this input it is built from",
          ),
          condition: undefined,
        },
      ]);
    }
  }

  /**
   * `data.aws_iam_policy_document`: its `json` when known, else its statement blocks. A deferred
   * read (every first apply of a new bucket) holds lists with unknown elements: the known
   * literals are kept, and an unknown element is explained by the block's configuration
   * references (the statement names every resource referenced there, edges `how: "reference"`).
   * It stays unresolved only when nothing in the input explains it (a local, no reference).
   */
  private policyDocument(r: ResourceEntry): void {
    const v = r.values;
    const unknown = new Set(r.unknown);
    if (isKnown(v.json)) {
      this.document(r, v.json, "json");
      return;
    }
    const refs = new Map<string, string[]>();
    for (const ref of r.references) push(refs, ref.attribute, ref.address);
    let any = false;
    for (const attr of ["source_policy_documents", "override_policy_documents"]) {
      const list = v[attr];
      if (Array.isArray(list)) {
        list.forEach((x, i) => {
          if (typeof x !== "string") return;
          any = true;
          this.document(r, x, `${attr}.${i}`);
        });
      }
      if (unknown.has(attr) || r.unknown.some((u) => u.startsWith(`${attr}.`))) {
        any = true;
        // Another policy document's json: its statements are that document's (the reference edge leads there).
        const named = refs.get(attr) ?? [];
        if (named.length && named.every((a) => isPolicyDocument(a) && this.resources[a])) continue;
        this.addStatements(r, attr, [
          { facts: unresolvedStatement(`${attr} is known only after apply${fromText(named)}`), condition: undefined },
        ]);
      }
    }
    if (Array.isArray(v.statement)) {
      v.statement.forEach((b, i) => {
        any = true;
        const at = `statement.${i}`;
        const open = r.unknown.filter((u) => u === at || u.startsWith(`${at}.`)).map((u) => u.slice(at.length + 1));
        this.deferredStatement(r, at, b, open, refs);
      });
    }
    if (unknown.has("statement") || unknown.has("*") || (!any && unknown.has("json"))) {
      this.addStatements(r, unknown.has("statement") ? "statement" : "json", [
        { facts: unresolvedStatement("the document is known only after apply"), condition: undefined },
      ]);
    }
  }

  /** True when a reference target can stand for an unknown element: a resource of this input (not a local, an opaque module or an unread data source). */
  private explains(address: string): boolean {
    return this.resources[address] !== undefined;
  }

  /** One statement block of a policy document not read at plan; `open`: its unknown paths, relative. */
  private deferredStatement(
    r: ResourceEntry,
    at: string,
    b: unknown,
    open: string[],
    refs: Map<string, string[]>,
  ): void {
    if (open.length === 0 || !isObject(b)) {
      this.addStatements(r, at, [{ facts: blockStatement(b), condition: undefined }]);
      return;
    }
    if (open.includes("")) {
      this.addStatements(r, at, [
        { facts: unresolvedStatement("the statement is known only after apply"), condition: undefined },
      ]);
      return;
    }
    const args = new Set(open.map((u) => u.split(".")[0]));
    // The known part: unknown list elements (null in the plan) left out, unknown arguments null.
    const known: Record<string, unknown> = {};
    for (const k in b) {
      const x = b[k];
      if (args.has(k) && !Array.isArray(x)) known[k] = null;
      else if (args.has(k) && LIST_ARGS.has(k)) known[k] = (x as unknown[]).filter((e) => typeof e === "string");
      else known[k] = x;
    }
    const facts = blockStatement(known);
    if (facts.unresolved !== null) {
      this.addStatements(r, at, [{ facts, condition: undefined }]);
      return;
    }
    const why: string[] = [];
    const explained: { part: "resource" | "not_resource" | "principal" | "condition"; to: string[] }[] = [];
    for (const a of [...args].sort()) {
      const list = refs.get(`${at}.${a}`) ?? [];
      if (a === "principals" || a === "not_principals") {
        const named = refs.get(`${at}.${a}.identifiers`) ?? [];
        const unexplained = named.length === 0 || named.some((x) => !this.explains(x));
        if (unexplained) why.push(`${a} known only after apply${fromText(named, this.resources)}`);
        explained.push({ part: "principal", to: named });
      } else if (a === "resources" || a === "not_resources") {
        const unexplained = list.length === 0 || list.some((x) => !this.explains(x));
        if (unexplained) why.push(`${a} known only after apply${fromText(list, this.resources)}`);
        explained.push({ part: a === "resources" ? "resource" : "not_resource", to: list });
        facts[a] = Array.isArray(known[a]) ? (known[a] as string[]) : null;
      } else if (a === "condition") {
        // Conditions only narrow a statement: an unknown value changes no grant (has_condition stays true).
        facts.has_condition = true;
        const named = refs.get(`${at}.condition.values`) ?? [];
        explained.push({ part: "condition", to: named });
      } else if (a === "sid") {
        facts.sid = null;
      } else {
        // effect, actions, not_actions: nothing in the configuration can say what they hold.
        why.push(`${a} known only after apply`);
        if (a === "effect") facts.effect = null;
        if (a === "actions" || a === "not_actions") facts[a] = null;
      }
    }
    if (why.length) facts.unresolved = why.join("; ");
    const index = this.statements.length;
    this.addStatements(r, at, [{ facts, condition: undefined }]);
    for (const { part, to } of explained) {
      for (const address of to) {
        if (address.startsWith("local.") || address === r.address) continue;
        this.edge({ from: r.address, to: address, attribute: at, how: "reference", statement: index, part });
      }
    }
  }

  private addStatements(
    r: ResourceEntry,
    attribute: string,
    list: { facts: StatementFacts; condition: unknown }[],
  ): void {
    for (const { facts, condition } of list) {
      const index = this.statements.length;
      this.statements.push({ policy: r.address, attribute, index, ...facts });
      const site = (part: Edge["part"]): Site => ({ attribute, leaf: "", statement: index, part });
      const first = this.edges.length;
      for (const res of facts.resources ?? []) this.statementValue(r, res, site("resource"));
      for (const res of facts.not_resources ?? []) this.statementValue(r, res, site("not_resource"));
      if (this.edges.length > first) this.markWhole(first, facts);
      for (const p of [...principalArns(facts.principals), ...principalArns(facts.not_principals)])
        this.statementValue(r, p, site("principal"));
      if (isObject(condition)) this.walkJson(r, condition, site("condition"), "");
    }
  }

  /**
   * Sets `whole` on the Resource / NotResource edges added since `first` whose target the
   * statement's literal patterns name together with everything under it (`b` and `b/*`, `b*`,
   * `table/t` and `table/t/*`): only such a Deny removes access, only such a NotResource excludes it.
   */
  private markWhole(first: number, facts: StatementFacts): void {
    if (!this.candidates) this.buildCandidates();
    const compiled = new Map<string, { parts: ArnParts; res: RegExp }[]>();
    const patterns = (list: string[] | null) => {
      const key = (list ?? []).join("\u0000");
      let c = compiled.get(key);
      if (!c) {
        c = [];
        for (const p of list ?? []) {
          if (p === "*") {
            c.push({ parts: { partition: "*", service: "*", region: "*", account: "*", resource: "*" }, res: /^/ });
            continue;
          }
          const parts = patternParts(p);
          if (parts && !hasTemplate(p)) c.push({ parts, res: globRegExp(parts.resource) });
        }
        compiled.set(key, c);
      }
      return c;
    };
    for (let k = first; k < this.edges.length; k++) {
      const e = this.edges[k];
      if (e.part !== "resource" && e.part !== "not_resource") continue;
      if (e.how === "reference" || e.how === "cross-stack") continue;
      const c = this.candidateOf.get(e.to);
      if (!c) continue;
      const list = patterns(e.part === "resource" ? facts.resources : facts.not_resources);
      const fits = list.filter(({ parts }) => this.fieldsCover(parts, c));
      const child = `${c.resource}/\u0001`;
      if (fits.some((x) => x.res.test(c.resource)) && fits.some((x) => x.res.test(child))) e.whole = true;
    }
  }

  /** True when a pattern's partition, service, region and account fields surely match a candidate. */
  private fieldsCover(p: ArnParts, c: Candidate): boolean {
    const field = (pat: string, v: string | null, fallback: boolean) =>
      pat === "*" || (v === null ? fallback : hasWildcard(pat) ? globRegExp(pat).test(v) : pat === v);
    return (
      field(p.partition, c.partition, true) &&
      (p.service === "*" || p.service === c.service) &&
      field(p.region, c.region, false) &&
      field(p.account, c.account, this.accounts.size === 1 && this.accounts.has(p.account))
    );
  }

  private statementValue(r: ResourceEntry, s: string, site: Site): void {
    if (s === "*") return;
    if (this.config && hasTemplate(s)) {
      for (const ref of expressionRefs(s)) {
        if (ref.kind === "resource" && this.resources[ref.address] && ref.address !== r.address)
          this.edge(this.siteEdge(r, site, ref.address, "reference"));
      }
      return;
    }
    if (s.startsWith("arn:")) this.arn(r, s, site);
  }

  // ---- edges --------------------------------------------------------------------------------

  private siteEdge(r: ResourceEntry, site: Site, to: string, how: EdgeHow): Edge {
    const e: Edge = { from: r.address, to, attribute: attributeOf(site), how };
    if (site.statement !== undefined) {
      e.statement = site.statement;
      e.part = site.part;
    }
    return e;
  }

  /** Adds an edge from the resource being scanned unless it is there already (also as a reference). */
  private edge(e: Edge): void {
    if (e.statement === undefined && this.scanning && this.scanning.references.length) {
      if (!this.referenced) {
        this.referenced = new Set(this.scanning.references.map((x) => `${x.address}\u0000${x.attribute}`));
      }
      if (this.referenced.has(`${e.to}\u0000${e.attribute.replace(/\.\d+(?=\.|$)/g, "")}`)) return;
    }
    const k = `${e.to}\u0000${e.attribute}\u0000${e.how}\u0000${e.statement ?? ""}\u0000${e.part ?? ""}`;
    if (this.edgeKeys.has(k)) return;
    this.edgeKeys.add(k);
    this.edges.push(e);
  }

  /** A type's own identifying attributes: `arn`, `id` and its name attributes. */
  private identityOf(type: string): Set<string> {
    let s = this.identities.get(type);
    if (!s) {
      s = new Set([...OWN_ATTRIBUTES, ...(NAME_ATTRIBUTES[type] ?? ["name"])]);
      this.identities.set(type, s);
    }
    return s;
  }

  // ---- name hints -------------------------------------------------------------------------

  private tokensOfKey(key: string): string[] {
    let t = this.keyTokens.get(key);
    if (!t) {
      t = key
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((x) => x !== "" && !GENERIC_TOKENS.has(x) && !/^\d+$/.test(x));
      this.keyTokens.set(key, t);
    }
    return t;
  }

  /** The key that hints at a value's kind: `k`, or the enclosing one when `k` is generic (`iam_instance_profile.0.name`). */
  private leafOf(k: string, parent: string): string {
    return this.tokensOfKey(k).length || parent === "" ? k : parent;
  }

  /** How many of a key's words the type's name shares. */
  private hints(tokens: string[], type: string): number {
    let t = this.typeTokens.get(type);
    if (!t) {
      t = new Set(type.split("_").filter((x) => !GENERIC_TOKENS.has(x)));
      this.typeTokens.set(type, t);
    }
    let n = 0;
    for (const x of tokens) if (t.has(x)) n++;
    return n;
  }
}

// ---- helpers ------------------------------------------------------------------------------

/** True for the address of a `data.aws_iam_policy_document` (in any module). */
function isPolicyDocument(address: string): boolean {
  return /^(?:module\.[^.]+(?:\[[^\]]*\])?\.)*data\.aws_iam_policy_document\./.test(address);
}

/** Statement block arguments that are lists of strings (unknown elements are null in a plan). */
const LIST_ARGS = new Set(["actions", "not_actions", "resources", "not_resources"]);

/** ` (from a, b)`: what the configuration builds an unknown value from, for `unresolved` texts. */
function fromText(named: string[], resources?: Record<string, ResourceEntry>): string {
  if (named.length === 0) return "; the configuration names no resource of this input it is built from";
  const locals = named.filter((x) => x.startsWith("local."));
  if (locals.length) return `; it is built from ${locals.join(", ")}, whose value the plan does not record`;
  const missing = resources ? named.filter((x) => !resources[x]) : [];
  if (missing.length) return `; it is built from ${missing.join(", ")}, which this input does not hold`;
  return ` (built from ${named.join(", ")})`;
}

/** A Map from string to values that stores a single value without an array (most keys have one). */
class MultiMap<V extends object> {
  private readonly m = new Map<string, V | V[]>();

  add(k: string, v: V): void {
    const cur = this.m.get(k);
    if (cur === undefined) this.m.set(k, v);
    else if (Array.isArray(cur)) cur.push(v);
    else this.m.set(k, [cur, v]);
  }

  get(k: string): V[] | undefined {
    const cur = this.m.get(k);
    return cur === undefined ? undefined : Array.isArray(cur) ? cur : [cur];
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function isKnown(v: unknown): v is string {
  return typeof v === "string" && v !== "" && !v.includes("${");
}

/** A value that can name a resource: not short, generic, a region, a number or free text. */
function nameable(s: string): boolean {
  return s.length >= 3 && !STOP_VALUES.has(s) && !REGION_LIKE.test(s) && !/^\d+$/.test(s) && !/\s/.test(s);
}

/** A value specific enough to link without a hint from its key (`acme-kr-train-2026`, not `train`). */
function specific(s: string): boolean {
  return s.length >= 8 && /[-_.\d/]/.test(s);
}

function preferManaged(list: ResourceEntry[]): ResourceEntry[] {
  return list.some((c) => c.mode === "managed") ? list.filter((c) => c.mode === "managed") : list;
}

/** Claims of the resources a value names: managed before data sources, names before ids. */
function claimsOf(byName: ResourceEntry[] | undefined, byId: ResourceEntry[] | undefined): Claim[] {
  const out: Claim[] = [];
  const managed = (r: ResourceEntry) => (r.mode === "managed" ? 2 : 0);
  for (const r of byName ?? []) out.push({ address: r.address, type: r.type, rank: managed(r) + 1, how: "name" });
  for (const r of byId ?? []) out.push({ address: r.address, type: r.type, rank: managed(r), how: "id" });
  return out;
}

/** Attributes holding a resource's own ARN. */
const ARN_ATTRIBUTES = ["arn", "arn_without_revision"];
const DEFAULT_NAMES = ["name"];

function tryJson(s: string): unknown {
  const last = s.charCodeAt(s.length - 1);
  if (last !== 125 /* } */ && last !== 93 /* ] */ && !/[\]}]\s*$/.test(s)) return undefined;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** The ARN and its shorter forms at `/` and `:` boundaries of the resource part (objects, indexes, versions). */
function arnPrefixes(a: string, parts: ArnParts): string[] {
  const out = [a];
  const start = a.length - parts.resource.length;
  for (let i = a.length - 1; i > start; i--) {
    const c = a.charCodeAt(i);
    if (c === 47 /* / */ || c === 58 /* : */) out.push(a.slice(0, i));
  }
  return out;
}

function resourcePrefixes(resource: string): string[] {
  const out = [resource];
  for (let i = resource.length - 1; i > 0; i--) {
    const c = resource.charCodeAt(i);
    if (c === 47 || c === 58) out.push(resource.slice(0, i));
  }
  return out;
}

/** Pattern fields; missing trailing fields of a pattern ending in `*` (`arn:aws:s3:*`) are wildcards. */
function patternParts(p: string): ArnParts | null {
  const parsed = parseArn(p);
  if (parsed) return parsed;
  if (!p.startsWith("arn:") || !p.endsWith("*")) return null;
  const f = p.slice(4).split(":");
  while (f.length < 5) f.push("*");
  return {
    partition: f[0] || "*",
    service: f[1] || "*",
    region: f[2],
    account: f[3],
    resource: f.slice(4).join(":") || "*",
  };
}

/** The resource pattern and its cuts at `/` (`b/*` also matches bucket `b`, `table/t/index/*` table `t`). */
function resourcePatterns(resource: string): string[] {
  const out = [resource];
  for (let i = resource.indexOf("/"); i > 0; i = resource.indexOf("/", i + 1)) out.push(resource.slice(0, i));
  return out;
}

/** The part of a resource pattern before its first wildcard, cut at its first `/`. */
function literalPrefix(resource: string): string {
  let end = resource.length;
  for (const ch of ["*", "?", "/"]) {
    const i = resource.indexOf(ch);
    if (i >= 0 && i < end) end = i;
  }
  return resource.slice(0, end);
}

/** Index range of candidates (sorted by resource) whose resource starts with `prefix`. */
function prefixRange(list: Candidate[], prefix: string): [number, number] {
  if (prefix === "") return [0, list.length];
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].resource < prefix) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < list.length && list[end].resource.startsWith(prefix)) end++;
  return [lo, end];
}

/** True when a pattern's wildcard can stand for other resources (not only objects or sub-resources of one). */
function identityWildcard(p: ArnParts): boolean {
  if (hasWildcard(p.partition) || hasWildcard(p.service) || hasWildcard(p.region) || hasWildcard(p.account))
    return true;
  if (p.service === "s3" && p.region === "" && p.account === "") return hasWildcard(p.resource.split("/")[0]);
  return p.resource.split(/[/:]/).slice(0, 2).some(hasWildcard);
}

/** `arn:aws:states:::sagemaker:createTrainingJob.sync`: a Step Functions service integration, not a resource. */
function serviceIntegration(p: ArnParts): boolean {
  return p.service === "states" && p.region === "" && p.account === "";
}

function noRegion(detail: string): ResolvedLocation {
  return { cloud: "aws", region: null, source: "unresolved", detail };
}

function arnLocation(p: ArnParts, key: string): ResolvedLocation {
  if (p.region === "") {
    return noRegion(
      p.service === "s3"
        ? `${key} names an S3 bucket that is not in this input; S3 ARNs carry no region`
        : `${key} has no region field (${p.service} is global or the ARN does not say)`,
    );
  }
  if (hasWildcard(p.region)) return noRegion(`the region field of ${key} is a wildcard`);
  return { cloud: "aws", region: p.region, source: "resource-region", detail: `region field of the ARN ${key}` };
}

function attributeOf(site: Site): string {
  return site.attribute ?? site.path!.join(".");
}

/** True when a value path (list indices as numbers) is one of a type's document attributes. */
function isDocumentPath(docs: readonly (readonly string[])[], path: (string | number)[]): boolean {
  for (const segs of docs) {
    if (segs.length !== path.length) continue;
    let ok = true;
    for (let i = 0; i < segs.length && ok; i++)
      ok = segs[i] === "*" ? typeof path[i] === "number" : segs[i] === path[i];
    if (ok) return true;
  }
  return false;
}

/** True when an unknown path is a document attribute or contains one (`inline_policy` unknown as a whole). */
function documentCovers(d: string, unknown: string[]): boolean {
  const segs = d.split(".");
  if (unknown.length > segs.length) return false;
  for (let i = 0; i < unknown.length; i++) {
    if (segs[i] === "*" ? !/^\d+$/.test(unknown[i]) : segs[i] !== unknown[i]) return false;
  }
  return true;
}
