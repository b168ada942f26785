# The data-access graph: which links of the input carry access to data (policy data
# settings.graph, docs/data-access-graph.md) and reachability over them at any depth.
package residency_guard.lib

import future.keywords.not

gs := settings.graph

# ---------- facts from the reader ----------

# Every link of the input. A document without an edge list (older readers) gives its references.
input_edges := input.edges if is_array(input.edges)

input_edges := [e |
	some a, r in live
	some ref in r.references
	e := {"from": a, "to": ref.address, "attribute": ref.attribute, "how": "reference"}
] if not is_array(input.edges)

externals := input.external if is_object(input.external)

externals := {} if not is_object(input.external)

statements := input.iam_statements if is_array(input.iam_statements)

statements := [] if not is_array(input.iam_statements)

# An external node backed by the other stack's resource entry (cdktf cross-stack).
ext_resource(n) := externals[n].resource if is_object(externals[n].resource)

# node -> type, built once: the resource type, the other stack's resource type, or
# `arn:<service>:<resource type>` for an ARN / URI node.
ntype := object.union({n: t | some n, r in live; t := r.type}, {n: t | some n, e in externals; t := ext_type(n, e)})

ext_type(n, e) := ext_resource(n).type

ext_type(n, e) := concat(":", ["arn", object.get(e, "service", ""), object.get(e, "resource_type", "")]) if not ext_resource(n)

node(n) if ntype[n]

node_type(n) := ntype[n]

node_location(n) := live[n].location

node_location(n) := externals[n].location if not live[n]

node_tags(n) := live[n].tags

node_tags(n) := ext_resource(n).tags if not live[n]

# ---------- the semantics tables ----------

never_carries_external := {t | some t in gs.never_carries_external}

# Nodes through which personal-ness never flows: keys, networks, log groups (links into or out
# of them carry nothing). Built once from the type index.
never_nodes := {n | some t in gs.never_carries; some n in of_type(t)} | {n |
	some n, e in externals
	not ext_resource(n)
	never_external(e)
}

never_external(e) if never_carries_external[concat(":", [object.get(e, "service", ""), "*"])]

never_external(e) if never_carries_external[concat(":", [object.get(e, "service", ""), object.get(e, "resource_type", "")])]

never_carries(n) if never_nodes[n]

# Attribute path without list indices (`roles.0` -> `roles`), as the tables name attributes.
attr_key(a) := concat(".", [p | some p in split(a, "."); not regex.match(`^[0-9]+$`, p)])

table_attr(table, t, a) if {
	attrs := table[t]
	attrs[_] == a
}

# Attributes with list indices (`roles.0`) are compared without them.
table_attr(table, t, a) if {
	attrs := table[t]
	not attrs[_] == a
	k := attr_key(a)
	attrs[_] == k
}

reverse_edge(e) if table_attr(gs.reverse, ntype[e.from], e.attribute)

copy_edge(e) if table_attr(gs.copies, ntype[e.from], e.attribute)

statement_edge(e) if is_number(e.statement)

# A policy document's reference to what its statements name: the statement's own edges (with its
# effect and actions) stand for it, so the reference carries nothing by itself. A reference no
# statement edge stands for (an ARN the reader cannot tie to the resource, such as an rds-db
# dbuser ARN built from a cluster's resource id) keeps carrying.
explained_edge(e) if {
	e.how == "reference"
	not statement_edge(e)
	table_attr(gs.statement_references, ntype[e.from], e.attribute)
	statement_pairs[e.from][e.to]
}

statement_pairs[e.from] contains e.to if {
	some e in input_edges
	statement_edge(e)
}

# A link that names the container of what is granted (the database of a Lake Formation table
# grant), not something used; it carries only when the grant covers the whole container
# (`wildcard = true`: every table of the database).
qualifier_edge(e) if {
	table_attr(gs.qualifiers, ntype[e.from], e.attribute)
	not wildcard_grant(e.from)
	not locationless_table(e.from)
}

# A Glue table without its own location keeps its data under the database's location.
locationless_table(n) if {
	live[n].type == "aws_glue_catalog_table"
	not table_location(n)
}

table_location(n) if {
	some sd in blocks(live[n].values.storage_descriptor)
	is_string(sd.location)
	sd.location != ""
}

wildcard_grant(n) if {
	some attr in ["table", "table_with_columns"]
	some b in blocks(live[n].values[attr])
	b.wildcard == true
}

