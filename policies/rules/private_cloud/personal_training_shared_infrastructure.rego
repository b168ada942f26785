# METADATA
# title: Personal-data training not on private cloud infrastructure
# description: >-
#   A training workload that uses personal data does not run on private infrastructure as the
#   policy data reads it: `isolated` (no public IPs or internet-facing endpoints, VPC-only
#   placement, direct internet access off, network isolation where the service has it) or
#   `dedicated` (dedicated tenancy, dedicated hosts or Outposts, and no public network path).
#   Managed services that offer neither are reported, not passed.
# custom:
#   id: private-cloud/personal-training-shared-infrastructure
#   level: mandatory
#   remediation: >-
#     Run the workload in private subnets of your VPC with public IPs and direct internet access
#     turned off and network isolation on (or on dedicated tenancy / Outposts when the
#     `dedicated` reading applies), or train on pseudonymized data.
#   profiles: [kr-localization]
package residency_guard.rules.private_cloud.personal_training_shared_infrastructure

import data.residency_guard.lib

id := "private-cloud/personal-training-shared-infrastructure"

violations contains v if {
	some addr, lineage in lib.personal_training
	gaps := lib.private_gaps(addr)
	count(gaps) > 0
	v := {
		"rule": id,
		"address": addr,
		"lineage": lineage,
		"message": concat("", [
			"Training workload ", addr, " uses personal data (", lib.personal_text(addr),
			") but is not on private infrastructure (reading: ", lib.settings.private_cloud.reading, "): it ",
			concat("; it ", sort([g | some g in gaps])), "."
		])
	}
}
