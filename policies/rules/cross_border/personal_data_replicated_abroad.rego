# METADATA
# title: Personal data copied or replicated outside Korea
# description: >-
#   A replication or copy of personal data has a destination outside the allowed locations:
#   S3 replication rules, DynamoDB global-table replicas, cross-region database read replicas
#   and automated-backup replication, AWS Backup copy actions, KMS replica keys of keys that
#   protect personal data, and ECR registry replication while personal repositories exist.
#   A destination that cannot be resolved at plan time is a violation too.
# custom:
#   id: cross-border/personal-data-replicated-abroad
#   level: mandatory
#   remediation: >-
#     Point the replica or copy at a destination in a Korean region (for example a second
#     bucket or vault in ap-northeast-2), or remove the cross-border copy.
#   profiles: [kr-localization]
package residency_guard.rules.cross_border.personal_data_replicated_abroad

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
copies contains c if {
	some addr in lib.of_type("aws_s3_bucket_replication_configuration")
	r := lib.live[addr]
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
	lineage := lib.personal[addr]
	not s3_destination_resolved(addr, r)
	c := {"address": addr, "lineage": lineage, "what": "replicates objects to a destination bucket that cannot be resolved at plan time"}
}

s3_destination_resolved(addr, r) if {
	some ref in r.references
	contains(ref.attribute, "destination")
	lib.live[ref.address].type == "aws_s3_bucket"
}

# --- DynamoDB global tables ---
copies contains c if {
	some addr in lib.of_type("aws_dynamodb_table")
	r := lib.live[addr]
	lineage := lib.personal[addr]
	some replica in lib.blocks(r.values.replica)
	problem := region_problem("aws", replica.region_name)
	c := {"address": addr, "lineage": lineage, "what": concat("", ["has a global-table replica in ", problem])}
}

# --- replicas that are resources of their own, placed by their own location ---
replica_types := {
	"aws_dynamodb_table_replica": "is a DynamoDB table replica",
	"aws_db_instance_automated_backups_replication": "replicates automated database backups"
}

copies contains c if {
	some t, what in replica_types
	some addr in lib.of_type(t)
	r := lib.live[addr]
	lineage := lib.personal[addr]
	not lib.allowed_location(r.location)
	c := {"address": addr, "lineage": lineage, "what": concat("", [what, " in ", lib.location_text(r.location)])}
}

# Read replicas: a database created from another one.
copies contains c if {
	some t in ["aws_db_instance", "aws_rds_cluster"]
	some addr in lib.of_type(t)
	r := lib.live[addr]
	some attr in ["replicate_source_db", "replication_source_identifier"]
	lib.set_at(r, [attr])
	lineage := lib.personal[addr]
	not lib.allowed_location(r.location)
	c := {"address": addr, "lineage": lineage, "what": concat("", ["is a read replica (", attr, ") in ", lib.location_text(r.location)])}
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