edge_kind(e) := "reverse" if reverse_edge(e) else := "copy" if copy_edge(e) else := "statement" if statement_edge(e) else := "explained" if explained_edge(e) else := "qualifier" if qualifier_edge(e) else := "forward"

# kind -> indexes of the input edges of that kind, classified in one pass.
edges_of_kind[k] contains i if {
	some i, e in input_edges
	k := edge_kind(e)
}

edges_of(k) := edges_of_kind[k]

edges_of(k) := set() if not edges_of_kind[k]

# IAM services whose data a node holds: by resource type, or the service of an ARN node.
node_services(n) := {s | some s in svcs} if svcs := gs.services[node_type(n)]

node_services(n) := {externals[n].service} if {
	not live[n]
	not ext_resource(n)
	is_string(externals[n].service)
	external_store(n)
}

node_services(n) := set() if {
	not gs.services[node_type(n)]
	not external_store(n)
}

external_store_keys := {k | some k in gs.external_stores}

external_store(n) if {
	e := externals[n]
	not ext_resource(n)
	external_store_keys[concat(":", [object.get(e, "service", ""), object.get(e, "resource_type", "")])]
}

external_store(n) if {
	e := externals[n]
	not ext_resource(n)
	external_store_keys[concat(":", [object.get(e, "service", ""), "*"])]
}

# Nodes that hold data: data-store types, and ARN / URI nodes naming a store (built once).
store_nodes := {n | some t in data_store_types; some n in of_type(t)} | {n |
	some n, _ in externals
	store_type_or_external(n)
}

store_type_or_external(n) if data_store_types[ntype[n]]

store_type_or_external(n) if external_store(n)

store_node(n) if store_nodes[n]

data_store_types := {t | some t in settings.data_stores.resource_types}

# ---------- IAM statements: which data actions each one allows or denies ----------

data_actions := {svc: {a | some a in acts} | some svc, acts in gs.iam.data_actions}

all_data_actions := {concat(":", [svc, a]) | some svc, acts in data_actions; some a in acts}

wildcard(x) if contains(x, "*")

wildcard(x) if contains(x, "?")

# Data actions ("svc:action", lower case) an action pattern of a statement matches.
expand_action(x) := all_data_actions if x == "*"

expand_action(x) := {concat(":", [svc, a]) | some a in data_actions[svc]} if {
	parts := split(x, ":")
	count(parts) == 2
	svc := parts[0]
	not wildcard(svc)
	parts[1] == "*"
}

expand_action(x) := {concat(":", [svc, act]) | data_actions[svc][act]} if {
	parts := split(x, ":")
	count(parts) == 2
	svc := parts[0]
	act := parts[1]
	not wildcard(svc)
	not wildcard(act)
}

expand_action(x) := {concat(":", [svc, a]) | some a in data_actions[svc]; glob.match(act, [], a)} if {
	parts := split(x, ":")
	count(parts) == 2
	svc := parts[0]
	act := parts[1]
	not wildcard(svc)
	wildcard(act)
	act != "*"
}

expand_action(x) := {sa | some sa in all_data_actions; glob.match(x, [], sa)} if {
	x != "*"
	parts := split(x, ":")
	count(parts) == 2
	wildcard(parts[0])
}

expand_actions(xs) := {sa | some x in xs; is_string(x); some sa in expand_action(lower(x))}

# index -> data actions the statement names: its actions, or everything its NotAction leaves.
statement_actions[i] := expand_actions(st.actions) if {
	some i, st in statements
	is_array(st.actions)
}

# NotAction: every data action it does not exclude (an Allow with NotAction grants those).
statement_actions[i] := all_data_actions - expand_actions(st.not_actions) if {
	some i, st in statements
	not is_array(st.actions)
	is_array(st.not_actions)
}

readable(st) if {
	is_null(object.get(st, "unresolved", null))
	st.effect
}

allow_statement(i) if {
	st := statements[i]
	readable(st)
	st.effect == "Allow"
}

# Deny statements without a condition, per policy holder (a conditional Deny removes no grant).
unconditional_denies[holder] contains i if {
	some i, st in statements
	readable(st)
	st.effect == "Deny"
	not st.has_condition
	holder := st.policy
}

# The statement applies to every resource: `Resource: "*"`.
all_resources(st) if {
	is_array(st.resources)
	some r in st.resources
	r == "*"
}

