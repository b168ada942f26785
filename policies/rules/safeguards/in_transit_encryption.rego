# METADATA
# title: Personal data may travel unencrypted
# description: >-
#   A personal-data store does not require encryption in transit: an S3 bucket without a bucket
#   policy denying requests where aws:SecureTransport is false, a cache without transit
#   encryption, a search domain without enforced HTTPS or node-to-node encryption.
# custom:
#   id: safeguards/in-transit-encryption
#   level: mandatory
#   remediation: >-
#     Add a bucket policy statement that denies s3:* when aws:SecureTransport is false, and turn
#     on the service's transit encryption settings.
#   profiles: [kr-localization, risk-based]
package residency_guard.rules.safeguards.in_transit_encryption

import data.residency_guard.lib

id := "safeguards/in-transit-encryption"

violations contains v if {
	some addr, gaps in lib.transit_gap
	lineage := lib.personal[addr]
	texts := sort(gaps)
	v := {
		"rule": id,
		"address": addr,
		"lineage": lineage,
		"message": concat("", [
			addr, " holds personal data (", lib.personal_text(addr), ") but ", concat("; it ", texts), "."
		])
	}
}
