# METADATA
# title: Personal-data training outside Korea
# description: >-
#   A training workload that uses personal data (tagged, or reaching tagged data through its
#   references) is placed in a region outside the allowed Korean locations. Korea's AI Action
#   Plan allows training on non-pseudonymized personal data only on servers located in Korea.
# custom:
#   id: residency/personal-training-outside-korea
#   level: mandatory
#   remediation: >-
#     Place the workload in a Korean region (AWS ap-northeast-2, Azure koreacentral/koreasouth,
#     Google asia-northeast3, OCI ap-seoul-1/ap-chuncheon-1), or pseudonymize the data and
#     remove its personal classification.
#   profiles: [kr-localization]
package residency_guard.rules.residency.personal_training_outside_korea

import data.residency_guard.lib

id := "residency/personal-training-outside-korea"

violations contains v if {
	some addr, lineage in lib.personal_training
	loc := lib.live[addr].location
	lib.location_known(loc)
	not lib.allowed_location(loc)
	v := {
		"rule": id,
		"address": addr,
		"lineage": lineage,
		"message": concat("", [
			"Training workload ", addr, " uses personal data (", lib.personal_text(addr), ") but runs in ",
			lib.location_text(loc), ", outside the allowed locations (", lib.allowed_text(loc.cloud), ")."
		])
	}
}
