# Safeguard checks for personal-data stores and workloads: keys, public access, transit encryption, logging.
package residency_guard.lib

import future.keywords.not

kms_key_resource(addr) if in_list(live[addr].type, settings.safeguards.kms_key_types)

# The provider chooses the value at path p (unknown at plan, no expression): the reader lists it
# in `defaults`. For a key path that means an AWS-managed key.
defaulted(r, p) if {
	some d in r.defaults
	attr_key(d) == concat(".", p)
}

# An AWS-managed key named explicitly (`alias/aws/s3`, `arn:aws:kms:...:alias/aws/ebs`).
aws_managed_at(r, p) if {
	some x in path_values(r.values, p)
	is_string(x)
	contains(x, "alias/aws/")
}

# A key AWS manages for a service, named by its ARN or id (`data.aws_kms_key` reports key_manager = "AWS").
aws_managed_at(r, p) if {
	some x in path_values(r.values, p)
	is_string(x)
	aws_managed_key_values[x]
}

# ARNs and ids of the keys the input shows as AWS-managed (key_manager is a data source attribute).
aws_managed_key_values contains x if {
	some a in of_type("aws_kms_key")
	values := live[a].values
	values.key_manager == "AWS"
	some k in ["arn", "id"]
	x := values[k]
	is_string(x)
}

# r (or a companion resource that references it) names a customer-managed key at one of the type's key paths.
cmk_at(r, spec) if {
	some p in spec.key_paths
	set_at(r, p)
	not defaulted(r, p)
	not aws_managed_at(r, p)
}

# Encryption at rest turned off: a flag set to false, or left to a provider default that is off.
encryption_off(addr) := concat("", ["encryption at rest is off (", concat(".", p), " = false)"]) if {
	spec := settings.safeguards.encryption[live[addr].type]
	some p in object.get(spec, "enabled_paths", [])
	some x in path_values(live[addr].values, p)
	falsy(x)
} else := concat("", ["encryption at rest is off (", concat(".", p), " is not set and defaults to false)"]) if {
	r := live[addr]
	spec := settings.safeguards.encryption[r.type]
	some p in object.get(spec, "default_off_paths", [])
	not set_at(r, p)
}

# Why addr has no customer-managed key, for messages.
cmk_gap(addr) := encryption_off(addr)

cmk_gap(addr) := "is encrypted with an AWS-managed key (its key argument is left to the provider or names alias/aws/...)" if {
	not encryption_off(addr)
	r := live[addr]
	spec := settings.safeguards.encryption[r.type]
	some p in spec.key_paths
	defaulted_or_aws(r, p)
}

cmk_gap(addr) := "is not encrypted at rest with a customer-managed KMS key" if {
	not encryption_off(addr)
	r := live[addr]
	spec := settings.safeguards.encryption[r.type]
	not any_defaulted_or_aws(r, spec)
}

defaulted_or_aws(r, p) if defaulted(r, p)

defaulted_or_aws(r, p) if aws_managed_at(r, p)

any_defaulted_or_aws(r, spec) if {
	some p in spec.key_paths
	defaulted_or_aws(r, p)
}

customer_managed_key(addr) if {
	spec := settings.safeguards.encryption[live[addr].type]
	not encryption_off(addr)
	cmk_at(live[addr], spec)
}

customer_managed_key(addr) if {
	spec := settings.safeguards.encryption[live[addr].type]
	not encryption_off(addr)
	some t in spec.via
	some companion in referrers(addr, t)
	cmk_at(live[companion], spec)
}

encryption_judged(addr) if settings.safeguards.encryption[live[addr].type]

# ---------- public access ----------

all_true(obj, keys) if {
	every k in keys {
		obj[k] == true
	}
}

public_access_block_keys := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

s3_public_access_blocked(bucket) if {
	some pab in referrers(bucket, "aws_s3_bucket_public_access_block")
	all_true(live[pab].values, public_access_block_keys)
}

