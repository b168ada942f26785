// The data-access graph through the compiled policy: hand-written input documents in the shape
// of docs/data-access-graph.md (edges, external nodes, IAM statements, provider defaults), one
// semantic per case, each checked with the rule it changes and, where it matters, its lineage.

import type { Finding } from "../../src/core/findings";
import type { Guard } from "../../src/engine";
import type { GuardInput, ResolvedLocation, ResourceEntry } from "../../src/inputs/types";
import { testGuard } from "../helpers/policy";

let guard: Guard;
beforeAll(() => {
  guard = testGuard();
});

const loc = (region: string | null, source = "provider-config"): ResolvedLocation =>
  ({
    cloud: "aws",
    region,
    source,
    detail: region ? `provider "aws" (region = "${region}")` : "unknown",
  }) as ResolvedLocation;
const SEOUL = loc("ap-northeast-2");
const VIRGINIA = loc("us-east-1");
const PERSONAL = { DataClassification: "personal" };

interface Edge {
  from: string;
  to: string;
  attribute: string;
  how: string;
  statement?: number;
  part?: string;
  whole?: boolean;
}

interface Statement {
  effect?: "Allow" | "Deny";
  actions?: string[] | null;
  not_actions?: string[] | null;
  resources?: string[] | null;
  not_resources?: string[] | null;
  has_condition?: boolean;
  unresolved?: string | null;
  sid?: string | null;
  /** The edges name their targets whole (bucket and objects), as the reader marks them. */
  whole?: boolean;
  /** The targets are named by NotResource. */
  part?: "resource" | "not_resource";
}

/** A test document: resources by address, edges, external nodes and IAM statements. */
class Doc {
  resources: Record<string, ResourceEntry> = {};
  edges: Edge[] = [];
  external: Record<string, unknown> = {};
  iam_statements: unknown[] = [];

  add(address: string, p: Partial<ResourceEntry> & { defaults?: string[] } = {}): this {
    const [type, name] = address.split(".");
    this.resources[address] = {
      address,
      mode: "managed",
      type,
      name,
      index: null,
      module: "",
      construct_path: null,
      provider_config: "aws",
      action: "create",
      values: {},
      unknown: [],
      tags: {},
      references: [],
      location: SEOUL,
      source_file: null,
      source_line: null,
      defaults: [],
      ...p,
    } as ResourceEntry;
    return this;
  }

  link(from: string, to: string, attribute: string, how = "reference", statement?: number): this {
    this.edges.push({ from, to, attribute, how, ...(statement === undefined ? {} : { statement }) });
    if (how === "reference" && this.resources[from]) this.resources[from].references.push({ attribute, address: to });
    return this;
  }

  /** A policy document statement held by `policy`, linked to each resource it names. */
  statement(policy: string, s: Statement, targets: string[] = []): this {
    const index = this.iam_statements.length;
    this.iam_statements.push({
      policy,
      attribute: "policy",
      index,
      sid: s.sid ?? null,
      effect: s.effect ?? "Allow",
      actions: s.actions === undefined ? ["s3:GetObject"] : s.actions,
      not_actions: s.not_actions ?? null,
      resources: s.resources === undefined ? targets.map((t) => `arn:aws:s3:::${t}`) : s.resources,
      not_resources: s.not_resources ?? null,
      principals: null,
      has_condition: s.has_condition ?? false,
      unresolved: s.unresolved ?? null,
    });
    for (const t of targets) {
      this.link(policy, t, "policy", "arn", index);
      const e = this.edges[this.edges.length - 1];
      e.part = s.part ?? "resource";
      if (s.whole) e.whole = true;
    }
    return this;
  }

  ext(key: string, e: Record<string, unknown>): this {
    this.external[key] = { key, kind: "arn", cloud: "aws", name: null, location: loc(null, "unresolved"), ...e };
    return this;
  }

  build(): GuardInput {
    return {
      schema_version: "residency-guard/input/v1",
      source: {
        kind: "terraform-plan",
        file: "graph.json",
        stack: null,
        terraform_version: "1.9.8",
        format_version: "1.2",
      },
      resources: this.resources,
      edges: this.edges,
      external: this.external,
      iam_statements: this.iam_statements,
    } as unknown as GuardInput;
  }
}

const GPU = { instance_type: "p4d.24xlarge" };

