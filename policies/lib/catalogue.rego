# The catalogue of workloads and network paths that a type list cannot show: GPU ECS tasks, Step
# Functions that start SageMaker or Bedrock jobs, SageMaker pipeline steps, HyperPod, Studio user
# profiles and spaces, EMR Serverless, Elastic IPs and Auto Scaling groups. Tables in
# policies/data/catalogue.json (settings.catalogue).
package residency_guard.lib

import future.keywords.not

catalogue := settings.catalogue

# ---------- links: references, and the reader's value-matched edges when it emits them ----------

# The reader's edges (input.edges) indexed both ways; references use the indexes of core.rego,
# so no second pass over every reference is made.
edge_out[from] contains to if {
	some e in input.edges
	from := e.from
	to := e.to
}

edge_in[to] contains from if {
	some e in input.edges
	from := e.from
	to := e.to
}

# Live resources addr links to (a reference or an edge).
links_from(addr) := {a | some ref in live[addr].references; a := ref.address; live[a]} | {a | some a in edge_out[addr]; live[a]}

# Live resources of type t that addr links to.
links_to_type(addr, t) := referenced(addr, t) | {a | some a in edge_out[addr]; live[a].type == t}

# Live resources of type t that link to addr.
linked_by_type(addr, t) := referrers(addr, t) | {a | some a in edge_in[addr]; live[a].type == t}

# Live resources addr links to through an attribute starting with prefix (references and edges).
links_via(addr, prefix) := {a |
	some ref in live[addr].references
	startswith(ref.attribute, prefix)
	a := ref.address
	live[a]
} | {a |
	some e in input.edges
	e.from == addr
	startswith(e.attribute, prefix)
	a := e.to
	live[a]
}

# ---------- values at any depth ----------

# Every [path, value] inside v, v itself included.
nodes(v) := {[p, x] | walk(v, [p, x])}

# A string that holds a JSON object or array (policies, task and pipeline definitions), parsed.
embedded_json(x) := doc if {
	is_string(x)
	regex.match(`^\s*[\[{]`, x)
	json.is_valid(x)
	doc := json.unmarshal(x)
}

# Every [dotted path, string] in a resource's values at any depth, descending into strings that
# hold JSON documents (their inner path follows the attribute's).
value_strings(r) := {[concat(".", [format_int_path(p)]), x] |
	some n in nodes(r.values)
	p := n[0]
	x := n[1]
	is_string(x)
} | {[concat(".", [format_int_path(p), format_int_path(q)]), y] |
	some n in nodes(r.values)
	doc := embedded_json(n[1])
	p := n[0]
	some m in nodes(doc)
	q := m[0]
	y := m[1]
	is_string(y)
}

format_int_path(p) := concat(".", [s | some k in p; s := key_text(k)])

key_text(k) := k if is_string(k)

key_text(k) := format_int(k, 10) if is_number(k)

# ---------- job network settings (SageMaker pipeline steps, Step Functions tasks) ----------

# Literal true at one of the paths (a pipeline parameter or a `.$` path is not a literal).
job_isolated(args, spec) if {
	count(spec.isolation_paths) > 0
	every p in spec.isolation_paths {
		not path_false_or_missing(args, p)
	}
	some p in spec.isolation_paths
	some x in path_values(args, p)
	x == true
}

path_false_or_missing(args, p) if count(path_values(args, p)) == 0

path_false_or_missing(args, p) if {
	some x in path_values(args, p)
	x != true
}

job_in_vpc(args, spec) if {
	some p in spec.subnet_paths
	some x in path_values(args, p)
	is_array(x)
	count(x) > 0
}

# What the job's arguments leave open, as message fragments.
job_gaps(args, kind) := {g | some g in isolation_fragment(args, kind)} | {g | some g in vpc_fragment(args, kind)}

isolation_fragment(args, kind) := {"network isolation is not enabled (EnableNetworkIsolation = true)"} if {
	spec := catalogue.jobs[kind]
	count(spec.isolation_paths) > 0
	not job_isolated(args, spec)
} else := set()

vpc_fragment(args, kind) := {"it is not placed in VPC subnets (VpcConfig)"} if {
	spec := catalogue.jobs[kind]
	not job_in_vpc(args, spec)
} else := set()

# ---------- SageMaker pipelines: isolation per step ----------

pipeline_doc(r) := embedded_json(r.values.pipeline_definition)

