# METADATA
# title: Personal data copied or replicated outside Korea
# description: >-
#   A replication or copy of personal data has a destination outside the allowed locations:
#   S3 replication rules, DynamoDB global-table replicas and exports, cross-region database
#   read replicas and automated-backup replication, members of global databases (Aurora,
#   ElastiCache, DocumentDB, Neptune), AWS Backup copy actions (for resources selected by
#   reference, by tag or all), Data Lifecycle Manager cross-Region copies, EBS, AMI and
#   database snapshot copies, Redshift snapshot copy, EFS replication, DataSync tasks, KMS
#   replica keys of keys that protect personal data, and ECR registry replication while
#   personal repositories exist. Copy kinds are listed in policy data (catalogue.copies). A
#   destination that cannot be resolved at plan time is a violation too.
# custom:
#   id: cross-border/personal-data-replicated-abroad
#   level: mandatory
#   remediation: >-
#     Point the replica or copy at a destination in a Korean region (for example a second
#     bucket or vault in ap-northeast-2), or remove the cross-border copy.
#   profiles: [kr-localization]
package residency_guard.rules.cross_border.personal_data_replicated_abroad

import future.keywords.not

import data.residency_guard.lib

id := "cross-border/personal-data-replicated-abroad"

# copies: {address, destination text, lineage}; `outside` holds a reason, `unresolved` a reason.

# Destination is a live resource outside the allowed locations, or with an unknown location.
dest_problem(dest) := concat("", [dest, " in ", lib.location_text(loc)]) if {
	loc := lib.live[dest].location
	not lib.allowed_location(loc)
}

region_problem(cloud, region) := concat("", ["Region ", region]) if {
	is_string(region)
	not lib.allowed_region(cloud, region)
}

region_problem(_, region) := "a Region unknown until apply" if not is_string(region)

# --- S3 replication rules ---
# A configuration whose every rule is Disabled copies nothing (references carry no rule index,
# so one enabled rule, or a status unknown at plan, counts for all).
s3_replicating(r) if {
	some rule in lib.blocks(r.values.rule)
	object.get(rule, "status", "unknown") != "Disabled"
}

s3_replicating(r) if count(lib.blocks(r.values.rule)) == 0

copies contains c if {
	some addr in lib.of_type("aws_s3_bucket_replication_configuration")
	r := lib.live[addr]
	s3_replicating(r)
	lineage := lib.personal[addr]
	some ref in r.references
	contains(ref.attribute, "destination")
	lib.live[ref.address].type == "aws_s3_bucket"
	problem := dest_problem(ref.address)
	c := {"address": addr, "lineage": lineage, "what": concat("", ["replicates objects to bucket ", problem])}
}

copies contains c if {
	some addr in lib.of_type("aws_s3_bucket_replication_configuration")
	r := lib.live[addr]
	s3_replicating(r)
	lineage := lib.personal[addr]
	not s3_destination_resolved(addr, r)
	c := {"address": addr, "lineage": lineage, "what": "replicates objects to a destination bucket that cannot be resolved at plan time"}
}

s3_destination_resolved(addr, r) if {
	some ref in r.references
	contains(ref.attribute, "destination")
	lib.live[ref.address].type == "aws_s3_bucket"
}

# --- copies whose destination Region is an argument (catalogue.copies.region_paths) ---
region_copy_spec := lib.catalogue.copies.region_paths

copies contains c if {
	some t, spec in region_copy_spec
	some addr in lib.of_type(t)
	r := lib.live[addr]
	lineage := copy_lineage(addr)
	some problem in region_copy_problems(r, spec)
	c := {"address": addr, "lineage": lineage, "what": concat("", [spec.what, " ", problem])}
}

# Destination Regions outside the allowed ones (or unknown until apply) named at the spec's paths.
region_copy_problems(r, spec) := {p |
	some path in spec.paths
	some region in lib.path_values(r.values, path)
	is_string(region)
	p := region_problem(r.location.cloud, region)
} | {p |
	some path in object.get(spec, "zone_paths", [])
	some zone in lib.path_values(r.values, path)
	is_string(zone)
	not region_named(r, spec)
	p := region_problem(r.location.cloud, zone_region(zone))
} | {"a Region unknown until apply" |
	some path in spec.paths
	lib.unknown_at(r, path)
	not provider_default(r, path)
	not region_named(r, spec)
	not zone_named(r, spec)
}

