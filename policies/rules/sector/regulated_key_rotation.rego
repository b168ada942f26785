# METADATA
# title: Regulated-sector personal data under a key without rotation
# description: >-
#   A data store holding personal data of a regulated sector (healthcare, finance, critical
#   infrastructure) is encrypted with a customer-managed KMS key whose automatic rotation is
#   off. For these sectors the key must rotate.
# custom:
#   id: sector/regulated-key-rotation
#   level: mandatory
#   remediation: >-
#     Set enable_key_rotation = true on the aws_kms_key (optionally with
#     rotation_period_in_days), or move the data to a key that rotates.
#   profiles: [risk-based]
package residency_guard.rules.sector.regulated_key_rotation

import future.keywords.not

import data.residency_guard.lib

id := "sector/regulated-key-rotation"

violations contains v if {
	some addr, lineage in lib.personal
	lib.data_store(addr)
	sector := lib.sector[addr]
	keys := {k |
		some k in lib.keys_of(addr)
		lib.live[k].type == "aws_kms_key"
		not lib.truthy(lib.live[k].values.enable_key_rotation)
	}
	count(keys) > 0
	v := {
		"rule": id,
		"address": addr,
		"lineage": lineage,
		"message": concat("", [
			addr, " holds ", sector, " personal data (", lib.personal_text(addr), ") under KMS key(s) ",
			lib.list_text(keys), " without automatic rotation (enable_key_rotation)."
		])
	}
}