# NotResource: every resource except the ones it names.
not_resource_statement(st) if {
	not is_array(st.resources)
	is_array(st.not_resources)
}

# Statement j -> nodes its Resource names whole (the store and everything under it), the nodes its
# NotResource names in any part, and the nodes its NotResource names whole.
whole_targets[j] contains e.to if {
	some i in edges_of("statement")
	e := input_edges[i]
	e.part == "resource"
	e.whole == true
	j := e.statement
}

not_resource_targets[j] contains e.to if {
	some i in edges_of("statement")
	e := input_edges[i]
	e.part == "not_resource"
	j := e.statement
}

excluded_targets[j] contains e.to if {
	some i in edges_of("statement")
	e := input_edges[i]
	e.part == "not_resource"
	e.whole == true
	j := e.statement
}

# Where an unconditional Deny removes access: everywhere (`*`), everything its NotResource does not
# touch, or a node its Resource names whole (a Deny on `b/private/*` leaves the rest of `b` readable).
deny_covers(j, n) if all_resources(statements[j])

deny_covers(j, n) if {
	not_resource_statement(statements[j])
	not not_resource_targets[j][n]
}

deny_covers(j, n) if whole_targets[j][n]

# Data actions an unconditional Deny of the same document removes on node n.
denied(holder, n) := {sa |
	some j in unconditional_denies[holder]
	deny_covers(j, n)
	some sa in statement_actions[j]
}

service_of(sa) := split(sa, ":")[0]

# Data actions statement i grants on node n from holder (empty when none).
granted(holder, i, n) := {sa |
	svcs := node_services(n)
	some sa in statement_actions[i]
	svcs[service_of(sa)]
} - denied(holder, n)

action_text(acts) := concat(", ", sorted) if {
	count(acts) <= 3
	sorted := sort(acts)
}

action_text(acts) := concat("", [concat(", ", array.slice(sort(acts), 0, 3)), " and ", format_int(count(acts) - 3, 10), " more"]) if count(acts) > 3

statement_name(i) := concat("", ["statement ", statements[i].sid]) if is_string(statements[i].sid)

statement_name(i) := concat("", ["statement ", format_int(statements[i].index, 10)]) if not is_string(statements[i].sid)

# ---------- edges that carry data access: from -> [to, reason] ----------

# Nodes whose own links carry nothing: keys and networks, and stores explicitly classified as not
# personal (the classification stops propagation through them).
closed_nodes := never_nodes | {n | some n, _ in nonpersonal_reason}

closed(n) if closed_nodes[n]

forward_ok(e) if {
	node(e.from)
	node(e.to)
	e.from != e.to
	not closed(e.from)
	not never_carries(e.to)
}

how_text(e) := concat("", ["references ", e.to, " via ", e.attribute]) if e.how == "reference"

how_text(e) := concat("", ["names ", e.to, " (", e.how, ") in ", e.attribute]) if e.how != "reference"

# Plain links: the resource that names another can use its data.
carry[e.from] contains [e.to, i] if {
	some i in edges_of("forward")
	e := input_edges[i]
	forward_ok(e)
}

# IAM statement links carry only when the statement allows data actions on a store, or anything on
# a node that is not a store (PassRole to a role, invoking a function that reads data).
carry[e.from] contains [e.to, text] if {
	some i in edges_of("statement")
	e := input_edges[i]
	object.get(e, "part", "resource") != "not_resource"
	forward_ok(e)
	allow_statement(e.statement)
	acts := granted(e.from, e.statement, e.to)
	count(acts) > 0
	text := concat("", ["allows ", action_text(acts), " on ", e.to, " (", statement_name(e.statement), " of ", e.attribute, ")"])
}

carry[e.from] contains [e.to, text] if {
	some i in edges_of("statement")
	e := input_edges[i]
	object.get(e, "part", "resource") != "not_resource"
	forward_ok(e)
	allow_statement(e.statement)
	count(node_services(e.to)) == 0
	not store_node(e.to)
	text := concat("", ["allows access to ", e.to, " (", statement_name(e.statement), " of ", e.attribute, ")"])
}

# Resource policies: a statement that names a principal of the input and allows data actions on
# a store gives that principal access to the store (a bucket policy granting a role).
statement_resources[j] contains e.to if {
	some i in edges_of("statement")
	e := input_edges[i]
	e.part == "resource"
	j := e.statement
}