/** A GPU instance in us-east-1 with a role; the role's reach is what each case varies. */
function trainer(): Doc {
  return new Doc()
    .add("aws_instance.gpu", { values: GPU, location: VIRGINIA })
    .add("aws_iam_instance_profile.gpu")
    .add("aws_iam_role.gpu")
    .link("aws_instance.gpu", "aws_iam_instance_profile.gpu", "iam_instance_profile")
    .link("aws_iam_instance_profile.gpu", "aws_iam_role.gpu", "role");
}

/** Adds an inline role policy on aws_iam_role.gpu. */
function rolePolicy(d: Doc, name = "aws_iam_role_policy.gpu"): Doc {
  return d.add(name).link(name, "aws_iam_role.gpu", "role");
}

const findings = (d: Doc, profile: "kr-localization" | "risk-based" = "kr-localization"): Finding[] =>
  guard.evaluate(d.build(), profile).findings;
const keys = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.address}`).sort();
const TRAIN_OUT = "residency/personal-training-outside-korea";
const has = (fs: Finding[], rule: string, address: string) => fs.some((f) => f.rule === rule && f.address === address);

describe("reachability at any depth", () => {
  it("follows instance -> profile -> role -> attachment -> policy -> policy document -> bucket", () => {
    const d = trainer()
      .add("aws_iam_role_policy_attachment.gpu")
      .add("aws_iam_policy.read")
      .add("data.aws_iam_policy_document.read", { mode: "data", action: "read" })
      .add("aws_s3_bucket.dataset", { tags: PERSONAL, values: { bucket: "dataset" } })
      .link("aws_iam_role_policy_attachment.gpu", "aws_iam_role.gpu", "role")
      .link("aws_iam_role_policy_attachment.gpu", "aws_iam_policy.read", "policy_arn")
      .link("aws_iam_policy.read", "data.aws_iam_policy_document.read", "policy")
      .statement("data.aws_iam_policy_document.read", { actions: ["s3:GetObject", "s3:ListBucket"] }, [
        "aws_s3_bucket.dataset",
      ]);
    const f = findings(d).find((x) => x.rule === TRAIN_OUT && x.address === "aws_instance.gpu")!;
    expect(f).toBeDefined();
    expect(f.lineage.map((s) => s.address)).toEqual([
      "aws_instance.gpu",
      "aws_iam_instance_profile.gpu",
      "aws_iam_role.gpu",
      "aws_iam_role_policy_attachment.gpu",
      "aws_iam_policy.read",
      "data.aws_iam_policy_document.read",
      "aws_s3_bucket.dataset",
    ]);
    expect(f.lineage[2].reason).toBe("is linked by aws_iam_role_policy_attachment.gpu via role");
    expect(f.lineage[5].reason).toMatch(/^allows s3:getobject on aws_s3_bucket\.dataset \(statement 0 of policy\)$/);
    expect(f.lineage[6].reason).toBe("tagged DataClassification=personal");
  });

  it("reports the shortest of several paths and survives cycles and a 40-hop chain", () => {
    const d = trainer().add("aws_s3_bucket.far", { tags: PERSONAL });
    // A chain of 40 generic resources from the role to the bucket, with back links (cycles).
    let prev = "aws_iam_role.gpu";
    for (let i = 0; i < 40; i++) {
      const a = `aws_ssm_parameter.p${i}`;
      d.add(a).link(prev, a, "tags_all.next").link(a, prev, "back");
      prev = a;
    }
    d.link(prev, "aws_s3_bucket.far", "value");
    let f = findings(d).find((x) => x.rule === TRAIN_OUT)!;
    expect(f.lineage).toHaveLength(44);
    // A shortcut from the role makes the lineage three hops.
    d.link("aws_iam_role.gpu", "aws_s3_bucket.far", "description", "name");
    f = findings(d).find((x) => x.rule === TRAIN_OUT)!;
    expect(f.lineage.map((s) => s.address)).toEqual([
      "aws_instance.gpu",
      "aws_iam_instance_profile.gpu",
      "aws_iam_role.gpu",
      "aws_s3_bucket.far",
    ]);
    expect(f.lineage[2].reason).toBe("names aws_s3_bucket.far (name) in description");
  });

  it("follows an FSx data repository association and an EKS pod identity association back from what they name", () => {
    const fsx = new Doc()
      .add("aws_instance.gpu", { values: GPU, location: VIRGINIA })
      .add("aws_fsx_lustre_file_system.scratch")
      .add("aws_fsx_data_repository_association.scratch")
      .add("aws_s3_bucket.dataset", { tags: PERSONAL })
      .link("aws_instance.gpu", "aws_fsx_lustre_file_system.scratch", "user_data", "id")
      .link("aws_fsx_data_repository_association.scratch", "aws_fsx_lustre_file_system.scratch", "file_system_id")
      .link("aws_fsx_data_repository_association.scratch", "aws_s3_bucket.dataset", "data_repository_path", "s3-uri");
    const f = findings(fsx).find((x) => x.rule === TRAIN_OUT)!;
    expect(f.lineage.map((s) => s.address)).toEqual([
      "aws_instance.gpu",
      "aws_fsx_lustre_file_system.scratch",
      "aws_fsx_data_repository_association.scratch",
      "aws_s3_bucket.dataset",
    ]);

    const eks = new Doc()
      .add("aws_eks_node_group.gpu", { location: VIRGINIA })
      .add("aws_eks_cluster.main", { location: VIRGINIA })
      .add("aws_eks_pod_identity_association.trainer", { location: VIRGINIA })
      .add("aws_iam_role.trainer")
      .add("aws_iam_role_policy.trainer")
      .add("aws_dynamodb_table.members", { tags: PERSONAL })
      .link("aws_eks_node_group.gpu", "aws_eks_cluster.main", "cluster_name")
      .link("aws_eks_pod_identity_association.trainer", "aws_eks_cluster.main", "cluster_name")
      .link("aws_eks_pod_identity_association.trainer", "aws_iam_role.trainer", "role_arn")
      .link("aws_iam_role_policy.trainer", "aws_iam_role.trainer", "role")
      .statement("aws_iam_role_policy.trainer", { actions: ["dynamodb:Query"], resources: ["arn:aws:dynamodb:*"] }, [
        "aws_dynamodb_table.members",
      ]);
    expect(has(findings(eks), TRAIN_OUT, "aws_eks_node_group.gpu")).toBe(true);
  });
});

describe("what does not carry personal data", () => {
  it("a shared KMS key, a subnet or a security group", () => {
    const d = new Doc()
      .add("aws_instance.gpu", { values: GPU, location: VIRGINIA })
      .add("aws_kms_key.shared")
      .add("aws_subnet.a")
      .add("aws_security_group.sg")
      .add("aws_s3_bucket.dataset", { tags: PERSONAL })
      .link("aws_instance.gpu", "aws_kms_key.shared", "root_block_device.kms_key_id")
      .link("aws_instance.gpu", "aws_subnet.a", "subnet_id")
      .link("aws_instance.gpu", "aws_security_group.sg", "vpc_security_group_ids")
      .link("aws_s3_bucket.dataset", "aws_kms_key.shared", "kms_key_id")
      .link("aws_s3_bucket.dataset", "aws_subnet.a", "tags_all")
      .link("aws_security_group.sg", "aws_s3_bucket.dataset", "description", "name");
    expect(findings(d).filter((f) => f.address === "aws_instance.gpu")).toEqual([]);
  });

  it("a role policy that also grants a personal bucket does not make another bucket it names personal", () => {
    const d = rolePolicy(trainer())
      .add("aws_s3_bucket.dataset", { tags: PERSONAL })
      .add("aws_s3_bucket.scratch")
      .statement("aws_iam_role_policy.gpu", {}, ["aws_s3_bucket.dataset", "aws_s3_bucket.scratch"]);
    const fs = findings(d, "risk-based");
    expect(fs.filter((f) => f.address === "aws_s3_bucket.scratch")).toEqual([]);
    expect(has(fs, "safeguards/customer-managed-key", "aws_s3_bucket.dataset")).toBe(true);
  });

  it("kms:Decrypt or s3:ListBucket alone grants no data", () => {
    const d = rolePolicy(trainer())
      .add("aws_s3_bucket.dataset", { tags: PERSONAL })
      .statement("aws_iam_role_policy.gpu", { actions: ["kms:Decrypt", "s3:ListBucket", "s3:GetBucketPolicy"] }, [
        "aws_s3_bucket.dataset",
      ]);
    expect(has(findings(d), TRAIN_OUT, "aws_instance.gpu")).toBe(false);
  });

  it("an explicit non-personal classification stops propagation through a store", () => {
    const d = rolePolicy(trainer())
      .add("aws_s3_bucket.extract", { tags: { DataClassification: "internal" } })
      .add("aws_s3_bucket.raw", { tags: PERSONAL })
      .statement("aws_iam_role_policy.gpu", {}, ["aws_s3_bucket.extract"])
      // The extract bucket names the raw bucket (e.g. in a notification or inventory configuration).
      .link("aws_s3_bucket.extract", "aws_s3_bucket.raw", "tags_all.source", "name");
    expect(has(findings(d), TRAIN_OUT, "aws_instance.gpu")).toBe(false);
    d.resources["aws_s3_bucket.extract"].tags = {};
    expect(has(findings(d), TRAIN_OUT, "aws_instance.gpu")).toBe(true);
  });
});

describe("IAM statements", () => {
  const base = () => rolePolicy(trainer()).add("aws_s3_bucket.dataset", { tags: PERSONAL });

  it("a policy document's reference carries only where no statement edge stands for it", () => {
    // The role policy is the document's json; the document references the bucket in statement 0.
    const doc = (deny: boolean, statementEdge: boolean) =>
      base()
        .add("data.aws_iam_policy_document.read", { mode: "data", type: "aws_iam_policy_document", name: "read" })
        .link("aws_iam_role_policy.gpu", "data.aws_iam_policy_document.read", "policy")
        .link("data.aws_iam_policy_document.read", "aws_s3_bucket.dataset", "statement.0.resources")
        .statement(
          "data.aws_iam_policy_document.read",
          { effect: deny ? "Deny" : "Allow", actions: ["s3:GetObject"] },
          statementEdge ? ["aws_s3_bucket.dataset"] : [],
        );
    // A Deny statement that names the bucket: the reference it explains gives no access.
    expect(has(findings(doc(true, true)), TRAIN_OUT, "aws_instance.gpu")).toBe(false);
    expect(has(findings(doc(false, true)), TRAIN_OUT, "aws_instance.gpu")).toBe(true);
    // No statement edge to the bucket (an ARN the reader cannot tie to it): the reference carries.
    expect(has(findings(doc(true, false)), TRAIN_OUT, "aws_instance.gpu")).toBe(true);
  });

  it("matches action wildcards case-insensitively", () => {
    for (const actions of [["s3:Get*"], ["S3:GETOBJ?CT"], ["s3:*"], ["*"], ["s3:*Object"]]) {
      const d = base().statement("aws_iam_role_policy.gpu", { actions }, ["aws_s3_bucket.dataset"]);
      expect([actions, has(findings(d), TRAIN_OUT, "aws_instance.gpu")]).toEqual([actions, true]);
    }
    const d = base().statement("aws_iam_role_policy.gpu", { actions: ["s3:List*", "dynamodb:*"] }, [
      "aws_s3_bucket.dataset",
    ]);
    expect(has(findings(d), TRAIN_OUT, "aws_instance.gpu")).toBe(false);
  });

  it("a Deny in the same document removes the grant; a conditional Deny does not", () => {
    const deny = base()
      .statement("aws_iam_role_policy.gpu", { actions: ["s3:GetObject"] }, ["aws_s3_bucket.dataset"])
      .statement("aws_iam_role_policy.gpu", { effect: "Deny", actions: ["s3:*"], whole: true }, [
        "aws_s3_bucket.dataset",
      ]);
    expect(has(findings(deny), TRAIN_OUT, "aws_instance.gpu")).toBe(false);
    // A Deny naming only part of the bucket (`b/private/*`, or the bucket without its objects) leaves the rest readable.
    const part = base()
      .statement("aws_iam_role_policy.gpu", { actions: ["s3:GetObject"] }, ["aws_s3_bucket.dataset"])
      .statement(
        "aws_iam_role_policy.gpu",
        { effect: "Deny", actions: ["s3:*"], resources: ["arn:aws:s3:::dataset/private/*"] },
        ["aws_s3_bucket.dataset"],
      );
    expect(has(findings(part), TRAIN_OUT, "aws_instance.gpu")).toBe(true);
    const conditional = base()
      .statement("aws_iam_role_policy.gpu", { actions: ["s3:GetObject"] }, ["aws_s3_bucket.dataset"])
      .statement("aws_iam_role_policy.gpu", { effect: "Deny", actions: ["s3:*"], has_condition: true, whole: true }, [
        "aws_s3_bucket.dataset",
      ]);
    expect(has(findings(conditional), TRAIN_OUT, "aws_instance.gpu")).toBe(true);
    const partial = base()
      .statement("aws_iam_role_policy.gpu", { actions: ["s3:GetObject", "s3:PutObject"] }, ["aws_s3_bucket.dataset"])
      .statement("aws_iam_role_policy.gpu", { effect: "Deny", actions: ["s3:PutObject"], whole: true }, [
        "aws_s3_bucket.dataset",
      ]);
    expect(has(findings(partial), TRAIN_OUT, "aws_instance.gpu")).toBe(true);
  });

  it("NotAction grants what it does not exclude; Resource * and NotResource grant every store of the service", () => {
    const notAction = base().statement(
      "aws_iam_role_policy.gpu",
      { actions: null, not_actions: ["iam:*"], resources: ["*"] },
      [],
    );
    expect(has(findings(notAction), TRAIN_OUT, "aws_instance.gpu")).toBe(true);
    const excludesS3 = base().statement("aws_iam_role_policy.gpu", {
      actions: null,
      not_actions: ["s3:*"],
      resources: ["*"],
    });
    expect(has(findings(excludesS3), TRAIN_OUT, "aws_instance.gpu")).toBe(false);
    const star = base().statement("aws_iam_role_policy.gpu", { actions: ["s3:GetObject"], resources: ["*"] });
    const f = findings(star).find((x) => x.rule === TRAIN_OUT)!;
    expect(f.lineage[f.lineage.length - 2].reason).toContain('on every s3 resource (statement 0, Resource "*")');
    const notResource = base().statement("aws_iam_role_policy.gpu", {
      actions: ["s3:GetObject"],
      resources: null,
      not_resources: ["arn:aws:s3:::other/*"],
    });
    expect(has(findings(notResource), TRAIN_OUT, "aws_instance.gpu")).toBe(true);
    // NotResource naming the personal bucket whole excludes it; naming only its objects under a prefix does not.
    const nr = (whole: boolean) =>
      base().statement(
        "aws_iam_role_policy.gpu",
        {
          actions: ["s3:GetObject"],
          resources: null,
          not_resources: ["arn:aws:s3:::dataset*"],
          part: "not_resource",
          whole,
        },
        ["aws_s3_bucket.dataset"],
      );
    expect(has(findings(nr(true)), TRAIN_OUT, "aws_instance.gpu")).toBe(false);
    expect(has(findings(nr(false)), TRAIN_OUT, "aws_instance.gpu")).toBe(true);
    // A Deny with NotResource covers every store its NotResource does not touch, and none it touches.
    const denyNr = (target: string[]) =>
      base()
        .statement("aws_iam_role_policy.gpu", { actions: ["s3:GetObject"] }, ["aws_s3_bucket.dataset"])
        .statement(
          "aws_iam_role_policy.gpu",
          {
            effect: "Deny",
            actions: ["s3:*"],
            resources: null,
            not_resources: ["arn:aws:s3:::dataset/public/*"],
            part: "not_resource",
          },
          target,
        );
    expect(has(findings(denyNr(["aws_s3_bucket.dataset"])), TRAIN_OUT, "aws_instance.gpu")).toBe(true);
    expect(has(findings(denyNr([])), TRAIN_OUT, "aws_instance.gpu")).toBe(false);
  });

  it("AWS-managed policies by ARN: listed ones grant their services, unknown ones fail closed", () => {
    const managed = (name: string) =>
      trainer()
        .add("aws_s3_bucket.dataset", { tags: PERSONAL, values: { bucket: "dataset" } })
        .add("aws_iam_role_policy_attachment.gpu")
        .ext(`arn:aws:iam::aws:policy/${name}`, { service: "iam", resource_type: "policy", name })
        .link("aws_iam_role_policy_attachment.gpu", "aws_iam_role.gpu", "role")
        .link("aws_iam_role_policy_attachment.gpu", `arn:aws:iam::aws:policy/${name}`, "policy_arn", "arn");
    expect(has(findings(managed("AmazonS3ReadOnlyAccess")), TRAIN_OUT, "aws_instance.gpu")).toBe(true);
    expect(keys(findings(managed("AmazonSSMManagedInstanceCore")))).not.toContain(`${TRAIN_OUT} aws_instance.gpu`);
    // SageMakerFullAccess reaches only buckets whose names contain "sagemaker".
    expect(has(findings(managed("AmazonSageMakerFullAccess")), TRAIN_OUT, "aws_instance.gpu")).toBe(false);
    const unknown = findings(managed("AmazonSomethingNewAccess"));
    const f = unknown.find((x) => x.rule === "residency/unresolved-data-access")!;
    expect(f.address).toBe("aws_instance.gpu");
    expect(f.level).toBe("mandatory");
    expect(f.message).toContain("AWS-managed policy");
  });

  it("an unresolved policy document is a finding for a workload abroad, not a pass", () => {
    const d = rolePolicy(trainer())
      .add("aws_s3_bucket.dataset", { tags: PERSONAL })
      .statement("aws_iam_role_policy.gpu", { actions: null, resources: null, unresolved: "unknown until apply" });
    const f = findings(d).find((x) => x.rule === "residency/unresolved-data-access")!;
    expect(f.message).toContain("unknown until apply");
    expect(f.lineage.map((s) => s.address)).toEqual([
      "aws_instance.gpu",
      "aws_iam_instance_profile.gpu",
      "aws_iam_role.gpu",
      "aws_iam_role_policy.gpu",
    ]);
    // In Seoul and private, the same workload would break no rule even with personal data.
    d.resources["aws_instance.gpu"].location = SEOUL;
    d.resources["aws_instance.gpu"].values = { ...GPU, associate_public_ip_address: false };
    expect(findings(d).some((x) => x.rule === "residency/unresolved-data-access")).toBe(false);
  });
});

describe("stores outside the document", () => {
  it("judges another stack's personal bucket with its own tags and location", () => {
    const other = {
      ...new Doc().add("aws_s3_bucket.shared", { tags: PERSONAL, location: VIRGINIA }).resources[
        "aws_s3_bucket.shared"
      ],
    };
    const d = rolePolicy(trainer())
      .ext("cross-stack:data:aws_s3_bucket.shared", {
        kind: "cross-stack",
        service: "s3",
        resource_type: "bucket",
        stack: "data",
        resource: other,
        location: VIRGINIA,
      })
      .statement("aws_iam_role_policy.gpu", {}, ["cross-stack:data:aws_s3_bucket.shared"]);
    d.resources["aws_instance.gpu"].location = SEOUL;
    const fs = findings(d);
    const f = fs.find((x) => x.rule === "residency/personal-store-outside-korea")!;
    expect(f.address).toBe("aws_instance.gpu");
    expect(f.message).toContain("cross-stack:data:aws_s3_bucket.shared (aws us-east-1)");
    expect(f.lineage[f.lineage.length - 1]).toEqual({
      address: "cross-stack:data:aws_s3_bucket.shared",
      reason: "tagged DataClassification=personal in stack data",
    });
  });

  it("reports a store named only by an ARN, with the Region the ARN carries, as unclassified", () => {
    const arn = "arn:aws:dynamodb:us-west-2:123456789012:table/members";
    const d = rolePolicy(trainer())
      .ext(arn, { service: "dynamodb", resource_type: "table", name: "members", location: loc("us-west-2", "arn") })
      .statement("aws_iam_role_policy.gpu", { actions: ["dynamodb:GetItem"], resources: [arn] }, []);
    d.link("aws_iam_role_policy.gpu", arn, "policy", "arn", 0);
    const f = findings(d).find((x) => x.rule === "residency/unclassified-data")!;
    expect(f.level).toBe("advisory");
    expect(f.address).toBe("aws_instance.gpu");
    expect(f.message).toContain(arn);
    expect(f.message).toContain("aws us-west-2");
  });
});

describe("tri-state encryption", () => {
  const db = (p: Partial<ResourceEntry> & { defaults?: string[] }) =>
    new Doc().add("aws_db_instance.members", { tags: PERSONAL, ...p }).add("aws_kms_key.db");
  const cmk = (d: Doc) => findings(d, "risk-based").find((f) => f.rule === "safeguards/customer-managed-key");

  it("an AWS-managed key (key left to the provider) fails", () => {
    const f = cmk(db({ values: { storage_encrypted: true }, unknown: ["kms_key_id"], defaults: ["kms_key_id"] }));
    expect(f?.message).toContain("AWS-managed key");
  });

  it("storage_encrypted = false, or left to its default, fails", () => {
    expect(cmk(db({ values: { storage_encrypted: false } }))?.message).toContain("storage_encrypted = false");
    expect(cmk(db({ values: {}, unknown: ["kms_key_id"], defaults: ["kms_key_id"] }))?.message).toContain(
      "defaults to false",
    );
  });

  it("a customer-managed key known only after apply passes", () => {
    const d = db({ values: { storage_encrypted: true }, unknown: ["kms_key_id"] }).link(
      "aws_db_instance.members",
      "aws_kms_key.db",
      "kms_key_id",
    );
    expect(cmk(d)).toBeUndefined();
  });
});

describe("trust policies", () => {
  it("an unreadable assume_role_policy hides no data access; a role it trusts can use the role's access", () => {
    const d = rolePolicy(trainer())
      .add("aws_s3_bucket.dataset", { tags: PERSONAL })
      .add("aws_s3_bucket.other")
      .statement("aws_iam_role_policy.gpu", {}, ["aws_s3_bucket.other"]);
    const trust = d.iam_statements.length;
    d.iam_statements.push({
      policy: "aws_iam_role.gpu",
      attribute: "assume_role_policy",
      index: trust,
      sid: null,
      effect: null,
      actions: null,
      not_actions: null,
      resources: null,
      not_resources: null,
      principals: null,
      has_condition: false,
      unresolved: "the document has no Statement",
    });
    expect(findings(d).filter((f) => f.address === "aws_instance.gpu")).toEqual([]);
    // aws_iam_role.data trusts aws_iam_role.gpu (named as principal): gpu may assume it.
    d.add("aws_iam_role.data")
      .add("aws_iam_role_policy.data")
      .link("aws_iam_role_policy.data", "aws_iam_role.data", "role")
      .statement("aws_iam_role_policy.data", {}, ["aws_s3_bucket.dataset"])
      .link("aws_iam_role.data", "aws_iam_role.gpu", "assume_role_policy", "arn");
    const f = findings(d).find((x) => x.rule === TRAIN_OUT)!;
    expect(f.lineage.map((s) => s.address)).toEqual([
      "aws_instance.gpu",
      "aws_iam_instance_profile.gpu",
      "aws_iam_role.gpu",
      "aws_iam_role.data",
      "aws_iam_role_policy.data",
      "aws_s3_bucket.dataset",
    ]);
  });
});

describe("IRSA", () => {
  it("a node group reaches the roles its cluster's OIDC provider may assume", () => {
    const d = new Doc()
      .add("aws_eks_node_group.gpu", { location: VIRGINIA })
      .add("aws_eks_cluster.main", { location: VIRGINIA })
      .add("aws_iam_openid_connect_provider.eks")
      .add("aws_iam_role.trainer")
      .add("aws_iam_role_policy.trainer")
      .add("aws_s3_bucket.dataset", { tags: PERSONAL })
      .link("aws_eks_node_group.gpu", "aws_eks_cluster.main", "cluster_name")
      .link("aws_iam_openid_connect_provider.eks", "aws_eks_cluster.main", "url")
      .link("aws_iam_role.trainer", "aws_iam_openid_connect_provider.eks", "assume_role_policy")
      .link("aws_iam_role_policy.trainer", "aws_iam_role.trainer", "role")
      .statement("aws_iam_role_policy.trainer", {}, ["aws_s3_bucket.dataset"]);
    const f = findings(d).find((x) => x.rule === TRAIN_OUT && x.address === "aws_eks_node_group.gpu")!;
    expect(f.lineage.map((s) => s.address)).toEqual([
      "aws_eks_node_group.gpu",
      "aws_eks_cluster.main",
      "aws_iam_openid_connect_provider.eks",
      "aws_iam_role.trainer",
      "aws_iam_role_policy.trainer",
      "aws_s3_bucket.dataset",
    ]);
  });
});
