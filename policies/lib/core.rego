# Shared helpers: policy data, the resources judged, locations and message text.
package residency_guard.lib

import future.keywords.not

settings := data.residency_guard.settings

# Resources judged as placed: deleted resources are leaving and are not judged.
live[addr] := r if {
	some addr, r in input.resources
	r.action != "delete"
}

# type -> addresses of the live resources of that type, grouped once: a rule judging one type
# looks its resources up here instead of scanning every live resource.
live_types[t] contains addr if {
	some addr, r in live
	t := r.type
}

# Addresses of the live resources of type t (empty when none).
of_type(t) := live_types[t]

of_type(t) := set() if not live_types[t]

# Nested Terraform blocks come as arrays of objects (plans) or as a single object (JSON configuration).
blocks(v) := {b | some b in v; is_object(b)} if is_array(v)

blocks(v) := {v} if is_object(v)

# Values at a path of attribute and block names (block lists are iterated), up to five steps.
path_values(v, p) := s if {
	count(p) == 1
	s := {x | x := v[p[0]]}
}

path_values(v, p) := s if {
	count(p) == 2
	s := {x | some b in blocks(v[p[0]]); x := b[p[1]]}
}

path_values(v, p) := s if {
	count(p) == 3
	s := {x | some b in blocks(v[p[0]]); some c in blocks(b[p[1]]); x := c[p[2]]}
}

path_values(v, p) := s if {
	count(p) == 4
	s := {x |
		some b in blocks(v[p[0]])
		some c in blocks(b[p[1]])
		some d in blocks(c[p[2]])
		x := d[p[3]]
	}
}

path_values(v, p) := s if {
	count(p) == 5
	s := {x |
		some b in blocks(v[p[0]])
		some c in blocks(b[p[1]])
		some d in blocks(c[p[2]])
		some e in blocks(d[p[3]])
		x := e[p[4]]
	}
}

# A value that states something: a non-empty string, list or object, or true.
nonempty(x) if {
	is_string(x)
	x != ""
}

nonempty(x) if {
	is_array(x)
	count(x) > 0
}

nonempty(x) if {
	is_object(x)
	count(x) > 0
}

nonempty(x) if x == true

# The attribute at path p is unknown until apply (its dotted form starts with the first name and ends with the last).
unknown_at(r, p) if {
	some u in r.unknown
	startswith(u, p[0])
	endswith(u, p[count(p) - 1])
}

# The attribute at path p (set, unknown until apply, or referencing another resource) is present.
set_at(r, p) if {
	some x in path_values(r.values, p)
	nonempty(x)
}

set_at(r, p) if unknown_at(r, p)

set_at(r, p) if {
	some ref in r.references
	startswith(ref.attribute, p[0])
	endswith(ref.attribute, p[count(p) - 1])
}

# Reverse-reference indexes, built once per evaluation (a lookup is then a key access, where a
# scan over every resource per query would make the policy quadratic in the plan size).

# target address -> live resources that reference it, with the attribute.
incoming[target] contains {"address": a, "attribute": ref.attribute, "type": r.type} if {
	some a, r in live
	some ref in r.references
	target := ref.address
}

# "target|type" -> live resources of that type that reference target.
incoming_typed[key] contains a if {
	some a, r in live
	some ref in r.references
	key := concat("|", [ref.address, r.type])
}

# Live resources of type t that reference target.
referrers(target, t) := incoming_typed[concat("|", [target, t])]

referrers(target, t) := set() if not incoming_typed[concat("|", [target, t])]

# Live resources that source references (through any attribute) with type t.
referenced(source, t) := {a |
	some ref in live[source].references
	a := ref.address
	live[a].type == t
}

in_list(x, xs) if xs[_] == x

# The strings of xs, lower-cased (for case-insensitive membership by set lookup).
lowered(xs) := {lower(x) | some x in xs; is_string(x)}

# Smallest element of a non-empty set of strings (deterministic choice).
smallest(s) := x if {
	some x in s
	not has_smaller(x, s)
}

has_smaller(x, s) if {
	some y in s
	y < x
}

# ---------- locations ----------

normal_region(region) := lower(replace(region, " ", ""))

location_known(loc) if {
	is_string(loc.region)
	loc.region != ""
	loc.source != "unknown-at-plan"
	loc.source != "unresolved"
}

allowed_region(cloud, region) if {
	is_string(region)
	some allowed in settings.locations.allowed[cloud]
	normal_region(allowed) == normal_region(region)
}

allowed_location(loc) if {
	location_known(loc)
	allowed_region(loc.cloud, loc.region)
}

allowed_text(cloud) := concat(", ", settings.locations.allowed[cloud]) if count(settings.locations.allowed[cloud]) > 0

allowed_text(cloud) := "none configured" if not count(settings.locations.allowed[cloud]) > 0

location_text(loc) := concat("", [loc.cloud, " ", loc.region]) if location_known(loc)

location_text(loc) := concat("", ["an unknown location (", loc.source, ": ", loc.detail, ")"]) if not location_known(loc)

# Region in an ARN (`arn:aws:backup:us-east-1:...`); undefined when absent.
arn_region(arn) := parts[3] if {
	is_string(arn)
	startswith(arn, "arn:")
	parts := split(arn, ":")
	count(parts) > 4
	parts[3] != ""
}

# ---------- message text ----------

# Why a resource counts as personal, for messages.
personal_text(addr) := concat("", ["it is ", personal_tag_reason[addr]]) if personal_tag_reason[addr]

personal_text(addr) := concat("", ["it reaches personal data in ", last.address, " (", last.reason, ")"]) if {
	not personal_tag_reason[addr]
	steps := personal[addr]
	last := steps[count(steps) - 1]
}

list_text(s) := concat(", ", sorted) if {
	sorted := sort([x | some x in s])
}
