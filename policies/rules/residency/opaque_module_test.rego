package residency_guard.rules.residency.opaque_module_test

import data.residency_guard.rules.residency.opaque_module as rule
import data.residency_guard.test_support as ts

with_modules(ms) := object.union(ts.doc({}, []), {"opaque_modules": ms})

test_a_module_whose_resources_are_not_visible_is_a_violation if {
	vs := rule.violations with input as with_modules([{"address": "module.train", "source": "./modules/train"}])
	[v] := [v | some v in vs]
	v.address == "module.train"
	contains(v.message, "(source ./modules/train)")
}

test_a_module_without_a_known_source_says_so if {
	vs := rule.violations with input as with_modules([{"address": "module.x", "source": null}])
	[v] := [v | some v in vs]
	contains(v.message, "(source unknown)")
}

test_no_opaque_module_no_violation if {
	count(rule.violations) == 0 with input as with_modules([])
}
