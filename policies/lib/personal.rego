# What counts as personal data, training workloads and data stores, and the lineage between them.
package residency_guard.lib

# ---------- classification ----------

# Lower-cased tag keys and values of each kind, built once: checking a tag is then two set
# lookups instead of a memoised call that lower-cases every configured name.
classification_keys := lowered(settings.classification.keys)

personal_tag_values := lowered(settings.classification.personal_values)

training_tag_keys := lowered(settings.training.tag_keys)

training_tag_values := lowered(settings.training.tag_values)

sector_tag_keys := lowered(settings.sector.tag_keys)

sector_tag_values := lowered(settings.sector.values)

# addr -> why the resource itself holds personal data, e.g. `tagged DataClassification=personal`.
personal_tag_reason[addr] := smallest(reasons) if {
	some addr, r in live
	reasons := {reason |
		some k, v in r.tags
		is_string(k)
		is_string(v)
		classification_keys[lower(k)]
		personal_tag_values[lower(v)]
		reason := concat("", ["tagged ", k, "=", v])
	}
	count(reasons) > 0
}

# ---------- reference graph ----------

# One hop from n: [to, reason]. Forward along n's references, or back to a link resource that
# references n: IAM role policies and attachments, backup selections and similar join two
# resources that do not reference each other (role <- role policy -> bucket).
fwd_hops(n) := {[ref.address, concat("", ["references ", ref.address, " via ", ref.attribute])] |
	some ref in live[n].references
	live[ref.address]
	ref.address != n
}

link_in[target] contains [a, ref.attribute] if {
	some t in settings.lineage.link_types
	some a in of_type(t)
	r := live[a]
	some ref in r.references
	target := ref.address
}

link_hops(n) := {[l[0], concat("", ["is linked by ", l[0], " via ", l[1]])] |
	some l in link_in[n]
	l[0] != n
}

hops(n) := union({fwd_hops(n), link_hops(n)})

step(address, reason) := {"address": address, "reason": reason}

# Paths of k hops from n to tagged personal data, through untagged resources, without revisits.
# Rego has no recursion: each length is spelled out, up to four hops.
paths1(n) := {[step(n, h[1]), step(h[0], tag)] |
	some h in hops(n)
	tag := personal_tag_reason[h[0]]
}

paths2(n) := {[step(n, h1[1]), step(m, h2[1]), step(o, tag)] |
	some h1 in hops(n)
	m := h1[0]
	not personal_tag_reason[m]
	some h2 in hops(m)
	o := h2[0]
	o != n
	tag := personal_tag_reason[o]
}

paths3(n) := {[step(n, h1[1]), step(m, h2[1]), step(o, h3[1]), step(q, tag)] |
	some h1 in hops(n)
	m := h1[0]
	not personal_tag_reason[m]
	some h2 in hops(m)
	o := h2[0]
	o != n
	not personal_tag_reason[o]
	some h3 in hops(o)
	q := h3[0]
	q != n
	q != m
	tag := personal_tag_reason[q]
}

paths4(n) := {[step(n, h1[1]), step(m, h2[1]), step(o, h3[1]), step(q, h4[1]), step(w, tag)] |
	some h1 in hops(n)
	m := h1[0]
	not personal_tag_reason[m]
	some h2 in hops(m)
	o := h2[0]
	o != n
	not personal_tag_reason[o]
	some h3 in hops(o)
	q := h3[0]
	q != n
	q != m
	not personal_tag_reason[q]
	some h4 in hops(q)
	w := h4[0]
	w != n
	w != m
	w != o
	tag := personal_tag_reason[w]
}

# Every path (up to four hops) from n to tagged personal data.
all_paths(n) := union({paths1(n), paths2(n), paths3(n), paths4(n)})

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

# Untagged resources whose lineage the rules ask about (training workloads, data stores, the
# types above, Bedrock resources), collected once from the type index.
lineage_candidates contains n if {
	some n in training
	not personal_tag_reason[n]
}

lineage_candidates contains n if {
	some t in settings.data_stores.resource_types
	some n in of_type(t)
	not personal_tag_reason[n]
}

lineage_candidates contains n if {
	some t in lineage_types
	some n in of_type(t)
	not personal_tag_reason[n]
}

lineage_candidates contains n if {
	some t, addrs in live_types
	startswith(t, "aws_bedrock")
	some n in addrs
	not personal_tag_reason[n]
}

# Lineage of n: a shortest path to tagged personal data (the first in key order among equals).
shortest_path(n) := pick_path(p) if {
	p := paths1(n)
	count(p) > 0
} else := pick_path(p) if {
	p := paths2(n)
	count(p) > 0
} else := pick_path(p) if {
	p := paths3(n)
	count(p) > 0
} else := pick_path(p) if {
	p := paths4(n)
	count(p) > 0
}

# addr -> lineage to the nearest personal data ([] when the resource itself is tagged personal).
# Computed for the resources the rules judge (lineage_candidates), shortest path first.
personal[addr] := [] if personal_tag_reason[addr]

personal[addr] := steps if {
	some addr in lineage_candidates
	steps := shortest_path(addr)
}

# Whether any resource reaches personal data in one hop, or is tagged (for resources outside lineage_candidates).
touches_personal(n) if personal[n]

touches_personal(n) if count(paths1(n)) > 0

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

# store address -> training workloads that use it: personal data stores on any path (up to four
# hops) from a personal training workload to personal data.
personal_store_used[store] contains t if {
	some t, _ in personal_training
	some p in all_paths(t)
	some s in p
	data_store(s.address)
	store := s.address
}

# ---------- sectors ----------

sector_values(addr) := {lower(v) |
	some k, v in live[addr].tags
	is_string(k)
	is_string(v)
	sector_tag_keys[lower(k)]
	sector_tag_values[lower(v)]
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
	values := {v | some p in all_paths(addr); some s in p; some v in sector_values(s.address)}
	count(values) > 0
}
