package residency_guard.rules.safeguards.access_logging_test

import data.residency_guard.rules.safeguards.access_logging as rule
import data.residency_guard.test_support as ts

bucket(tags) := ts.resource("aws_s3_bucket.d", ts.seoul, {"bucket": "d", "tags": tags})

test_personal_bucket_without_access_logging_is_a_violation if {
	vs := rule.violations with input as ts.doc({"aws_s3_bucket.d": bucket(ts.personal)}, [])
		with data.residency_guard.settings as ts.settings
	[v] := [v | some v in vs]
	v.address == "aws_s3_bucket.d"
	contains(v.message, "not logged")
}

test_bucket_without_personal_data_is_not_judged if {
	count(rule.violations) == 0 with input as ts.doc({"aws_s3_bucket.d": bucket({})}, [])
		with data.residency_guard.settings as ts.settings
}