s3_public_access_blocked(_) if account_public_access_blocked

account_public_access_blocked if {
	some a in of_type("aws_s3_account_public_access_block")
	r := live[a]
	all_true(r.values, public_access_block_keys)
}

# address -> what leaves it open to the public.
public_exposure[addr] contains "has no aws_s3_bucket_public_access_block with all four settings true (nor an account-level block)" if {
	some addr in of_type("aws_s3_bucket")
	r := live[addr]
	not s3_public_access_blocked(addr)
}

public_exposure[addr] contains "is not placed in a VPC (vpc_options), so its endpoint is public" if {
	some addr in of_type("aws_opensearch_domain")
	r := live[addr]
	count(blocks(r.values.vpc_options)) == 0
}

public_exposure[addr] contains text if {
	some addr, texts in public_path
	data_store(addr)
	some text in texts
}

public_exposure[addr] contains text if {
	some addr, texts in public_path
	training[addr]
	some text in texts
}

# ---------- encryption in transit ----------

secure_transport_text(x) if {
	is_string(x)
	contains(x, "aws:SecureTransport")
}

s3_secure_transport(bucket) if {
	some pol in referrers(bucket, "aws_s3_bucket_policy")
	secure_transport_text(live[pol].values.policy)
}

# A bucket policy built from an aws_iam_policy_document data source.
s3_secure_transport(bucket) if {
	some pol in referrers(bucket, "aws_s3_bucket_policy")
	some ref in live[pol].references
	doc := live[ref.address]
	doc.type == "aws_iam_policy_document"
	policy_document_secure_transport(doc)
}

policy_document_secure_transport(doc) if secure_transport_text(doc.values.json)

policy_document_secure_transport(doc) if {
	some st in blocks(doc.values.statement)
	some c in blocks(st.condition)
	c.variable == "aws:SecureTransport"
}

# address -> what lets data travel unencrypted.
transit_gap[addr] contains "has no bucket policy that denies requests without aws:SecureTransport" if {
	some addr in of_type("aws_s3_bucket")
	r := live[addr]
	not s3_secure_transport(addr)
}

transit_gap[addr] contains "does not enable transit_encryption_enabled" if {
	some addr in of_type("aws_elasticache_replication_group")
	r := live[addr]
	not truthy(r.values.transit_encryption_enabled)
}

transit_gap[addr] contains "does not enforce HTTPS (domain_endpoint_options.enforce_https)" if {
	some addr in of_type("aws_opensearch_domain")
	r := live[addr]
	not opensearch_https(r)
}

opensearch_https(r) if {
	some o in blocks(r.values.domain_endpoint_options)
	truthy(o.enforce_https)
}

transit_gap[addr] contains "does not encrypt traffic between nodes (node_to_node_encryption)" if {
	some addr in of_type("aws_opensearch_domain")
	r := live[addr]
	not opensearch_node_to_node(r)
}

opensearch_node_to_node(r) if {
	some o in blocks(r.values.node_to_node_encryption)
	truthy(o.enabled)
}

# ---------- access logging ----------

access_logging_judged(addr) if settings.safeguards.access_logging[live[addr].type]

access_logged(addr) if {
	spec := settings.safeguards.access_logging[live[addr].type]
	some t in spec.via
	count(referrers(addr, t)) > 0
}

access_logged(addr) if {
	spec := settings.safeguards.access_logging[live[addr].type]
	some p in spec.paths
	set_at(live[addr], p)
}

# ---------- keys ----------

# KMS keys declared in the input that protect addr: referenced by it, or by a companion encryption resource.
keys_of(addr) := union({direct, companions}) if {
	direct := {k |
		some ref in live[addr].references
		kms_key_resource(ref.address)
		k := ref.address
	}
	companions := {k |
		spec := settings.safeguards.encryption[live[addr].type]
		some t in spec.via
		some c in referrers(addr, t)
		some ref in live[c].references
		kms_key_resource(ref.address)
		k := ref.address
	}
}