region_named(r, spec) if {
	some path in spec.paths
	some region in lib.path_values(r.values, path)
	is_string(region)
}

zone_named(r, spec) if {
	some path in object.get(spec, "zone_paths", [])
	some zone in lib.path_values(r.values, path)
	is_string(zone)
}

# `us-west-2b` -> `us-west-2`.
zone_region(zone) := substring(zone, 0, count(zone) - 1)

# The reader lists attributes the provider fills in (not configured, unknown at plan): the
# destination is then the resource's own Region.
provider_default(r, path) if {
	some d in r.defaults
	startswith(d, path[0])
	endswith(d, path[count(path) - 1])
}

# --- replicas that are resources of their own, placed by their own location (catalogue.copies.self_located) ---
copies contains c if {
	some t, spec in lib.catalogue.copies.self_located
	some addr in lib.of_type(t)
	r := lib.live[addr]
	attr := self_copy_attribute(r, spec)
	lineage := copy_lineage(addr)
	not lib.allowed_location(r.location)
	c := {"address": addr, "lineage": lineage, "what": concat("", [spec.what, attr, " in ", lib.location_text(r.location)])}
}

self_copy_attribute(_, spec) := "" if count(spec.when_set) == 0

self_copy_attribute(r, spec) := concat("", [" (", attr, ")"]) if {
	some attr in spec.when_set
	lib.set_at(r, [attr])
}

# --- global databases (catalogue.copies.global_groups): every member is a copy of the others ---
# Members name the global group (global_cluster_identifier, global_replication_group_id); a
# group made from an existing cluster names that one (source_db_cluster_identifier,
# primary_replication_group_id).
global_members(g, spec) := lib.linked_by_type(g, spec.member) | lib.links_to_type(g, spec.member)

# Lineage of a global database's data: the group's own, or a member's.
global_lineage(g, _) := lib.personal[g]

global_lineage(g, spec) := lineage if {
	not lib.personal[g]
	paths := {array.concat([lib.step(g, concat("", ["has member ", m]))], lineage_of(m)) |
		some m in global_members(g, spec)
		lib.personal[m]
	}
	count(paths) > 0
	lineage := first_path(paths)
}

copies contains c if {
	some t, spec in lib.catalogue.copies.global_groups
	some g in lib.of_type(t)
	some addr in global_members(g, spec)
	r := lib.live[addr]
	not lib.allowed_location(r.location)
	lineage := array.concat([lib.step(addr, concat("", ["is a member of ", spec.what, " ", g]))], global_lineage(g, spec))
	c := {"address": addr, "lineage": lineage, "what": concat("", ["is a member of ", spec.what, " ", g, " in ", lib.location_text(r.location)])}
}

# --- copies to a store the resource names (catalogue.copies.destination_links) ---
copies contains c if {
	some t, spec in lib.catalogue.copies.destination_links
	some addr in lib.of_type(t)
	lineage := copy_lineage(addr)
	some attr in spec.attributes
	some dest in lib.links_via(addr, attr)
	problem := dest_problem(dest)
	c := {"address": addr, "lineage": lineage, "what": concat("", [spec.what, " ", problem])}
}

copies contains c if {
	some t, spec in lib.catalogue.copies.destination_links
	some addr in lib.of_type(t)
	lineage := copy_lineage(addr)
	count({d | some attr in spec.attributes; some d in lib.links_via(addr, attr)}) == 0
	c := {"address": addr, "lineage": lineage, "what": concat("", [spec.what, " a destination that is not in this document, so its Region cannot be established"])}
}

# --- DataSync tasks: a personal source location copied to a destination outside ---
datasync_store_attrs := lib.catalogue.copies.datasync_location_stores

# Stores a DataSync location names (bucket, file system), as live resources.
location_stores(loc) := {s |
	some a in datasync_store_attrs
	some s in lib.links_via(loc, a)
}

datasync_source_lineage(task) := first_path(paths) if {
	paths := {array.concat(
		[
			lib.step(task, concat("", ["reads location ", loc, " via source_location_arn"])),
			lib.step(loc, concat("", ["names store ", s]))
		],
		lineage_of(s)
	) |
		some loc in lib.links_via(task, "source_location_arn")
		some s in location_stores(loc)
		lib.personal[s]
	}
	count(paths) > 0
}

