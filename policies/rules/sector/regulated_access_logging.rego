# METADATA
# title: Regulated-sector personal data without access logging
# description: >-
#   A data store holding personal data of a regulated sector (healthcare, finance, critical
#   infrastructure) has no access logging. For these sectors logging is mandatory, not advisory.
# custom:
#   id: sector/regulated-access-logging
#   level: mandatory
#   remediation: >-
#     Enable access logging on the store (aws_s3_bucket_logging, enabled_cloudwatch_logs_exports,
#     log_publishing_options) and keep the logs in a separate, protected bucket.
#   profiles: [risk-based]
package residency_guard.rules.sector.regulated_access_logging

import data.residency_guard.lib

id := "sector/regulated-access-logging"

violations contains v if {
	some addr, lineage in lib.personal
	lib.data_store(addr)
	sector := lib.sector[addr]
	lib.access_logging_judged(addr)
	not lib.access_logged(addr)
	v := {
		"rule": id,
		"address": addr,
		"lineage": lineage,
		"message": concat("", [
			addr, " holds ", sector, " personal data (", lib.personal_text(addr),
			") but access to it is not logged."
		])
	}
}