carry[pe.to] contains [n, text] if {
	some i in edges_of("statement")
	pe := input_edges[i]
	pe.part == "principal"
	node(pe.to)
	not closed(pe.to)
	allow_statement(pe.statement)
	some n in statement_resources[pe.statement]
	node(n)
	n != pe.to
	not never_carries(n)
	acts := granted(pe.from, pe.statement, n)
	count(acts) > 0
	text := concat("", ["is allowed ", action_text(acts), " on ", n, " by ", statement_name(pe.statement), " of ", pe.from])
}

# Link resources joining two others are followed back from the resource they name (role ->
# role policy -> bucket; file system -> data repository association -> bucket).
carry[e.to] contains [e.from, i] if {
	some i in edges_of("reverse")
	e := input_edges[i]
	node(e.from)
	node(e.to)
	e.from != e.to
	not closed(e.to)
	not never_carries(e.from)
}

# A copy destination holds what the copy source holds.
carry[e.to] contains [e.from, i] if {
	some i in edges_of("copy")
	e := input_edges[i]
	node(e.from)
	node(e.to)
	e.from != e.to
	not closed(e.to)
	not never_carries(e.from)
}

# Services an Allow statement grants data actions of.
statement_services(i) := {service_of(sa) | some sa in statement_actions[i]}

# Stores of each IAM service in the input (live resources and ARN / URI nodes), for `*` grants.
stores_of_service[svc] contains n if {
	some t, svcs in gs.services
	some svc in svcs
	some n in of_type(t)
}

stores_of_service[svc] contains n if {
	some n, _ in externals
	external_store(n)
	svc := externals[n].service
}

# `Resource: "*"` (or NotResource): every store of a service whose data actions the statement allows.
carry[holder] contains [n, text] if {
	some i, st in statements
	allow_statement(i)
	all_resources(st)
	holder := st.policy
	node(holder)
	not closed(holder)
	some svc in statement_services(i)
	some n in stores_of_service[svc]
	acts := granted(holder, i, n)
	count(acts) > 0
	text := concat("", ["allows ", action_text(acts), " on every ", svc, " resource (", statement_name(i), ", Resource \"*\")"])
}

# NotResource: every store of those services except the ones it names whole.
carry[holder] contains [n, text] if {
	some i, st in statements
	allow_statement(i)
	not_resource_statement(st)
	holder := st.policy
	node(holder)
	not closed(holder)
	some svc in statement_services(i)
	some n in stores_of_service[svc]
	not excluded_targets[i][n]
	acts := granted(holder, i, n)
	count(acts) > 0
	text := concat("", ["allows ", action_text(acts), " on every ", svc, " resource but the ones its NotResource names (", statement_name(i), ")"])
}

# ---------- AWS-managed policies named by ARN ----------

managed_policy_name(n) := name if {
	e := externals[n]
	e.service == "iam"
	parts := split(n, ":")
	count(parts) >= 6
	parts[4] == "aws"
	startswith(parts[5], "policy/")
	segs := split(parts[5], "/")
	name := segs[count(segs) - 1]
}

managed_grants(name, n) if {
	some g in gs.managed_policies[name]
	g.service == "*"
	store_node(n)
}

managed_grants(name, n) if {
	some g in gs.managed_policies[name]
	not g.names
	node_services(n)[g.service]
}

managed_grants(name, n) if {
	some g in gs.managed_policies[name]
	node_services(n)[g.service]
	some pattern in g.names
	some nm in store_names(n)
	glob.match(lower(pattern), [], lower(nm))
}

store_names(n) := {x | some k in ["bucket", "name", "table_name", "cluster_identifier", "identifier"]; x := live[n].values[k]; is_string(x)} if live[n]

store_names(n) := {x | x := externals[n].name; is_string(x)} if not live[n]

carry[m] contains [n, text] if {
	some m, _ in externals
	name := managed_policy_name(m)
	gs.managed_policies[name]
	some n in all_stores
	managed_grants(name, n)
	text := concat("", ["is the AWS-managed policy ", name, ", which grants data access to ", n])
}

all_stores := {n | some t in data_store_types; some n in of_type(t)} | {n | some n, _ in externals; store_node(n)}

# ---------- the graph and reachability ----------

all_nodes := {n | some n, _ in live} | {n | some n, _ in externals}

# node -> nodes whose data it can reach in one hop (every node is a key: graph.reachable skips others).
data_graph := {n: {h[0] | some h in carry[n]} | some n in all_nodes}

