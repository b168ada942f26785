package residency_guard.rules.residency.unresolved_location_test

import data.residency_guard.rules.residency.unresolved_location as rule
import data.residency_guard.test_support as ts

notebook(location) := ts.doc(
	{"aws_sagemaker_notebook_instance.nb": ts.resource(
		"aws_sagemaker_notebook_instance.nb", location,
		{"instance_type": "ml.p3.2xlarge", "tags": ts.personal},
	)},
	[],
)

test_personal_training_in_an_unknown_region_is_a_violation if {
	vs := rule.violations with input as notebook(ts.unknown_region)
		with data.residency_guard.settings as ts.settings
	[v] := [v | some v in vs]
	v.address == "aws_sagemaker_notebook_instance.nb"
	contains(v.message, "cannot be established")
}

test_personal_training_in_a_known_region_is_compliant if {
	count(rule.violations) == 0 with input as notebook(ts.seoul)
		with data.residency_guard.settings as ts.settings
	count(rule.violations) == 0 with input as notebook(ts.us_east)
		with data.residency_guard.settings as ts.settings
}