# Where a destination location puts the data: the stores it names, else the location itself.
datasync_destinations(loc) := {[s, lib.live[s].location] | some s in location_stores(loc)} if {
	count(location_stores(loc)) > 0
} else := {[loc, lib.live[loc].location]}

# Locations outside AWS storage (object storage, SMB, NFS, HDFS, Azure Blob): the agent's Region
# says nothing about where the server is.
copies contains c if {
	some task in lib.of_type("aws_datasync_task")
	lineage := datasync_source_lineage(task)
	some loc in lib.links_via(task, "destination_location_arn")
	lib.in_list(lib.live[loc].type, lib.catalogue.copies.datasync_external_locations)
	c := {"address": task, "lineage": lineage, "what": concat("", ["copies files to ", loc, ", a server outside AWS whose location cannot be established"])}
}

copies contains c if {
	some task in lib.of_type("aws_datasync_task")
	lineage := datasync_source_lineage(task)
	some loc in lib.links_via(task, "destination_location_arn")
	not lib.in_list(lib.live[loc].type, lib.catalogue.copies.datasync_external_locations)
	some d in datasync_destinations(loc)
	not lib.allowed_location(d[1])
	c := {"address": task, "lineage": lineage, "what": concat("", ["copies files to ", d[0], " in ", lib.location_text(d[1])])}
}

copies contains c if {
	some task in lib.of_type("aws_datasync_task")
	lineage := datasync_source_lineage(task)
	count(lib.links_via(task, "destination_location_arn")) == 0
	c := {"address": task, "lineage": lineage, "what": "copies files to a destination location that cannot be resolved at plan time"}
}

# --- lineage of a copy resource ---

# Its own lineage when the lineage core computes one, else one hop to a personal source it names,
# else two hops (snapshot copy -> snapshot -> volume or database) or a selection by tag
# (catalogue.copies.tag_selectors).
copy_lineage(addr) := lib.personal[addr]

copy_lineage(addr) := first_path(paths) if {
	not lib.personal[addr]
	paths := one_hop_paths(addr)
	count(paths) > 0
}

copy_lineage(addr) := first_path(paths) if {
	not lib.personal[addr]
	count(one_hop_paths(addr)) == 0
	paths := two_hop_paths(addr) | tag_selector_paths(addr)
	count(paths) > 0
}

one_hop_paths(addr) := {array.concat([lib.step(addr, concat("", ["copies ", s]))], lineage_of(s)) |
	some s in lib.links_from(addr)
	lib.personal[s]
}

two_hop_paths(addr) := {array.concat([lib.step(addr, concat("", ["copies ", s])), lib.step(s, concat("", ["is taken from ", t]))], lineage_of(t)) |
	some s in lib.links_from(addr)
	some t in lib.links_from(s)
	t != addr
	lib.personal[t]
}

# [key, value pattern] pairs of the tag maps at the selector's paths.
selector_tags(addr) := {[k, v] |
	some p in lib.catalogue.copies.tag_selectors[lib.live[addr].type]
	some m in lib.path_values(lib.live[addr].values, p)
	is_object(m)
	some k, v in m
	is_string(v)
}

tag_selector_paths(addr) := {[lib.step(addr, concat("", ["selects resources tagged ", kv[0], "=", kv[1]]))] |
	some kv in selector_tags(addr)
	lib.classification_keys[lower(kv[0])]
	some v in lib.personal_tag_values
	tag_value_matches(kv[1], v)
} | {array.concat([lib.step(addr, concat("", ["selects ", s, " by tag ", kv[0], "=", kv[1]]))], lineage_of(s)) |
	some kv in selector_tags(addr)
	some s, _ in lib.personal
	some k, v in lib.live[s].tags
	lower(k) == lower(kv[0])
	tag_value_matches(kv[1], v)
}

# The lineage of a personal resource, starting at it (a tagged one is its own first step).
lineage_of(s) := lib.personal[s] if count(lib.personal[s]) > 0

lineage_of(s) := [lib.step(s, lib.personal_tag_reason[s])] if count(lib.personal[s]) == 0

path_text(p) := concat(" > ", [concat(": ", [s.address, s.reason]) | some s in p])

