# Network exposure and private-infrastructure signals, shared by the private-cloud and sector rules.
package residency_guard.lib

import future.keywords.not

truthy(x) if x == true

truthy(x) if x == "true"

falsy(x) if x == false

falsy(x) if x == "false"

dedicated_tenancy(x) if in_list(x, ["dedicated", "host"])

launch_template_public(lt) if {
	some ni in blocks(live[lt].values.network_interfaces)
	truthy(ni.associate_public_ip_address)
}

eks_endpoint_private(cluster) if {
	some vc in blocks(live[cluster].values.vpc_config)
	falsy(vc.endpoint_public_access)
}

# address -> what exposes it: a public network path to or from the resource.
public_path[addr] contains "associates a public IP address (associate_public_ip_address = true)" if {
	some addr, r in live
	truthy(r.values.associate_public_ip_address)
}

public_path[addr] contains "has a network interface that associates a public IP address" if {
	some addr, r in live
	some ni in blocks(r.values.network_interfaces)
	truthy(ni.associate_public_ip_address)
}

public_path[addr] contains text if {
	some lt in of_type("aws_launch_template")
	launch_template_public(lt)
	some x in incoming[lt]
	addr := x.address
	text := concat("", ["uses launch template ", lt, ", which associates a public IP address"])
}

public_path[addr] contains text if {
	some subnet in of_type("aws_subnet")
	truthy(live[subnet].values.map_public_ip_on_launch)
	some x in incoming[subnet]
	addr := x.address
	not public_ip_off(addr)
	text := concat("", ["runs in subnet ", subnet, ", which maps public IPs on launch"])
}

# The resource turns public IPs off itself, which overrides its subnet's map_public_ip_on_launch:
# associate_public_ip_address = false on an instance, or on every network interface of an
# instance or launch template (AWS assigns a public IP only through the primary interface).
public_ip_off(addr) if falsy(live[addr].values.associate_public_ip_address)

public_ip_off(addr) if interfaces_public_ip_off(addr)

# An instance or Auto Scaling group launched from such a template, unless it turns them on itself.
public_ip_off(addr) if {
	not public_ip_on(addr)
	some lt in referenced(addr, "aws_launch_template")
	interfaces_public_ip_off(lt)
}

public_ip_on(addr) if truthy(live[addr].values.associate_public_ip_address)

interfaces_public_ip_off(addr) if {
	nis := blocks(live[addr].values.network_interfaces)
	count(nis) > 0
	every ni in nis {
		falsy(ni.associate_public_ip_address)
	}
}

public_path[addr] contains "is publicly accessible (publicly_accessible = true)" if {
	some addr, r in live
	truthy(r.values.publicly_accessible)
}

public_path[addr] contains "has direct internet access (direct_internet_access is not Disabled)" if {
	some addr in of_type("aws_sagemaker_notebook_instance")
	r := live[addr]
	object.get(r.values, "direct_internet_access", "Enabled") != "Disabled"
}

public_path[addr] contains "lets apps reach the public internet (app_network_access_type is not VpcOnly)" if {
	some addr in of_type("aws_sagemaker_domain")
	r := live[addr]
	object.get(r.values, "app_network_access_type", "PublicInternetOnly") != "VpcOnly"
}

public_path[addr] contains text if {
	some addr in of_type("aws_eks_node_group")
	r := live[addr]
	some cluster in referenced(addr, "aws_eks_cluster")
	not eks_endpoint_private(cluster)
	text := concat("", ["joins EKS cluster ", cluster, ", whose API endpoint is public"])
}

public_path[addr] contains "allows remote SSH access (remote_access block)" if {
	some addr in of_type("aws_eks_node_group")
	r := live[addr]
	count(blocks(r.values.remote_access)) > 0
}

# Fail closed: a Fargate job's awsvpc settings live in a JSON document; unknown at plan (jsonencode
# over a new role's ARN), it may assign public IPs.
public_path[addr] contains text if {
	some addr in of_type("aws_batch_job_definition")
	r := live[addr]
	in_list("FARGATE", r.values.platform_capabilities)
	some attr in ["container_properties", "ecs_properties"]
	in_list(attr, r.unknown)
	text := concat("", ["runs Fargate tasks whose network configuration (", attr, ") is known only after apply, so assignPublicIp cannot be read; build it from values known at plan (role ARNs from names)"])
}

public_path[addr] contains "assigns public IPs to job containers (assignPublicIp ENABLED)" if {
	some addr in of_type("aws_batch_job_definition")
	r := live[addr]
	some attr in ["container_properties", "ecs_properties", "eks_properties"]
	is_string(r.values[attr])
	regex.match(`"assignPublicIp"\s*:\s*"ENABLED"`, r.values[attr])
}

# ---------- the `isolated` reading: VPC-only placement with network isolation where the service has it ----------

