# METADATA
# title: Data access of a training workload cannot be read
# description: >-
#   A training workload outside the allowed locations, or off private infrastructure, reaches a
#   policy whose data access the guard cannot read: a policy document unknown until apply or
#   invalid, an IAM role or customer-managed policy outside this document, or an AWS-managed
#   policy the policy data does not list. The document holds personal data, so the workload
#   might use it: the guard fails closed instead of passing what it cannot see.
# custom:
#   id: residency/unresolved-data-access
#   level: mandatory
#   remediation: >-
#     Make the policy readable at plan time: a policy written as jsonencode(...) over ARNs known only
#     after apply (a new bucket's arn) hides every statement, so build it with data
#     "aws_iam_policy_document" instead (its statements are read at plan, and an unknown ARN in
#     them is read through the resource it references), or from ARNs known at plan (the bucket
#     name, a data source); reference resources directly rather than through locals. Otherwise
#     judge the stack that defines the role together with this one, list the AWS-managed policy in
#     settings.graph.managed_policies, or waive the finding with the reason the workload cannot
#     reach personal data.
#   profiles: [kr-localization]
package residency_guard.rules.residency.unresolved_data_access

import future.keywords.not

import data.residency_guard.lib

id := "residency/unresolved-data-access"

# Only where it could change a verdict: personal data exists, and the workload would break a
# location or private-infrastructure rule if it used it.
exposed(t) if not lib.allowed_location(lib.live[t].location)

exposed(t) if count(lib.private_gaps(t)) > 0

violations contains v if {
	count(lib.personal_nodes) > 0
	some t, nodes in lib.unresolved_reached
	not lib.personal_training[t]
	exposed(t)
	texts := sort([concat("", [n, " ", r]) | some n in nodes; some r in lib.unresolved_access[n]])
	v := {
		"rule": id,
		"address": t,
		"lineage": lib.node_lineage(t, nodes),
		"message": concat("", [
			"Training workload ", t, " runs in ", lib.location_text(lib.live[t].location),
			" and reaches data access the guard cannot read: ", concat("; ", texts),
			". This document holds personal data, so the workload may use it."
		])
	}
}
