# METADATA
# title: Personal data sent to Bedrock cross-Region inference
# description: >-
#   A Bedrock resource or training workload that handles personal data names a cross-Region
#   (system-defined) inference profile at any depth of its arguments, embedded JSON documents
#   included: a model id or inference-profile ARN starting with a geographic prefix such as
#   `apac.` or `global.` (on Bedrock resources any such value; elsewhere an inference-profile
#   ARN or a `<prefix><provider>.` model id). Bedrock may route such requests, and the personal
#   data in them, to Regions outside Korea.
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

# A Bedrock resource: any string value may name the model (model_id, foundation_model, ...).
cross_region_id(x, bedrock) if {
	bedrock
	some prefix in lib.settings.bedrock.cross_region_prefixes
	startswith(x, prefix)
}

# Any resource: an inference-profile ARN, or a model id `<prefix><provider>.` (`apac.anthropic.`).
cross_region_id(x, _) if {
	some marker in profile_markers
	contains(x, marker)
}

cross_region_id(x, _) if {
	some start in model_id_starts
	startswith(x, start)
}

# Built once, not per string tested.
profile_markers := {concat("", ["inference-profile/", prefix]) | some prefix in lib.settings.bedrock.cross_region_prefixes}

model_id_starts := {concat("", [prefix, provider, "."]) |
	some prefix in lib.settings.bedrock.cross_region_prefixes
	some provider in lib.catalogue.bedrock.model_providers
}

bedrock_resource(addr) if startswith(lib.live[addr].type, "aws_bedrock")

# Resources judged: every Bedrock resource, and every personal training workload, whose
# definition or settings may name a model (data stores hold data, not model choices).
judged contains addr if {
	some t, addrs in lib.live_types
	startswith(t, "aws_bedrock")
	some addr in addrs
}

judged contains addr if some addr, _ in lib.personal_training

# addr -> "path = value" for every string naming a cross-Region inference profile, at any depth of
# a personal judged resource's values, embedded JSON documents included (lib.value_strings,
# filtered before paths are formatted: formatting every string's path was most of this rule's cost).
hits[addr] contains text if {
	some addr in judged
	lib.personal[addr]
	flag := bedrock_flag(addr)
	some s in cross_region_strings(lib.live[addr].values, flag)
	text := concat("", [s[0], " = ", s[1]])
}

cross_region_strings(values, flag) := {[lib.format_int_path(p), x] |
	walk(values, [p, x])
	is_string(x)
	cross_region_id(x, flag)
} | {[concat(".", [lib.format_int_path(p), lib.format_int_path(q)]), y] |
	walk(values, [p, x])
	doc := lib.embedded_json(x)
	walk(doc, [q, y])
	is_string(y)
	cross_region_id(y, flag)
}

bedrock_flag(addr) := true if bedrock_resource(addr)

bedrock_flag(addr) := false if not bedrock_resource(addr)

violations contains v if {
	some addr, found in hits
	texts := sort(found)
	v := {
		"rule": id,
		"address": addr,
		"lineage": lib.personal[addr],
		"message": concat("", [
			"Resource ", addr, " handles personal data (", lib.personal_text(addr),
			") through a cross-Region inference profile (", concat(", ", texts),
			"), which may process it outside Korea."
		])
	}
}
