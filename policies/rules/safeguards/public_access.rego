# METADATA
# title: Personal data reachable from the public internet
# description: >-
#   A personal-data store or training workload is open to the public: an S3 bucket without a
#   full public access block, a publicly accessible database, a public IP address, direct
#   internet access or a public endpoint.
# custom:
#   id: safeguards/public-access
#   level: mandatory
#   remediation: >-
#     Block public access (aws_s3_bucket_public_access_block with all four settings true),
#     set publicly_accessible = false, and place workloads in private subnets without public
#     IP addresses or direct internet access.
#   profiles: [kr-localization, risk-based]
package residency_guard.rules.safeguards.public_access

import data.residency_guard.lib

id := "safeguards/public-access"

violations contains v if {
	some addr, exposure in lib.public_exposure
	lineage := lib.personal[addr]
	texts := sort(exposure)
	v := {
		"rule": id,
		"address": addr,
		"lineage": lineage,
		"message": concat("", [
			addr, " holds or processes personal data (", lib.personal_text(addr), ") and ",
			concat("; it ", texts), "."
		])
	}
}
