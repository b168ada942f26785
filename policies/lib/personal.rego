# What counts as personal data, training workloads and data stores, and the lineage between them.
package residency_guard.lib

import future.keywords.not

# ---------- classification ----------

# Lower-cased tag keys and values of each kind, built once: checking a tag is then two set
# lookups instead of a memoised call that lower-cases every configured name.
classification_keys := lowered(settings.classification.keys)

personal_tag_values := lowered(settings.classification.personal_values)

training_tag_keys := lowered(settings.training.tag_keys)

training_tag_values := lowered(settings.training.tag_values)

sector_tag_keys := lowered(settings.sector.tag_keys)

sector_tag_values := lowered(settings.sector.values)

# Classification tags of a node (resource, or the other stack's resource of a cross-stack node).
classification_tags(n) := {[k, v] |
	some k, v in node_tags(n)
	is_string(k)
	is_string(v)
	classification_keys[lower(k)]
}

nonpersonal_tag_values := lowered(settings.classification.nonpersonal_values)

tag_text(n, kv) := concat("", ["tagged ", kv[0], "=", kv[1]]) if live[n]

tag_text(n, kv) := concat("", ["tagged ", kv[0], "=", kv[1], " in stack ", object.get(externals[n], "stack", "?")]) if not live[n]

# node -> why it holds personal data itself, e.g. `tagged DataClassification=personal`.
personal_tag_reason[n] := smallest(reasons) if {
	some n, r in live
	count(r.tags) > 0
	reasons := {concat("", ["tagged ", k, "=", v]) |
		some k, v in r.tags
		is_string(k)
		is_string(v)
		classification_keys[lower(k)]
		personal_tag_values[lower(v)]
	}
	count(reasons) > 0
}

personal_tag_reason[n] := smallest(reasons) if {
	some n, _ in externals
	ext_resource(n)
	reasons := {tag_text(n, kv) | some kv in classification_tags(n); personal_tag_values[lower(kv[1])]}
	count(reasons) > 0
}

# store -> its explicit non-personal classification, which stops propagation through it.
nonpersonal_reason[n] := smallest(reasons) if {
	some n in store_nodes
	not personal_tag_reason[n]
	reasons := {tag_text(n, kv) | some kv in classification_tags(n); nonpersonal_tag_values[lower(kv[1])]}
	count(reasons) > 0
}

# store -> why its classification cannot be resolved (reported when a training workload reaches it).
classification_unresolved[n] := concat("", ["is named only by ", externals[n].kind, " ", n, ", so its classification tags are not in this document"]) if {
	some n, _ in externals
	store_node(n)
	not ext_resource(n)
}

classification_unresolved[n] := concat("", [smallest(texts), ", a classification the policy data lists neither as personal nor as non-personal"]) if {
	some n in store_nodes
	not personal_tag_reason[n]
	not nonpersonal_reason[n]
	texts := {tag_text(n, kv) | some kv in classification_tags(n)}
	count(texts) > 0
}

classification_unresolved[n] := "has tags that are unknown until apply" if {
	some t in data_store_types
	some n in of_type(t)
	in_list("tags", live[n].unknown)
	count(classification_tags(n)) == 0
}

# ---------- reachability ----------

personal_nodes := {n | some n, _ in personal_tag_reason}

# Nodes from which personal data can be reached (at any depth, through carrying links only).
reaches_personal := graph.reachable(back_graph, personal_nodes)

step(address, reason) := {"address": address, "reason": reason}

path_key(steps) := concat(" > ", [concat(": ", [s.address, s.reason]) | some s in steps])

# One path among equally short ones: the one with the smallest key.
pick_path(paths) := p if {
	count(paths) == 1
	some p in paths
} else := p if {
	some p in paths
	not shorter_key_exists(p, paths)
}

shorter_key_exists(p, paths) if {
	some q in paths
	path_key(q) < path_key(p)
}

# Types whose personal data the rules ask about, beside training workloads and data stores.
lineage_types := {
	"aws_s3_bucket_replication_configuration", "aws_dynamodb_table_replica",
	"aws_db_instance_automated_backups_replication", "aws_backup_plan", "aws_kms_replica_key",
}

lineage_candidate(n) if training[n]

lineage_candidate(n) if data_store_types[live[n].type]

lineage_candidate(n) if lineage_types[live[n].type]

lineage_candidate(n) if startswith(live[n].type, "aws_bedrock")

# Untagged resources whose lineage the rules ask about and that reach personal data.
lineage_candidates := {n |
	some n in reaches_personal
	live[n]
	not personal_tag_reason[n]
	lineage_candidate(n)
}

# node -> every node it reaches (itself included), for training workloads and lineage candidates.
# Nodes from which a store of unresolvable classification, or unreadable data access, is reachable
# (one reverse search each, so workloads that reach neither need no search of their own).
unclassified_nodes := {n | some n, _ in classification_unresolved}

reaches_unclassified := graph.reachable(back_graph, unclassified_nodes)

unresolved_nodes := {n | some n, _ in unresolved_access}

reaches_unresolved := graph.reachable(back_graph, unresolved_nodes)

reach_subjects := lineage_candidates | {t |
	some t in training
	reach_needed(t)
}

reach_needed(t) if reaches_personal[t]

reach_needed(t) if reaches_unclassified[t]

reach_needed(t) if reaches_unresolved[t]

reach_of[n] := graph.reachable(data_graph, {n}) if some n in reach_subjects

# Successors of m on the way to targets within sub: targets end a path; a node next to a target
# keeps only the targets (a shortest path from it is one hop), which keeps path enumeration small.
next_hops(m, sub, targets) := set() if targets[m]

