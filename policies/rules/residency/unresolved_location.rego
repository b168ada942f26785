# METADATA
# title: Location of personal-data training cannot be established
# description: >-
#   The region of a personal-data training workload, or of a personal-data store it uses, is
#   unknown until apply or stated nowhere (no region argument, provider without region, an
#   S3 ARN, which carries no Region). The guard fails closed: an unprovable location is a
#   violation, not a pass.
# custom:
#   id: residency/unresolved-location
#   level: mandatory
#   remediation: >-
#     State the region explicitly: set `region` on the provider configuration (or alias) the
#     resource uses, or on the resource itself, with a value known at plan time.
#   profiles: [kr-localization]
package residency_guard.rules.residency.unresolved_location

import future.keywords.not

import data.residency_guard.lib

id := "residency/unresolved-location"

judged[addr] := "training workload" if lib.personal_training[addr]

judged[addr] := "personal-data store used for training" if {
	lib.personal_store_used[addr]
	not lib.personal_training[addr]
}

violations contains v if {
	some addr, what in judged
	loc := lib.live[addr].location
	not lib.location_known(loc)
	v := {
		"rule": id,
		"address": addr,
		"lineage": lib.personal[addr],
		"message": concat("", [
			"The location of ", what, " ", addr, " (", lib.personal_text(addr), ") cannot be established: ",
			lib.location_text(loc), ". Without a known region the guard cannot show it stays in Korea."
		])
	}
}

# Personal stores outside this document whose location is unknown, reported at the workload.
unplaced[t] contains n if {
	some n, users in lib.personal_external_used
	not lib.location_known(lib.node_location(n))
	some t in users
}

violations contains v if {
	some t, stores in unplaced
	texts := sort([concat("", [n, " (", lib.location_text(lib.node_location(n)), ")"]) | some n in stores])
	v := {
		"rule": id,
		"address": t,
		"lineage": lib.node_lineage(t, stores),
		"message": concat("", [
			"Training workload ", t, " uses personal data held outside this document in ", concat(", ", texts),
			", whose location cannot be established."
		])
	}
}
