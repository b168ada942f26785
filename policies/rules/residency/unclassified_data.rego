# METADATA
# title: Training data whose classification cannot be resolved
# description: >-
#   A training workload reaches a data store whose classification the guard cannot resolve: a
#   store named only by ARN or S3 URI (its tags are not in the document), a store whose tags are
#   unknown until apply, or a classification value the policy data lists neither as personal nor
#   as non-personal. The store is not assumed personal, but it is reported rather than ignored.
#   Advisory: stores named by ARN are common (shared datasets of another account) and the plan
#   cannot show their tags; a mandatory level would fail every such plan without evidence.
# custom:
#   id: residency/unclassified-data
#   level: advisory
#   remediation: >-
#     Judge the stack that defines the store together with this one, tag the store with a
#     classification the policy data lists (settings.classification), or add the value to
#     personal_values or nonpersonal_values.
#   profiles: [kr-localization, risk-based]
package residency_guard.rules.residency.unclassified_data

import future.keywords.not

import data.residency_guard.lib

id := "residency/unclassified-data"

violations contains v if {
	some t, stores in lib.unclassified_reached
	texts := sort([concat("", [n, " ", lib.classification_unresolved[n], where(n)]) | some n in stores])
	v := {
		"rule": id,
		"address": t,
		"lineage": lib.node_lineage(t, stores),
		"message": concat("", [
			"Training workload ", t, " uses data whose classification cannot be resolved: ", concat("; ", texts), "."
		])
	}
}

where(n) := concat("", [" (", lib.location_text(lib.node_location(n)), ")"]) if lib.location_known(lib.node_location(n))

where(n) := "" if not lib.location_known(lib.node_location(n))
