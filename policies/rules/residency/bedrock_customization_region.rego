# METADATA
# title: Bedrock model customization is not offered in Korea
# description: >-
#   A Bedrock custom model (fine-tuning or continued pre-training) uses personal data and is
#   placed in an allowed Korean region, but Bedrock offers model customization only in the
#   Regions listed in the policy data (US Regions today): the job cannot run there, and moving
#   it to a supported Region would take the personal data out of Korea.
# custom:
#   id: residency/bedrock-customization-region
#   level: advisory
#   remediation: >-
#     Fine-tune on infrastructure available in Korea (for example SageMaker or EC2 GPU instances
#     in ap-northeast-2), or customize the Bedrock model only with pseudonymized data.
#   profiles: [kr-localization]
package residency_guard.rules.residency.bedrock_customization_region

import future.keywords.not

import data.residency_guard.lib

id := "residency/bedrock-customization-region"

violations contains v if {
	some addr, lineage in lib.personal_training
	r := lib.live[addr]
	r.type == "aws_bedrock_custom_model"
	lib.allowed_location(r.location)
	not lib.in_list(r.location.region, lib.settings.bedrock.customization_regions)
	v := {
		"rule": id,
		"address": addr,
		"lineage": lineage,
		"message": concat("", [
			"Bedrock custom model ", addr, " uses personal data (", lib.personal_text(addr), ") in ",
			r.location.region, ", but Bedrock model customization is offered only in ",
			concat(", ", lib.settings.bedrock.customization_regions), "."
		])
	}
}