# Types whose isolation the guard can judge from their arguments.
isolation_types := {
	"aws_sagemaker_notebook_instance", "aws_sagemaker_domain", "aws_sagemaker_pipeline",
	"aws_bedrock_custom_model", "aws_emr_cluster", "aws_batch_compute_environment",
	"aws_batch_job_definition", "aws_eks_node_group", "aws_instance", "aws_launch_template",
	"aws_spot_instance_request"
}

private_subnet_referenced(addr) if {
	some subnet in referenced(addr, "aws_subnet")
	not truthy(live[subnet].values.map_public_ip_on_launch)
}

isolation_gap[addr] contains "is a managed service without a network-isolation setting the guard recognises" if {
	some addr in training
	not isolation_judged_type(live[addr].type)
}

isolation_gap[addr] contains "is not placed in a VPC subnet (subnet_id)" if {
	some addr in of_type("aws_sagemaker_notebook_instance")
	r := live[addr]
	not set_at(r, ["subnet_id"])
}

isolation_gap[addr] contains "has no vpc_config, so the customization job does not run in your VPC" if {
	some addr in of_type("aws_bedrock_custom_model")
	r := live[addr]
	not set_at(r, ["vpc_config", "subnet_ids"])
}

# SageMaker pipelines are judged per step in catalogue.rego.

isolation_gap[addr] contains "is not placed in a VPC subnet (ec2_attributes.subnet_id)" if {
	some addr in of_type("aws_emr_cluster")
	r := live[addr]
	not set_at(r, ["ec2_attributes", "subnet_id"])
}

isolation_gap[addr] contains "is not placed in VPC subnets (compute_resources.subnets)" if {
	some addr in of_type("aws_batch_compute_environment")
	r := live[addr]
	not set_at(r, ["compute_resources", "subnets"])
}

isolation_gap[addr] contains "is not placed in VPC subnets (subnet_ids)" if {
	some addr in of_type("aws_eks_node_group")
	r := live[addr]
	not set_at(r, ["subnet_ids"])
}

isolation_gap[addr] contains "does not turn public IP addresses off (set associate_public_ip_address = false or use a private subnet)" if {
	some t in ["aws_instance", "aws_spot_instance_request"]
	some addr in of_type(t)
	r := live[addr]
	not falsy(r.values.associate_public_ip_address)
	not private_subnet_referenced(addr)
}

isolation_gap[addr] contains "does not turn public IP addresses off on its network interfaces (associate_public_ip_address = false)" if {
	some addr in of_type("aws_launch_template")
	r := live[addr]
	not launch_template_private(r)
	not launch_template_private_by_groups(addr)
}

launch_template_private(r) if {
	some ni in blocks(r.values.network_interfaces)
	falsy(ni.associate_public_ip_address)
}

# ---------- the `dedicated` reading: single-tenant hardware (dedicated tenancy, hosts, Outposts) ----------

dedicated_signal(addr) if dedicated_tenancy(live[addr].values.tenancy)

dedicated_signal(addr) if {
	some p in blocks(live[addr].values.placement)
	dedicated_tenancy(p.tenancy)
}

dedicated_signal(addr) if nonempty(live[addr].values.host_id)

dedicated_signal(addr) if nonempty(live[addr].values.outpost_arn)

dedicated_signal(addr) if {
	some lt in referenced(addr, "aws_launch_template")
	some p in blocks(live[lt].values.placement)
	dedicated_tenancy(p.tenancy)
}

dedicated_signal(addr) if {
	some subnet in referenced(addr, "aws_subnet")
	nonempty(live[subnet].values.outpost_arn)
}

dedicated_gap[addr] contains "does not run on dedicated tenancy, a dedicated host or an Outpost" if {
	some addr in training
	not dedicated_signal(addr)
}

# address -> what keeps it off private infrastructure under the configured reading.
private_gap[addr] contains text if {
	some addr, texts in public_path
	some text in texts
}

private_gap[addr] contains text if {
	settings.private_cloud.reading == "isolated"
	some addr, texts in isolation_gap
	some text in texts
}

private_gap[addr] contains text if {
	settings.private_cloud.reading == "dedicated"
	some addr, texts in dedicated_gap
	some text in texts
}

private_gap[addr] contains "cannot be judged: unknown private-cloud reading (use dedicated or isolated)" if {
	not in_list(settings.private_cloud.reading, ["isolated", "dedicated"])
	some addr, _ in live
}

# What keeps addr off private infrastructure (empty when private).
private_gaps(addr) := private_gap[addr]

private_gaps(addr) := set() if not private_gap[addr]

# Public-path and isolation texts of one resource (empty when none).
path_texts(addr) := public_path[addr]

path_texts(addr) := set() if not public_path[addr]

isolation_texts(addr) := isolation_gap[addr]

isolation_texts(addr) := set() if not isolation_gap[addr]
