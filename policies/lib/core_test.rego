# Unit tests of the shared helpers in core.rego and network.rego: `rego-wasm test policies/`
# (run by `npm test`). Data and input are given per test with `with`, as `opa test` users write it.
package residency_guard.lib_test

import data.residency_guard.lib

settings := {"locations": {"allowed": {"aws": ["ap-northeast-2"], "azure": ["koreacentral", "koreasouth"]}}}

plan := {"resources": {
	"aws_s3_bucket.data": {
		"type": "aws_s3_bucket",
		"action": "create",
		"values": {"bucket": "d", "tags": {"DataClassification": "personal"}},
		"unknown": [],
		"references": [],
	},
	"aws_s3_bucket.old": {
		"type": "aws_s3_bucket",
		"action": "delete",
		"values": {},
		"unknown": [],
		"references": [],
	},
	"aws_instance.gpu": {
		"type": "aws_instance",
		"action": "create",
		"values": {
			"tenancy": "dedicated",
			"network_interfaces": [{"associate_public_ip_address": "true"}],
			"ebs_block_device": [{"encrypted": true, "kms_key_id": ""}],
		},
		"unknown": ["subnet_id"],
		"references": [{"attribute": "iam_instance_profile", "address": "aws_iam_instance_profile.p"}],
	},
}}

# ---------- resources ----------

test_live_skips_deleted_resources if {
	addrs := {a | some a, _ in lib.live} with input as plan
	addrs == {"aws_s3_bucket.data", "aws_instance.gpu"}
}

test_of_type_groups_live_resources if {
	lib.of_type("aws_s3_bucket") == {"aws_s3_bucket.data"} with input as plan
	lib.of_type("aws_lambda_function") == set() with input as plan
}

test_incoming_indexes_references if {
	lib.incoming["aws_iam_instance_profile.p"] == {{
		"address": "aws_instance.gpu",
		"attribute": "iam_instance_profile",
		"type": "aws_instance",
	}} with input as plan
	lib.referrers("aws_iam_instance_profile.p", "aws_instance") == {"aws_instance.gpu"} with input as plan
	lib.referrers("aws_iam_instance_profile.p", "aws_s3_bucket") == set() with input as plan
}

# ---------- values ----------

test_blocks_accepts_lists_and_single_objects if {
	lib.blocks([{"a": 1}, "x", {"b": 2}]) == {{"a": 1}, {"b": 2}}
	lib.blocks({"a": 1}) == {{"a": 1}}
	not lib.blocks("x")
}

test_path_values_walks_nested_blocks if {
	v := {"a": [{"b": {"c": 1}}, {"b": [{"c": 2}]}], "d": 3}
	lib.path_values(v, ["d"]) == {3}
	lib.path_values(v, ["a", "b", "c"]) == {1, 2}
	lib.path_values(v, ["missing"]) == set()
}

test_nonempty if {
	lib.nonempty("x")
	lib.nonempty([1])
	lib.nonempty({"k": 1})
	lib.nonempty(true)
	not lib.nonempty("")
	not lib.nonempty([])
	not lib.nonempty({})
	not lib.nonempty(false)
	not lib.nonempty(null)
}

test_set_at_counts_values_unknowns_and_references if {
	r := plan.resources["aws_instance.gpu"]
	lib.set_at(r, ["tenancy"])
	lib.set_at(r, ["subnet_id"])
	lib.set_at(r, ["iam_instance_profile"])
	not lib.set_at(r, ["ebs_block_device", "kms_key_id"])
	lib.set_at(r, ["ebs_block_device", "encrypted"])
}

test_lists_and_sets if {
	lib.in_list("b", ["a", "b"])
	not lib.in_list("c", ["a", "b"])
	lib.lowered(["A", 1, "b"]) == {"a", "b"}
	lib.smallest({"b", "a", "c"}) == "a"
	lib.list_text({"b", "a"}) == "a, b"
}

# ---------- locations ----------

test_allowed_region_normalizes_case_and_spaces if {
	lib.allowed_region("aws", "AP-Northeast-2") with data.residency_guard.settings as settings
	lib.allowed_region("azure", "Korea South") with data.residency_guard.settings as settings
	not lib.allowed_region("aws", "us-east-1") with data.residency_guard.settings as settings
	not lib.allowed_region("google", "asia-northeast3") with data.residency_guard.settings as settings
}

test_unknown_location_is_never_allowed if {
	loc := {"cloud": "aws", "region": "ap-northeast-2", "source": "unknown-at-plan", "detail": "var.region"}
	not lib.allowed_location(loc) with data.residency_guard.settings as settings
	lib.location_text(loc) == "an unknown location (unknown-at-plan: var.region)"
}

test_known_location_text if {
	loc := {"cloud": "aws", "region": "ap-northeast-2", "source": "provider", "detail": ""}
	lib.allowed_location(loc) with data.residency_guard.settings as settings
	lib.location_text(loc) == "aws ap-northeast-2"
}

test_allowed_text if {
	lib.allowed_text("azure") == "koreacentral, koreasouth" with data.residency_guard.settings as settings
	lib.allowed_text("oci") == "none configured" with data.residency_guard.settings as settings
}

test_arn_region if {
	lib.arn_region("arn:aws:backup:us-east-1:123456789012:backup-vault:v") == "us-east-1"
	not lib.arn_region("arn:aws:iam::123456789012:role/r")
	not lib.arn_region("not-an-arn")
}

# ---------- network.rego ----------

test_truthy_and_falsy_accept_strings if {
	lib.truthy(true)
	lib.truthy("true")
	not lib.truthy("yes")
	lib.falsy(false)
	lib.falsy("false")
	not lib.falsy(null)
}

test_dedicated_tenancy if {
	lib.dedicated_tenancy("dedicated")
	lib.dedicated_tenancy("host")
	not lib.dedicated_tenancy("default")
}

test_public_ip_on_a_network_interface_is_a_public_path if {
	count(lib.public_path["aws_instance.gpu"]) > 0 with input as plan
}