# The shortest path, the first in text order among equally short ones (deterministic output).
first_path(paths) := p if {
	n := min({count(q) | some q in paths})
	k := min({path_text(q) | some q in paths; count(q) == n})
	some p in paths
	count(p) == n
	path_text(p) == k
}

# KMS replica keys of a key that protects personal data.
copies contains c if {
	some addr in lib.of_type("aws_kms_replica_key")
	r := lib.live[addr]
	not lib.allowed_location(r.location)
	some ref in r.references
	primary := ref.address
	some x in lib.incoming[primary]
	user := x.address
	lib.touches_personal(user)
	c := {
		"address": addr,
		"lineage": [
			{"address": addr, "reason": concat("", ["replicates key ", primary])},
			{"address": user, "reason": concat("", ["encrypts personal data with ", primary])}
		],
		"what": concat("", ["replicates key material protecting personal data to ", lib.location_text(r.location)])
	}
}

# --- AWS Backup copy actions ---
copies contains c if {
	some addr in lib.of_type("aws_backup_plan")
	r := lib.live[addr]
	lineage := lib.personal[addr]
	some ref in r.references
	contains(ref.attribute, "copy_action")
	problem := dest_problem(ref.address)
	c := {"address": addr, "lineage": lineage, "what": concat("", ["copies backups to vault ", problem])}
}

copies contains c if {
	some addr in lib.of_type("aws_backup_plan")
	r := lib.live[addr]
	lineage := lib.personal[addr]
	some arn in lib.path_values(r.values, ["rule", "copy_action", "destination_vault_arn"])
	not backup_copy_referenced(r)
	problem := arn_problem(arn)
	c := {"address": addr, "lineage": lineage, "what": concat("", ["copies backups to vault ", problem])}
}

copies contains c if {
	some addr in lib.of_type("aws_backup_plan")
	r := lib.live[addr]
	lineage := lib.personal[addr]
	lib.unknown_at(r, ["rule", "destination_vault_arn"])
	not backup_copy_referenced(r)
	c := {"address": addr, "lineage": lineage, "what": "copies backups to a vault that cannot be resolved at plan time"}
}

backup_copy_referenced(r) if {
	some ref in r.references
	contains(ref.attribute, "copy_action")
	lib.live[ref.address]
}

arn_problem(arn) := concat("", [arn, " (", region_problem("aws", region), ")"]) if {
	region := lib.arn_region(arn)
	region_problem("aws", region)
}

arn_problem(arn) := concat("", [arn, " (its Region cannot be read from the ARN)"]) if not lib.arn_region(arn)

# --- AWS Backup selections by tag: the plan copies whatever carries the tags ---

# Copy problems of a backup plan's copy actions (destination vault outside, or unresolved).
backup_copy_problems(plan) := {concat("", ["copies backups to vault ", dest_problem(ref.address)]) |
	some ref in lib.live[plan].references
	contains(ref.attribute, "copy_action")
	dest_problem(ref.address)
} | {concat("", ["copies backups to vault ", arn_problem(arn)]) |
	r := lib.live[plan]
	not backup_copy_referenced(r)
	some arn in lib.path_values(r.values, ["rule", "copy_action", "destination_vault_arn"])
	arn_problem(arn)
} | {"copies backups to a vault that cannot be resolved at plan time" |
	r := lib.live[plan]
	lib.unknown_at(r, ["rule", "destination_vault_arn"])
	not backup_copy_referenced(r)
}

# [key, value pattern] pairs a selection matches by tag: selection_tag blocks (STRINGEQUALS) and
# condition string_equals / string_like on `aws:ResourceTag/<key>`.
selection_tags(sel) := {[t.key, t.value] |
	some t in lib.blocks(lib.live[sel].values.selection_tag)
	is_string(t.key)
	is_string(t.value)
} | {[trim_prefix(m.key, "aws:ResourceTag/"), m.value] |
	some cond in lib.blocks(lib.live[sel].values.condition)
	some kind in ["string_equals", "string_like"]
	some m in lib.blocks(cond[kind])
	is_string(m.key)
	is_string(m.value)
	startswith(m.key, "aws:ResourceTag/")
}

tag_value_matches(pattern, value) if lower(pattern) == lower(value)

