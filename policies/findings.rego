# METADATA
# title: residency-guard findings
# description: >-
#   The single entrypoint `residency_guard/findings`: every rule's violations for the profile
#   selected in data.residency_guard.settings.profile, with the level from the rule metadata
#   (data.residency_guard.settings.rules, loaded from the METADATA blocks) and waivers applied.
#   Title, remediation and location are not repeated in each finding: the engine takes them
#   from the same metadata and the input (at 10k resources they were a third of the result).
package residency_guard

import data.residency_guard.settings

# Every rule package, by id. A rule missing here never runs: test/policies/manifest.test.ts
# checks this list against the files in policies/rules/.
violations contains v if {
	some v in data.residency_guard.rules.residency.personal_training_outside_korea.violations
}

violations contains v if {
	some v in data.residency_guard.rules.residency.personal_store_outside_korea.violations
}

violations contains v if {
	some v in data.residency_guard.rules.residency.unresolved_location.violations
}

violations contains v if {
	some v in data.residency_guard.rules.residency.bedrock_customization_region.violations
}

violations contains v if {
	some v in data.residency_guard.rules.residency.opaque_module.violations
}

violations contains v if {
	some v in data.residency_guard.rules.residency.unresolved_data_access.violations
}

violations contains v if {
	some v in data.residency_guard.rules.residency.unclassified_data.violations
}

violations contains v if {
	some v in data.residency_guard.rules.private_cloud.personal_training_shared_infrastructure.violations
}

violations contains v if {
	some v in data.residency_guard.rules.cross_border.personal_data_replicated_abroad.violations
}

violations contains v if {
	some v in data.residency_guard.rules.cross_border.bedrock_cross_region_inference.violations
}

violations contains v if {
	some v in data.residency_guard.rules.safeguards.customer_managed_key.violations
}

violations contains v if {
	some v in data.residency_guard.rules.safeguards.public_access.violations
}

violations contains v if {
	some v in data.residency_guard.rules.safeguards.in_transit_encryption.violations
}

violations contains v if {
	some v in data.residency_guard.rules.safeguards.access_logging.violations
}

violations contains v if {
	some v in data.residency_guard.rules.sector.regulated_network_isolation.violations
}

violations contains v if {
	some v in data.residency_guard.rules.sector.regulated_access_logging.violations
}

violations contains v if {
	some v in data.residency_guard.rules.sector.regulated_key_rotation.violations
}

# Rule metadata; a rule without metadata keeps the strictest level (fail closed).
meta(rule) := m if m := settings.rules[rule]

level(rule) := meta(rule).level

level(rule) := "mandatory" if not meta(rule)

# A rule runs in the selected profile when its metadata lists it; without metadata it always runs.
in_profile(rule) if meta(rule).profiles[_] == settings.profile

in_profile(rule) if not meta(rule)

# ---------- waivers ----------
# Waivers were validated (shape, dates, expiry) by src/core/waivers.ts; `address_regex` is the
# anchored regular expression of the `address` glob.
waiver_matches(w, v) if {
	w.rule == v.rule
	regex.match(w.address_regex, v.address)
	waiver_in_stack(w)
}

# A waiver with a stack applies only to that cdktf stack's document (stacks built from one
# construct share addresses); `stack` is null for a waiver that applies everywhere.
waiver_in_stack(w) if w.stack == null

waiver_in_stack(w) if w.stack == input.source.stack

waiver_index(v) := i if {
	some i, w in settings.waivers
	waiver_matches(w, v)
	not earlier_waiver(i, v)
}

earlier_waiver(i, v) if {
	some j, w in settings.waivers
	j < i
	waiver_matches(w, v)
}

# The finding for violation v: waived by the first matching waiver, else a violation.
decorate(v) := {
	"rule": v.rule,
	"level": level(v.rule),
	"status": "waived",
	"waiver": waiver(settings.waivers[i]),
	"address": v.address,
	"lineage": v.lineage,
	"message": v.message,
	"profile": settings.profile
} if {
	count(settings.waivers) > 0
	i := waiver_index(v)
}

decorate(v) := {
	"rule": v.rule,
	"level": level(v.rule),
	"status": "violation",
	"address": v.address,
	"lineage": v.lineage,
	"message": v.message,
	"profile": settings.profile
} if {
	not waived(v)
}

waived(v) if {
	count(settings.waivers) > 0
	waiver_index(v)
}

waiver(w) := {"reason": w.reason, "approver": w.approver, "expires": w.expires, "pattern": w.address}

# Defined only when the policy data is loaded: an undefined result is an error for the engine,
# never an empty pass.
findings := {f |
	some v in violations
	in_profile(v.rule)
	f := decorate(v)
} if {
	is_string(settings.profile)
	is_object(settings.locations.allowed)
	is_array(settings.waivers)
	is_object(input.resources)
}
