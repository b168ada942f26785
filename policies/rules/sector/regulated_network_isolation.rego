# METADATA
# title: Regulated-sector personal-data workload not network-isolated
# description: >-
#   A training workload that uses personal data from a regulated sector (healthcare, finance,
#   critical infrastructure: a sector tag on the workload or on its data) must run isolated
#   from the public internet: VPC-only placement, no public IPs, no direct internet access, and
#   network isolation where the service has it. The risk-based profile applies this wherever
#   the workload runs.
# custom:
#   id: sector/regulated-network-isolation
#   level: mandatory
#   remediation: >-
#     Place the workload in private subnets with public IPs and direct internet access off and
#     enable the service's network isolation (VpcOnly, vpc_config, EnableNetworkIsolation).
#   profiles: [risk-based]
package residency_guard.rules.sector.regulated_network_isolation

import data.residency_guard.lib

id := "sector/regulated-network-isolation"

gaps(addr) := union({lib.path_texts(addr), lib.isolation_texts(addr)})

violations contains v if {
	some addr, lineage in lib.personal_training
	sector := lib.sector[addr]
	texts := gaps(addr)
	count(texts) > 0
	v := {
		"rule": id,
		"address": addr,
		"lineage": lineage,
		"message": concat("", [
			"Training workload ", addr, " uses ", sector, " personal data (", lib.personal_text(addr),
			") but is not network-isolated: it ", concat("; it ", sort([t | some t in texts])), "."
		])
	}
}
