# METADATA
# title: residency-guard compare subjects
# description: >-
#   The entrypoint `residency_guard/subjects`: the addresses the `compare` command lists, so it
#   shows workloads rather than every resource. Training workloads, the personal-data stores they
#   use, and every resource with a violation under any rule (in any profile).
package residency_guard

import data.residency_guard.lib

subjects := (training_workloads | stores_used) | violated if is_object(input.resources)

training_workloads := {a | some a in lib.training}

stores_used := {s | some s, _ in lib.personal_store_used}

violated := {v.address | some v in violations}