# [step name, step type, arguments] of every step (Condition steps nest theirs in IfSteps/ElseSteps).
pipeline_steps(doc) := {[name, t, args] |
	some n in nodes(doc)
	step := n[1]
	is_object(step)
	t := step.Type
	is_string(t)
	catalogue.pipeline_steps[t]
	args := object.get(step, "Arguments", {})
	name := step_name(step)
}

step_name(step) := step.Name if is_string(step.Name)

step_name(step) := "(unnamed)" if not is_string(step.Name)

isolation_gap[addr] contains text if {
	some addr in of_type("aws_sagemaker_pipeline")
	doc := pipeline_doc(live[addr])
	some s in pipeline_steps(doc)
	gaps := job_gaps(s[2], catalogue.pipeline_steps[s[1]])
	count(gaps) > 0
	text := concat("", ["runs pipeline step ", s[0], " (", s[1], ") where ", concat(" and ", sort(gaps))])
}

isolation_gap[addr] contains "has a pipeline definition that cannot be read at plan time (unknown, in S3, or not JSON), so its steps cannot be judged" if {
	some addr in of_type("aws_sagemaker_pipeline")
	not pipeline_doc(live[addr])
}

# ---------- Step Functions state machines that start training jobs ----------

# `sagemaker:createTrainingJob` from `arn:aws:states:::sagemaker:createTrainingJob.sync` (also
# other partitions, `.waitForTaskToken`, and `aws-sdk:` integrations).
sfn_action(resource) := action if {
	is_string(resource)
	regex.match(`^arn:aws[a-z-]*:states:::`, resource)
	rest := split(resource, ":::")[1]
	plain := trim_prefix(rest, "aws-sdk:")
	action := split(plain, ".")[0]
}

sfn_doc(r) := embedded_json(r.values.definition)

# [state name path, job kind, arguments] of every task state that starts a training job.
sfn_training_tasks(doc) := {[name, kind, args] |
	some n in nodes(doc)
	state := n[1]
	is_object(state)
	state.Type == "Task"
	kind := catalogue.state_machine_tasks[sfn_action(state.Resource)]
	args := object.get(state, "Parameters", object.get(state, "Arguments", {}))
	name := format_int_path(n[0])
}

sfn_training(addr) if {
	doc := sfn_doc(live[addr])
	count(sfn_training_tasks(doc)) > 0
}

training contains addr if {
	some addr in of_type("aws_sfn_state_machine")
	sfn_training(addr)
}

# A definition unknown at plan may start training jobs: judged as one when it reaches personal data.
training contains addr if {
	some addr in of_type("aws_sfn_state_machine")
	not sfn_doc(live[addr])
	reaches_tagged(addr)
}

# Reaches tagged personal data: through the lineage graph when lib has one (`reaches_personal`,
# read as a data reference so this file compiles with or without it), else within two links or
# through a role's policies (role <- role policy or attachment -> store, or -> managed policy -> store).
reaches_tagged(addr) if data.residency_guard.lib.reaches_personal[addr]

reaches_tagged(addr) if {
	some x in links_from(addr)
	tagged_or_next(x)
}

tagged_or_next(x) if personal_tag_reason[x]

tagged_or_next(x) if {
	some y in links_from(x)
	personal_tag_reason[y]
}

tagged_or_next(role) if {
	live[role].type == "aws_iam_role"
	some t in role_policy_types
	some p in linked_by_type(role, t)
	some y in links_from(p)
	tagged_or_linked(y)
}

tagged_or_linked(y) if personal_tag_reason[y]

tagged_or_linked(y) if {
	some z in links_from(y)
	personal_tag_reason[z]
}

role_policy_types := {"aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_policy_attachment"}

isolation_gap[addr] contains text if {
	some addr in of_type("aws_sfn_state_machine")
	doc := sfn_doc(live[addr])
	some t in sfn_training_tasks(doc)
	gaps := job_gaps(t[2], t[1])
	count(gaps) > 0
	text := concat("", ["starts a ", t[1], " job in state ", t[0], " where ", concat(" and ", sort(gaps))])
}

isolation_gap[addr] contains "has a definition that cannot be read at plan time, so the jobs it starts cannot be judged" if {
	some addr in training
	live[addr].type == "aws_sfn_state_machine"
	not sfn_doc(live[addr])
}

# ---------- ECS task definitions with GPUs ----------

