# What counts as personal data, training workloads and data stores, and the lineage between them.
package residency_guard.lib

# ---------- classification ----------

personal_tag(k, v) if {
	in_list_lower(k, settings.classification.keys)
	in_list_lower(v, settings.classification.personal_values)
}

# addr -> why the resource itself holds personal data, e.g. `tagged DataClassification=personal`.
personal_tag_reason[addr] := smallest(reasons) if {
	some addr, r in live
	reasons := {reason |
		some k, v in r.tags
		personal_tag(k, v)
		reason := concat("", ["tagged ", k, "=", v])
	}
	count(reasons) > 0
}

# ---------- reference graph ----------

# An edge from -> to means `from` can reach the data of `to`.
edges contains e if {
	some from, r in live
	some ref in r.references
	live[ref.address]
	ref.address != from
	e := {"from": from, "to": ref.address, "reason": concat("", ["references ", ref.address, " via ", ref.attribute])}
}

# IAM attachments, backup selections and similar link resources join two resources that do not
# reference each other (role <- attachment -> policy): the path may go back through them.
edges contains e if {
	some link, g in live
	in_list(g.type, settings.lineage.link_types)
	some ref in g.references
	live[ref.address]
	ref.address != link
	e := {"from": ref.address, "to": link, "reason": concat("", ["is linked by ", link, " via ", ref.attribute])}
}

# Breadth-first search backwards from each piece of tagged personal data (the origin), four hops
# deep. Rego has no recursion, so each hop is its own rule; per origin, a node is placed at the
# first hop that reaches it, so every path kept is a shortest path from that node to that origin.
link1 contains l if {
	some e in edges
	tag := personal_tag_reason[e.to]
	not personal_tag_reason[e.from]
	l := {"node": e.from, "origin": e.to, "steps": [{"address": e.from, "reason": e.reason}, {"address": e.to, "reason": tag}]}
}

near1 contains [l.node, l.origin] if {
	some l in link1
}

link2 contains l if {
	some prev in link1
	some e in edges
	e.to == prev.node
	not personal_tag_reason[e.from]
	not near1[[e.from, prev.origin]]
	l := {"node": e.from, "origin": prev.origin, "steps": [{"address": e.from, "reason": e.reason}, prev.steps[0], prev.steps[1]]}
}

near2 contains [l.node, l.origin] if {
	some l in link2
}

link3 contains l if {
	some prev in link2
	some e in edges
	e.to == prev.node
	not personal_tag_reason[e.from]
	not near1[[e.from, prev.origin]]
	not near2[[e.from, prev.origin]]
	l := {"node": e.from, "origin": prev.origin, "steps": [{"address": e.from, "reason": e.reason}, prev.steps[0], prev.steps[1], prev.steps[2]]}
}

near3 contains [l.node, l.origin] if {
	some l in link3
}

link4 contains l if {
	some prev in link3
	some e in edges
	e.to == prev.node
	not personal_tag_reason[e.from]
	not near1[[e.from, prev.origin]]
	not near2[[e.from, prev.origin]]
	not near3[[e.from, prev.origin]]
	l := {"node": e.from, "origin": prev.origin, "steps": [{"address": e.from, "reason": e.reason}, prev.steps[0], prev.steps[1], prev.steps[2], prev.steps[3]]}
}

# Every shortest path from a node to each personal-data origin it reaches.
paths contains l if some l in link1

paths contains l if some l in link2

paths contains l if some l in link3

paths contains l if some l in link4

# Nodes first reached at hop k (from any origin).
at1 contains l.node if some l in link1

at2 contains l.node if some l in link2

at3 contains l.node if some l in link3

at4 contains l.node if some l in link4

path_key(steps) := concat(" > ", [concat(": ", [s.address, s.reason]) | some s in steps])

# One path among equally short ones: the one with the smallest key.
pick_path(paths) := p if {
	some p in paths
	not shorter_key_exists(p, paths)
}

shorter_key_exists(p, paths) if {
	some q in paths
	path_key(q) < path_key(p)
}

# addr -> lineage to the nearest personal data ([] when the resource itself is tagged personal).
personal[addr] := [] if personal_tag_reason[addr]

personal[addr] := pick_path({l.steps | some l in link1; l.node == addr}) if at1[addr]

personal[addr] := pick_path({l.steps | some l in link2; l.node == addr}) if {
	at2[addr]
	not at1[addr]
}

personal[addr] := pick_path({l.steps | some l in link3; l.node == addr}) if {
	at3[addr]
	not at1[addr]
	not at2[addr]
}

personal[addr] := pick_path({l.steps | some l in link4; l.node == addr}) if {
	at4[addr]
	not at1[addr]
	not at2[addr]
	not at3[addr]
}

# ---------- training workloads and data stores ----------

training_tag(k, v) if {
	in_list_lower(k, settings.training.tag_keys)
	in_list_lower(v, settings.training.tag_values)
}

accelerator_instance(t) if {
	is_string(t)
	parts := split(lower(t), ".")
	some family in settings.training.accelerator_families
	startswith(parts[0], family)
}

# SageMaker-style names `ml.p4d.24xlarge`.
accelerator_instance(t) if {
	is_string(t)
	parts := split(lower(t), ".")
	parts[0] == "ml"
	some family in settings.training.accelerator_families
	startswith(parts[1], family)
}

training contains addr if {
	some addr, r in live
	in_list(r.type, settings.training.resource_types)
}

training contains addr if {
	some addr, r in live
	in_list(r.type, settings.training.accelerated_resource_types)
	accelerator_instance(r.values.instance_type)
}

# An accelerated type whose instance type is only known after apply may be a GPU host: judge it.
training contains addr if {
	some addr, r in live
	in_list(r.type, settings.training.accelerated_resource_types)
	in_list("instance_type", r.unknown)
}

training contains addr if {
	some addr, r in live
	some k, v in r.tags
	training_tag(k, v)
}

data_store(addr) if in_list(live[addr].type, settings.data_stores.resource_types)

# Training workload -> lineage to personal data.
personal_training[addr] := steps if {
	training[addr]
	steps := personal[addr]
}

# Personal data stores on any path from a personal training workload to personal data.
store_use contains [s.address, l.node] if {
	some l in paths
	training[l.node]
	some s in l.steps
	data_store(s.address)
}

# A training workload tagged personal that is itself a data store type uses itself.
store_use contains [t, t] if {
	some t, steps in personal_training
	count(steps) == 0
	data_store(t)
}

# store address -> training workloads that use it
personal_store_used[store] := users if {
	some pair in store_use
	store := pair[0]
	users := {u | some q in store_use; q[0] == store; u := q[1]}
}

# ---------- sectors ----------

sector_tag(k, v) if {
	in_list_lower(k, settings.sector.tag_keys)
	in_list_lower(v, settings.sector.values)
}

sector_values(addr) := {lower(v) |
	some k, v in live[addr].tags
	sector_tag(k, v)
}

# addr -> regulated sector: its own sector tag, else a sector tag on its personal-data lineage.
sector[addr] := smallest(values) if {
	some addr, _ in live
	values := sector_values(addr)
	count(values) > 0
}

sector[addr] := smallest(values) if {
	some addr, _ in personal
	count(sector_values(addr)) == 0
	values := {v | some l in paths; l.node == addr; some s in l.steps; some v in sector_values(s.address)}
	count(values) > 0
}