next_hops(m, sub, targets) := direct if {
	not targets[m]
	direct := {x | some x in data_graph[m]; sub[x]; targets[x]}
	count(direct) > 0
}

next_hops(m, sub, targets) := {x | some x in data_graph[m]; sub[x]} if {
	not targets[m]
	count({x | some x in data_graph[m]; sub[x]; targets[x]}) == 0
}

# A shortest node path from n to one of targets; co: the nodes that reach targets. The graph is
# pruned to nodes n reaches that reach a target before paths are enumerated.
node_path_to(n, targets, co) := best if {
	sub := reach_of[n] & co
	g := {m: next_hops(m, sub, targets) | some m in sub}
	good := {p | some p in graph.reachable_paths(g, {n}); count(p) > 1; targets[p[count(p) - 1]]}
	shortest := min({count(p) | some p in good})
	best := smallest_path({p | some p in good; count(p) == shortest})
}

smallest_path(paths) := p if {
	some p in paths
	not smaller_path(p, paths)
}

smaller_path(p, paths) if {
	some q in paths
	concat(" > ", q) < concat(" > ", p)
}

# The lineage steps of a node path: each hop's reason, the last node's own reason.
path_steps(p, last_reason) := array.concat(
	[step(a, hop_reason(a, p[i + 1])) | some i, a in p; i < count(p) - 1],
	[step(p[count(p) - 1], last_reason)],
)

shortest_path(n) := path_steps(p, personal_tag_reason[p[count(p) - 1]]) if p := node_path_to(n, personal_nodes, reaches_personal)

# addr -> lineage to the nearest personal data ([] when the resource itself is tagged personal),
# for resources of this document: the shortest path, each hop with its reason.
personal[addr] := [] if {
	some addr, _ in personal_tag_reason
	live[addr]
}

personal[addr] := steps if {
	some addr in lineage_candidates
	steps := shortest_path(addr)
}

# Whether n is personal or reaches personal data.
touches_personal(n) if reaches_personal[n]

# ---------- training workloads and data stores ----------

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
	some t in settings.training.resource_types
	some addr in of_type(t)
}

training contains addr if {
	some t in settings.training.accelerated_resource_types
	some addr in of_type(t)
	accelerator_instance(live[addr].values.instance_type)
}

# An accelerated type whose instance type is only known after apply may be a GPU host: judge it.
training contains addr if {
	some t in settings.training.accelerated_resource_types
	some addr in of_type(t)
	in_list("instance_type", live[addr].unknown)
}

# A training tag marks compute; on a data store or a supporting resource (role, key, network) it
# describes what the resource serves, not a workload.
training contains addr if {
	some addr, r in live
	some k, v in r.tags
	is_string(k)
	is_string(v)
	training_tag_keys[lower(k)]
	training_tag_values[lower(v)]
	not data_store(addr)
	not tag_excluded(r.type)
}

tag_excluded(t) if {
	some prefix in settings.training.tag_excluded_prefixes
	startswith(t, prefix)
}

data_store(addr) if in_list(live[addr].type, settings.data_stores.resource_types)

# Training workload -> lineage to personal data.
personal_training[addr] := steps if {
	training[addr]
	steps := personal[addr]
}

# store address -> training workloads that use it: data stores of this document that a personal
# training workload reaches and that hold or reach personal data.
personal_store_used[store] contains t if {
	some t, _ in personal_training
	some store in reach_of[t]
	reaches_personal[store]
	data_store(store)
}

# node -> personal training workloads that reach it: stores outside this document (another
# stack's resource, an ARN) that hold or reach personal data.
personal_external_used[n] contains t if {
	some t, _ in personal_training
	some n in reach_of[t]
	not live[n]
	store_node(n)
	reaches_personal[n]
}

# training workload -> stores it reaches whose classification cannot be resolved.
unclassified_reached[t] contains n if {
	some t in training
	reaches_unclassified[t]
	some n in reach_of[t]
	classification_unresolved[n]
}

# training workload -> nodes it reaches whose data access cannot be read.
unresolved_reached[t] contains n if {
	some t in training
	reaches_unresolved[t]
	some n in reach_of[t]
	unresolved_access[n]
}

# ---------- sectors ----------

sector_values(n) := {lower(v) |
	some k, v in node_tags(n)
	is_string(k)
	is_string(v)
	sector_tag_keys[lower(k)]
	sector_tag_values[lower(v)]
}

# addr -> regulated sector: its own sector tag, else a sector tag on personal data it reaches.
sector[addr] := smallest(values) if {
	some addr, _ in live
	values := sector_values(addr)
	count(values) > 0
}

sector[addr] := smallest(values) if {
	some addr, _ in personal
	count(sector_values(addr)) == 0
	values := {v | some n in reach_of[addr]; reaches_personal[n]; some v in sector_values(n)}
	count(values) > 0
}

# ---------- lineage to other targets ----------

# Why a node ends a lineage: its personal tag, why its access cannot be read, or why its
# classification cannot be resolved.
node_reason(n) := personal_tag_reason[n]

node_reason(n) := concat("; ", sort(unresolved_access[n])) if {
	not personal_tag_reason[n]
	unresolved_access[n]
}

node_reason(n) := classification_unresolved[n] if {
	not personal_tag_reason[n]
	not unresolved_access[n]
	classification_unresolved[n]
}

# Shortest lineage from a training workload or lineage candidate t to any of targets.
node_lineage(t, targets) := path_steps(p, node_reason(p[count(p) - 1])) if {
	p := node_path_to(t, targets, graph.reachable(back_graph, targets))
}

node_lineage(t, targets) := [] if not node_path_to(t, targets, graph.reachable(back_graph, targets))