ecs_gpu_types := {upper(t) | some t in catalogue.ecs.gpu_requirement_types}

ecs_gpu_task(r) if {
	containers := embedded_json(r.values.container_definitions)
	some c in containers
	some req in c.resourceRequirements
	is_string(req.type)
	ecs_gpu_types[upper(req.type)]
}

# A placement constraint that pins the task to an accelerator instance family.
ecs_gpu_task(r) if {
	some pc in blocks(r.values.placement_constraints)
	is_string(pc.expression)
	some family in settings.training.accelerator_families
	regex.match(concat("", [`ecs\.instance-type\s*(==|=~|in)\s*\(?\s*['"]?`, family]), pc.expression)
}

# A task definition run by a service on a capacity provider whose Auto Scaling group launches
# accelerator instances (by its launch template or its mixed-instances overrides).
ecs_gpu_capacity(addr) if {
	some svc in linked_by_type(addr, "aws_ecs_service")
	some cp in ecs_capacity_providers(svc)
	some asg in links_to_type(cp, "aws_autoscaling_group")
	asg_accelerated(asg)
}

# The service's own capacity provider strategy, else its cluster's default strategy.
ecs_capacity_providers(svc) := links_to_type(svc, "aws_ecs_capacity_provider") if {
	count(links_to_type(svc, "aws_ecs_capacity_provider")) > 0
} else := {cp |
	some cluster in links_to_type(svc, "aws_ecs_cluster")
	some ccp in linked_by_type(cluster, "aws_ecs_cluster_capacity_providers")
	some cp in links_to_type(ccp, "aws_ecs_capacity_provider")
}

asg_accelerated(asg) if {
	some lt in asg_launch_templates(asg)
	accelerator_instance(live[lt].values.instance_type)
}

asg_accelerated(asg) if {
	some t in path_values(live[asg].values, ["mixed_instances_policy", "launch_template", "override", "instance_type"])
	accelerator_instance(t)
}

training contains addr if {
	some addr in of_type("aws_ecs_task_definition")
	ecs_gpu_task(live[addr])
}

training contains addr if {
	some addr in of_type("aws_ecs_task_definition")
	ecs_gpu_capacity(addr)
}

ecs_service_private(svc) if {
	some nc in blocks(live[svc].values.network_configuration)
	nonempty(nc.subnets)
	not truthy(nc.assign_public_ip)
	not public_subnet_linked(svc)
}

public_subnet_linked(addr) if {
	some subnet in links_to_type(addr, "aws_subnet")
	truthy(live[subnet].values.map_public_ip_on_launch)
}

isolation_gap[addr] contains "is run by no ECS service placed in private VPC subnets without public IPs (network_configuration)" if {
	some addr in training
	live[addr].type == "aws_ecs_task_definition"
	not ecs_private_service(addr)
}

ecs_private_service(addr) if {
	some svc in linked_by_type(addr, "aws_ecs_service")
	ecs_service_private(svc)
}

public_path[addr] contains text if {
	some addr in of_type("aws_ecs_task_definition")
	some svc in linked_by_type(addr, "aws_ecs_service")
	some nc in blocks(live[svc].values.network_configuration)
	truthy(nc.assign_public_ip)
	text := concat("", ["runs as ECS service ", svc, ", which assigns public IPs (assign_public_ip = true)"])
}

# ---------- SageMaker HyperPod clusters ----------

hyperpod_types := {"aws_sagemaker_cluster", "awscc_sagemaker_cluster"}

training contains addr if {
	some t in catalogue.training_resource_types
	some addr in of_type(t)
}

hyperpod_in_vpc(r) if {
	some x in path_values(r.values, ["vpc_config", "subnets"])
	nonempty(x)
}

hyperpod_in_vpc(r) if unknown_at(r, ["vpc_config", "subnets"])

isolation_gap[addr] contains "is not placed in VPC subnets (vpc_config.subnets)" if {
	some t in hyperpod_types
	some addr in of_type(t)
	not hyperpod_in_vpc(live[addr])
}

public_path[addr] contains text if {
	some t in hyperpod_types
	some addr in of_type(t)
	some cluster in links_to_type(addr, "aws_eks_cluster")
	not eks_endpoint_private(cluster)
	text := concat("", ["is orchestrated by EKS cluster ", cluster, ", whose API endpoint is public"])
}

# ---------- Studio user profiles and spaces: the network of their domain ----------

