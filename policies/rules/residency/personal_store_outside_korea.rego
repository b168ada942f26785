# METADATA
# title: Personal-data store used for training outside Korea
# description: >-
#   A data store holding personal data that a training workload uses is placed outside the
#   allowed Korean locations, so the training data itself leaves Korea. A store outside this
#   document (another stack's resource, or an ARN that carries its Region) is judged with its own
#   tags and location and reported at the workload that uses it.
# custom:
#   id: residency/personal-store-outside-korea
#   level: mandatory
#   remediation: >-
#     Keep the training data in a store in a Korean region, or copy a pseudonymized extract
#     instead of the personal data.
#   profiles: [kr-localization]
package residency_guard.rules.residency.personal_store_outside_korea

import data.residency_guard.lib

id := "residency/personal-store-outside-korea"

violations contains v if {
	some addr, users in lib.personal_store_used
	loc := lib.live[addr].location
	lib.location_known(loc)
	not lib.allowed_location(loc)
	v := {
		"rule": id,
		"address": addr,
		"lineage": lib.personal[addr],
		"message": concat("", [
			"Data store ", addr, " holds personal data (", lib.personal_text(addr), ") used by training workload(s) ",
			lib.list_text(users), " but is in ", lib.location_text(loc), ", outside the allowed locations (",
			lib.allowed_text(loc.cloud), ")."
		])
	}
}

# Stores outside this document: one finding per workload, naming each store abroad.
abroad[t] contains n if {
	some n, users in lib.personal_external_used
	loc := lib.node_location(n)
	lib.location_known(loc)
	not lib.allowed_location(loc)
	some t in users
}

violations contains v if {
	some t, stores in abroad
	texts := sort([concat("", [n, " (", lib.location_text(lib.node_location(n)), ")"]) | some n in stores])
	v := {
		"rule": id,
		"address": t,
		"lineage": lib.node_lineage(t, stores),
		"message": concat("", [
			"Training workload ", t, " uses personal data held outside this document in ", concat(", ", texts),
			", outside the allowed locations (", lib.allowed_text("aws"), ")."
		])
	}
}
