package residency_guard.rules.safeguards.public_access_test

import data.residency_guard.rules.safeguards.public_access as rule
import data.residency_guard.test_support as ts

bucket := ts.resource("aws_s3_bucket.d", ts.seoul, {"bucket": "d", "tags": ts.personal})

account_block := ts.resource("aws_s3_account_public_access_block.all", ts.seoul, {
	"block_public_acls": true, "block_public_policy": true,
	"ignore_public_acls": true, "restrict_public_buckets": true,
})

test_personal_bucket_without_public_access_block_is_a_violation if {
	vs := rule.violations with input as ts.doc({"aws_s3_bucket.d": bucket}, [])
		with data.residency_guard.settings as ts.settings
	[v] := [v | some v in vs]
	v.address == "aws_s3_bucket.d"
	contains(v.message, "has no aws_s3_bucket_public_access_block")
}

test_account_level_block_makes_the_bucket_compliant if {
	resources := {"aws_s3_bucket.d": bucket, "aws_s3_account_public_access_block.all": account_block}
	count(rule.violations) == 0 with input as ts.doc(resources, [])
		with data.residency_guard.settings as ts.settings
}

test_account_level_block_with_a_setting_off_does_not if {
	open := json.patch(account_block, [{"op": "replace", "path": "/values/restrict_public_buckets", "value": false}])
	resources := {"aws_s3_bucket.d": bucket, "aws_s3_account_public_access_block.all": open}
	count(rule.violations) == 1 with input as ts.doc(resources, [])
		with data.residency_guard.settings as ts.settings
}

test_bucket_without_personal_data_is_not_judged if {
	plain := ts.resource("aws_s3_bucket.d", ts.seoul, {"bucket": "d"})
	count(rule.violations) == 0 with input as ts.doc({"aws_s3_bucket.d": plain}, [])
		with data.residency_guard.settings as ts.settings
}
