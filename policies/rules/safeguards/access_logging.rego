# METADATA
# title: Access to personal data is not logged
# description: >-
#   A personal-data store has no access logging (S3 server access logging, database log
#   exports, search-domain log publishing), so access to the data cannot be audited.
# custom:
#   id: safeguards/access-logging
#   level: advisory
#   remediation: >-
#     Enable access logging: aws_s3_bucket_logging for buckets, enabled_cloudwatch_logs_exports
#     for databases, log_publishing_options for OpenSearch.
#   profiles: [kr-localization, risk-based]
package residency_guard.rules.safeguards.access_logging

import data.residency_guard.lib

id := "safeguards/access-logging"

violations contains v if {
	some addr, lineage in lib.personal
	lib.data_store(addr)
	lib.access_logging_judged(addr)
	not lib.access_logged(addr)
	v := {
		"rule": id,
		"address": addr,
		"lineage": lineage,
		"message": concat("", [
			addr, " holds personal data (", lib.personal_text(addr),
			") but access to it is not logged."
		])
	}
}