studio_types := {"aws_sagemaker_user_profile", "aws_sagemaker_space"}

studio_domain(addr) := d if {
	some d in links_to_type(addr, "aws_sagemaker_domain")
}

domain_vpc_only(d) if live[d].values.app_network_access_type == "VpcOnly"

isolation_gap[addr] contains text if {
	some t in studio_types
	some addr in of_type(t)
	d := studio_domain(addr)
	not domain_vpc_only(d)
	text := concat("", ["belongs to SageMaker domain ", d, ", which is not VpcOnly"])
}

isolation_gap[addr] contains "belongs to a SageMaker domain that is not in this document, so its network access cannot be judged" if {
	some t in studio_types
	some addr in of_type(t)
	not studio_domain(addr)
}

public_path[addr] contains text if {
	some t in studio_types
	some addr in of_type(t)
	d := studio_domain(addr)
	object.get(live[d].values, "app_network_access_type", "PublicInternetOnly") != "VpcOnly"
	text := concat("", ["runs apps in SageMaker domain ", d, ", which lets them reach the public internet"])
}

# ---------- EMR Serverless ----------

isolation_gap[addr] contains "is not placed in VPC subnets (network_configuration.subnet_ids)" if {
	some addr in of_type("aws_emrserverless_application")
	not set_at(live[addr], ["network_configuration", "subnet_ids"])
}

# ---------- Elastic IPs ----------

# Network interfaces of a resource: named by it, naming it, or joined by an attachment.
enis_of(addr) := ({n | some n in links_to_type(addr, "aws_network_interface")} | {n | some n in linked_by_type(addr, "aws_network_interface")}) | {n |
	some att in linked_by_type(addr, "aws_network_interface_attachment")
	some n in links_to_type(att, "aws_network_interface")
}

eip_types := {"aws_eip", "aws_eip_association"}

# Elastic IPs (or their associations) that point at addr or at one of its network interfaces.
eips_of(addr) := {e |
	some t in eip_types
	some e in linked_by_type(addr, t)
} | {e |
	some n in enis_of(addr)
	some t in eip_types
	some e in linked_by_type(n, t)
}

# Every Elastic IP eips_of finds is a live resource of an eip_types type: without one in the
# document, no training workload needs the per-workload search (most of this file's cost).
eips_present if {
	some t in eip_types
	count(of_type(t)) > 0
}

public_path[addr] contains text if {
	eips_present
	some addr in training
	some e in eips_of(addr)
	text := concat("", ["has Elastic IP ", e, " associated with it or its network interface"])
}

# ---------- launch templates judged with the subnets they are launched into ----------

asg_launch_templates(asg) := links_to_type(asg, "aws_launch_template")

# What launches instances from a template into subnets (catalogue.launchers): Auto Scaling groups,
# EKS node groups, Batch compute environments.
launchers_of(lt) := {g |
	some t, _ in catalogue.launchers
	some g in linked_by_type(lt, t)
}

launcher_public_subnets(g) := {s |
	some s in links_to_type(g, "aws_subnet")
	truthy(live[s].values.map_public_ip_on_launch)
}

# Subnet ids written in the launcher (known at plan).
launcher_subnet_ids(g) := {x |
	some v in path_values(live[g].values, catalogue.launchers[live[g].type].subnets)
	is_array(v)
	some x in v
}

# Every subnet of the launcher is a subnet of this document, and none maps public IPs.
launcher_private(g) if {
	subnets := links_to_type(g, "aws_subnet")
	count(subnets) > 0
	count(subnets) >= count(launcher_subnet_ids(g))
	count(launcher_public_subnets(g)) == 0
}

# The template is launched only into private subnets, by at least one launcher.
launch_template_private_by_groups(lt) if {
	groups := launchers_of(lt)
	count(groups) > 0
	every g in groups {
		launcher_private(g)
	}
}

public_path[lt] contains text if {
	some lt in of_type("aws_launch_template")
	training[lt]
	not launch_template_private(live[lt])
	some g in launchers_of(lt)
	some s in launcher_public_subnets(g)
	what := catalogue.launchers[live[g].type].what
	text := concat("", ["is launched by ", what, " ", g, " into subnet ", s, ", which maps public IPs on launch"])
}

# ---------- types whose isolation this file judges ----------

isolation_judged_type(t) if isolation_types[t]

isolation_judged_type(t) if in_list(t, catalogue.isolation_types)