# `*` is the only wildcard of string_like; other glob syntax would be a builtin error, so a
# pattern holding it is matched literally only.
tag_value_matches(pattern, value) if {
	contains(pattern, "*")
	regex.match(`^[^\[\]{}?\\]*$`, pattern)
	glob.match(lower(pattern), [], lower(value))
}

# The selection names a classification tag with a personal value (whatever this document holds).
selects_personal_tag(sel) := concat("", [kv[0], "=", kv[1]]) if {
	some kv in selection_tags(sel)
	lib.classification_keys[lower(kv[0])]
	some v in lib.personal_tag_values
	tag_value_matches(kv[1], v)
}

# Personal data stores of this document that carry one of the selection's tags.
tag_selected_stores(sel) := {[s, concat("", ["tag ", kv[0], "=", kv[1]])] |
	some kv in selection_tags(sel)
	some s, _ in lib.personal
	lib.data_store(s)
	some k, v in lib.live[s].tags
	lower(k) == lower(kv[0])
	tag_value_matches(kv[1], v)
}

copies contains c if {
	some sel in lib.of_type("aws_backup_selection")
	tag := selects_personal_tag(sel)
	some plan in lib.links_to_type(sel, "aws_backup_plan")
	some what in backup_copy_problems(plan)
	c := {
		"address": plan,
		"lineage": [
			lib.step(plan, concat("", ["is assigned resources by ", sel])),
			lib.step(sel, concat("", ["selects resources tagged ", tag]))
		],
		"what": what
	}
}

# `resources = ["*"]` without tag conditions selects every supported resource of the Region.
selects_all(sel) if {
	some x in lib.live[sel].values.resources
	x == "*"
	count(selection_tags(sel)) == 0
}

selected_stores(sel) := tag_selected_stores(sel) if not selects_all(sel)

selected_stores(sel) := {[s, "resources = [\"*\"]"] |
	some s, _ in lib.personal
	lib.data_store(s)
	lib.live[s].location.region == lib.live[sel].location.region
} if selects_all(sel)

copies contains c if {
	some sel in lib.of_type("aws_backup_selection")
	not selects_personal_tag(sel)
	some hit in selected_stores(sel)
	some plan in lib.links_to_type(sel, "aws_backup_plan")
	some what in backup_copy_problems(plan)
	c := {
		"address": plan,
		"lineage": array.concat(
			[
				lib.step(plan, concat("", ["is assigned resources by ", sel])),
				lib.step(sel, concat("", ["selects ", hit[0], " by ", hit[1]]))
			],
			personal_or_self(hit[0], lib.personal[hit[0]])
		),
		"what": what
	}
}

# --- ECR registry replication while personal-data repositories exist ---
copies contains c if {
	some addr in lib.of_type("aws_ecr_replication_configuration")
	r := lib.live[addr]
	some repo, lineage in lib.personal
	lib.live[repo].type == "aws_ecr_repository"
	some region in lib.path_values(r.values, ["replication_configuration", "rule", "destination", "region"])
	problem := region_problem("aws", region)
	c := {
		"address": addr,
		"lineage": array.concat([{"address": addr, "reason": "replicates every repository of the registry"}], personal_or_self(repo, lineage)),
		"what": concat("", ["replicates the registry, including personal-data repository ", repo, ", to ", problem])
	}
}

personal_or_self(repo, lineage) := lineage if count(lineage) > 0

personal_or_self(repo, lineage) := [{"address": repo, "reason": lib.personal_tag_reason[repo]}] if count(lineage) == 0

copies_by[addr] contains c if {
	some c in copies
	addr := c.address
}

# One finding per address, naming every copy it makes.
violations contains v if {
	some addr, group in copies_by
	whats := sort({c.what | some c in group})
	lineage := lib.pick_path({c.lineage | some c in group})
	v := {
		"rule": id,
		"address": addr,
		"lineage": lineage,
		"message": concat("", [addr, " ", concat("; ", whats), "; the copied data is personal (", personal_text(addr, lineage), ") and must stay in the allowed locations."])
	}
}

personal_text(addr, _) := lib.personal_text(addr) if lib.personal[addr]

personal_text(addr, lineage) := concat("", ["see lineage to ", lineage[count(lineage) - 1].address]) if not lib.personal[addr]
