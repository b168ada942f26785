# METADATA
# title: Module contents cannot be judged
# description: >-
#   A JSON configuration or cdktf stack calls a module whose resources are not in the document
#   (only a plan shows them). Training workloads or personal data inside it cannot be placed, so
#   the guard fails closed instead of passing what it cannot see.
# custom:
#   id: residency/opaque-module
#   level: mandatory
#   remediation: >-
#     Judge a plan instead (`terraform plan -out tfplan && terraform show -json tfplan`), which lists
#     the module's resources, or waive this finding for a module known to hold no training workload
#     or personal data.
#   profiles: [kr-localization, risk-based]
package residency_guard.rules.residency.opaque_module

import future.keywords.not

id := "residency/opaque-module"

violations contains v if {
	some m in input.opaque_modules
	v := {
		"rule": id,
		"address": m.address,
		"lineage": [],
		"message": concat("", [
			"Module ", m.address, " (source ", source_text(m), ") is called, but its resources are not in this ",
			"document, so the guard cannot tell where its workloads run or whether they use personal data."
		])
	}
}

source_text(m) := m.source if is_string(m.source)

source_text(m) := "unknown" if not is_string(m.source)
