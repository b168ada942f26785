# METADATA
# title: Personal data sent to Bedrock cross-Region inference
# description: >-
#   A Bedrock resource that handles personal data names a cross-Region (system-defined)
#   inference profile: a model id or inference-profile ARN starting with a geographic prefix
#   such as `apac.` or `global.`. Bedrock may route such requests, and the personal data in
#   them, to Regions outside Korea.
# custom:
#   id: cross-border/bedrock-cross-region-inference
#   level: mandatory
#   remediation: >-
#     Use the in-Region model id (without a geographic prefix) in ap-northeast-2, or an
#     application inference profile that copies from that in-Region model.
#   profiles: [kr-localization]
package residency_guard.rules.cross_border.bedrock_cross_region_inference

import data.residency_guard.lib

id := "cross-border/bedrock-cross-region-inference"

cross_region_id(x) := prefix if {
	is_string(x)
	some prefix in lib.settings.bedrock.cross_region_prefixes
	startswith(x, prefix)
}

cross_region_id(x) := prefix if {
	is_string(x)
	some prefix in lib.settings.bedrock.cross_region_prefixes
	contains(x, concat("", ["inference-profile/", prefix]))
}

# [address, attribute, value]: string values up to three block levels deep.
model_refs contains [addr, k, x] if {
	some t, addrs in lib.live_types
	startswith(t, "aws_bedrock")
	some addr in addrs
	r := lib.live[addr]
	some k, x in r.values
	is_string(x)
}

model_refs contains [addr, concat(".", [k, k2]), x] if {
	some t, addrs in lib.live_types
	startswith(t, "aws_bedrock")
	some addr in addrs
	r := lib.live[addr]
	some k, v in r.values
	some b in lib.blocks(v)
	some k2, x in b
	is_string(x)
}

model_refs contains [addr, concat(".", [k, k2, k3]), x] if {
	some t, addrs in lib.live_types
	startswith(t, "aws_bedrock")
	some addr in addrs
	r := lib.live[addr]
	some k, v in r.values
	some b in lib.blocks(v)
	some k2, v2 in b
	some c in lib.blocks(v2)
	some k3, x in c
	is_string(x)
}

hits[addr] contains text if {
	some ref in model_refs
	addr := ref[0]
	lib.personal[addr]
	cross_region_id(ref[2])
	text := concat("", [ref[1], " = ", ref[2]])
}

violations contains v if {
	some addr, found in hits
	texts := sort(found)
	v := {
		"rule": id,
		"address": addr,
		"lineage": lib.personal[addr],
		"message": concat("", [
			"Bedrock resource ", addr, " handles personal data (", lib.personal_text(addr),
			") through a cross-Region inference profile (", concat(", ", texts),
			"), which may process it outside Korea."
		])
	}
}
