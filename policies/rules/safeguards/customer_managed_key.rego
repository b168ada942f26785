# METADATA
# title: Personal data not encrypted with a customer-managed key
# description: >-
#   A personal-data store or training workload is not encrypted at rest with a customer-managed
#   KMS key (AWS-owned or AWS-managed keys leave key control and audit with the provider). A key
#   argument left to the provider (unknown at plan without an expression) is an AWS-managed key,
#   and encryption turned off (`storage_encrypted = false`, or left to a default that is off)
#   fails too.
# custom:
#   id: safeguards/customer-managed-key
#   level: mandatory
#   remediation: >-
#     Create an aws_kms_key with rotation enabled and set it as the resource's key (for S3, an
#     aws_s3_bucket_server_side_encryption_configuration with sse_algorithm aws:kms and
#     kms_master_key_id).
#   profiles: [kr-localization, risk-based]
package residency_guard.rules.safeguards.customer_managed_key

import data.residency_guard.lib

id := "safeguards/customer-managed-key"

violations contains v if {
	some addr, lineage in lib.personal
	lib.encryption_judged(addr)
	judged(addr)
	not lib.customer_managed_key(addr)
	v := {
		"rule": id,
		"address": addr,
		"lineage": lineage,
		"message": concat("", [
			addr, " holds or processes personal data (", lib.personal_text(addr),
			") but ", cmk_text(addr), "."
		])
	}
}

# A companion resource (S3 encryption configuration) may hold the key: then no gap text applies.
cmk_text(addr) := lib.cmk_gap(addr)

cmk_text(addr) := "is not encrypted at rest with a customer-managed KMS key" if not lib.cmk_gap(addr)

judged(addr) if lib.data_store(addr)

judged(addr) if lib.training[addr]
