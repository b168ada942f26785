package residency_guard.rules.residency.personal_training_outside_korea_test

import data.residency_guard.rules.residency.personal_training_outside_korea as rule
import data.residency_guard.test_support as ts

notebook(location, tags) := ts.doc(
	{"aws_sagemaker_notebook_instance.nb": ts.resource(
		"aws_sagemaker_notebook_instance.nb", location,
		{"instance_type": "ml.p3.2xlarge", "tags": tags},
	)},
	[],
)

test_personal_training_in_us_east_1_is_a_violation if {
	vs := rule.violations with input as notebook(ts.us_east, ts.personal)
		with data.residency_guard.settings as ts.settings
	[v] := [v | some v in vs]
	v.address == "aws_sagemaker_notebook_instance.nb"
	v.rule == "residency/personal-training-outside-korea"
	contains(v.message, "runs in aws us-east-1, outside the allowed locations (ap-northeast-2)")
}

test_personal_training_in_seoul_is_compliant if {
	count(rule.violations) == 0 with input as notebook(ts.seoul, ts.personal)
		with data.residency_guard.settings as ts.settings
}

test_training_without_personal_data_abroad_is_not_judged if {
	count(rule.violations) == 0 with input as notebook(ts.us_east, {})
		with data.residency_guard.settings as ts.settings
}

test_allowed_locations_come_from_policy_data if {
	settings := json.patch(ts.settings, [{"op": "add", "path": "/locations/allowed/aws/-", "value": "us-east-1"}])
	count(rule.violations) == 0 with input as notebook(ts.us_east, ts.personal)
		with data.residency_guard.settings as settings
}