carry_back[to] contains from if {
	some from, hs in carry
	some h in hs
	to := h[0]
}

# The same graph reversed: node -> nodes that reach it in one hop.
back_graph := {n: {m | some m in carry_back[n]} | some n in all_nodes}

# Reason of the hop a -> b (the smallest when several links join them).
hop_reason(a, b) := smallest({reason_text(h[1]) | some h in carry[a]; h[0] == b})

# A hop's reason: written when the hop was made (grants), or from the input edge it follows
# (text is built only for the hops a lineage shows, not for every edge).
reason_text(x) := x if is_string(x)

reason_text(i) := edge_text(input_edges[i]) if is_number(i)

edge_text(e) := concat("", ["is linked by ", e.from, " via ", e.attribute]) if edge_kind(e) == "reverse"

edge_text(e) := concat("", ["receives copies made by ", e.from, " via ", e.attribute]) if edge_kind(e) == "copy"

edge_text(e) := how_text(e) if edge_kind(e) == "forward"

# ---------- what cannot be read ----------

# node -> why the data access it gives cannot be read (fail closed where it matters).
# A trust policy (a reverse attribute such as assume_role_policy) says who may use the role, not
# what data it reaches: an unreadable one hides no data access.
unresolved_access[n] contains reason if {
	some st in statements
	is_string(st.unresolved)
	n := st.policy
	node(n)
	not table_attr(gs.reverse, ntype[n], st.attribute)
	reason := concat("", ["its policy document (", st.attribute, ") cannot be read: ", st.unresolved])
}

unresolved_access[n] contains "is an AWS-managed policy whose data access the policy data does not list (settings.graph.managed_policies)" if {
	some n, _ in externals
	name := managed_policy_name(n)
	not gs.managed_policies[name]
}

unresolved_access[n] contains reason if {
	some n, _ in externals
	t := ext_resource(n).type
	principal_types[t]
	reason := concat("", ["is ", t, " of another stack, whose policies are not in this document"])
}

principal_types := {t | some t in gs.principal_types}

unresolved_access[n] contains reason if {
	some n, e in externals
	not ext_resource(n)
	e.service == "iam"
	not managed_policy_name(n)
	some t in ["role", "policy", "user", "group", "instance-profile"]
	e.resource_type == t
	reason := concat("", ["is an IAM ", t, " outside this document, so the data access it grants cannot be read"])
}

# ---------- network reach: EFS mount targets in a training workload's VPC ----------

# A file system without a file-system policy admits every NFS client that reaches a mount target,
# and a mount target serves its whole VPC: a training workload placed in a subnet of that VPC can
# mount the file system without naming it (security groups are not judged; conservative).
carry[w] contains [m, text] if {
	some m in of_type("aws_efs_mount_target")
	some ms in referenced(m, "aws_subnet")
	vpc := subnet_vpc(ms)
	some w in network_clients
	not closed(w)
	some ws in workload_subnets(w)
	subnet_vpc(ws) == vpc
	text := concat("", ["can mount the file system of EFS mount target ", m, " over NFS from subnet ", ws, " (same VPC ", vpc, ")"])
}

# Compute that may be a training workload (by type: the training set itself depends on the graph).
network_clients := {w |
	some t in array.concat(settings.training.resource_types, settings.training.accelerated_resource_types)
	some w in of_type(t)
}

subnet_vpc(s) := v if {
	some v in referenced(s, "aws_vpc")
}

subnet_vpc(s) := v if {
	count(referenced(s, "aws_vpc")) == 0
	v := live[s].values.vpc_id
	is_string(v)
}

# Subnets a workload runs in: its own, those of what launches it (an Auto Scaling group of its
# launch template, an ECS service of its task definition) and of what it runs on.
workload_subnets(w) := referenced(w, "aws_subnet") | {s |
	some x in incoming[w]
	some s in referenced(x.address, "aws_subnet")
} | {s |
	some ref in live[w].references
	some s in referenced(ref.address, "aws_subnet")
}

# Lake Formation grants by LF-tag expression name no table: which data they reach cannot be read.
unresolved_access[p] contains "grants Lake Formation permissions by LF-tag expression (lf_tag_policy), which the guard cannot resolve to tables" if {
	some p in of_type("aws_lakeformation_permissions")
	count(blocks(live[p].values.lf_tag_policy)) > 0
}
