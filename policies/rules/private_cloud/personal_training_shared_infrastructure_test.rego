package residency_guard.rules.private_cloud.personal_training_shared_infrastructure_test

import data.residency_guard.rules.private_cloud.personal_training_shared_infrastructure as rule
import data.residency_guard.test_support as ts

notebook(tags) := ts.doc(
	{"aws_sagemaker_notebook_instance.nb": ts.resource(
		"aws_sagemaker_notebook_instance.nb", ts.seoul,
		{"instance_type": "ml.p3.2xlarge", "tags": tags},
	)},
	[],
)

test_personal_notebook_with_internet_access_outside_a_vpc_is_a_violation if {
	vs := rule.violations with input as notebook(ts.personal)
		with data.residency_guard.settings as ts.settings
	[v] := [v | some v in vs]
	v.address == "aws_sagemaker_notebook_instance.nb"
	contains(v.message, "direct internet access")
	contains(v.message, "not placed in a VPC subnet")
}

test_notebook_without_personal_data_is_not_judged if {
	count(rule.violations) == 0 with input as notebook({})
		with data.residency_guard.settings as ts.settings
}
