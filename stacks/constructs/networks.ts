// Networks for training workloads: the private one the kr-localization profile expects
// (dedicated tenancy, private subnets, VPC endpoints, no internet gateway) and an
// internet-facing one used by the examples that show what the guard rejects.

import { Construct } from "constructs";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { placed, TAG, type PlacementProps } from "./common";

/** What every network construct offers to the workloads placed in it. */
export interface TrainingNetwork {
  readonly vpc: Vpc;
  readonly subnets: Subnet[];
  readonly workloadSecurityGroup: SecurityGroup;
  /** The Region the network lives in (needed for AZ names and endpoint service names). */
  readonly regionName: string;
}

/** Options of a PrivateTrainingNetwork. */
export interface PrivateTrainingNetworkProps extends PlacementProps {
  /** Region of the network; must match the provider (or per-resource region) in use. */
  readonly regionName: string;
  readonly cidr?: string;
  /** Defaults to `dedicated`; SageMaker jobs and notebooks need `default` (see docs/stacks.md). */
  readonly instanceTenancy?: "dedicated" | "default";
  /** AZ suffixes, default `a` and `c` (exist in ap-northeast-2, us-east-1 and us-west-2). */
  readonly azSuffixes?: string[];
  /** Interface endpoint services besides the S3 gateway endpoint. */
  readonly interfaceEndpoints?: string[];
  readonly tags?: Record<string, string>;
}

const DEFAULT_ENDPOINTS = ["sagemaker.api", "sagemaker.runtime", "ecr.api", "ecr.dkr", "sts", "logs"];

/** A VPC with dedicated tenancy, private subnets only, S3/SageMaker/ECR endpoints and no internet gateway. */
export class PrivateTrainingNetwork extends Construct implements TrainingNetwork {
  readonly vpc: Vpc;
  readonly subnets: Subnet[];
  readonly routeTable: RouteTable;
  readonly endpointSecurityGroup: SecurityGroup;
  readonly workloadSecurityGroup: SecurityGroup;
  readonly endpoints: VpcEndpoint[] = [];
  readonly regionName: string;

  constructor(scope: Construct, id: string, props: PrivateTrainingNetworkProps) {
    super(scope, id);
    const where = placed(props);
    const cidr = props.cidr ?? "10.20.0.0/16";
    const tenancy = props.instanceTenancy ?? "dedicated";
    const tags = { ...props.tags, [TAG.tenancy]: tenancy, Network: "private" };
    this.regionName = props.regionName;

    this.vpc = new Vpc(this, "vpc", {
      ...where,
      cidrBlock: cidr,
      instanceTenancy: tenancy,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags,
    });

    this.routeTable = new RouteTable(this, "private-routes", { ...where, vpcId: this.vpc.id, tags });

    const octets = cidr.split("/")[0].split(".");
    this.subnets = (props.azSuffixes ?? ["a", "c"]).map((az, i) => {
      const subnet = new Subnet(this, `private-${az}`, {
        ...where,
        vpcId: this.vpc.id,
        availabilityZone: `${props.regionName}${az}`,
        cidrBlock: `${octets[0]}.${octets[1]}.${i * 16}.0/20`,
        mapPublicIpOnLaunch: false,
        tags: { ...tags, Tier: "private" },
      });
      new RouteTableAssociation(this, `private-${az}-routes`, {
        ...where,
        subnetId: subnet.id,
        routeTableId: this.routeTable.id,
      });
      return subnet;
    });

    this.endpointSecurityGroup = new SecurityGroup(this, "endpoints-sg", {
      ...where,
      vpcId: this.vpc.id,
      description: "HTTPS from inside the VPC to interface endpoints",
      ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [cidr], description: "VPC only" }],
      egress: [],
      tags,
    });

    this.workloadSecurityGroup = new SecurityGroup(this, "workload-sg", {
      ...where,
      vpcId: this.vpc.id,
      description: "Training workloads: no inbound, outbound only inside the VPC",
      ingress: [],
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: [cidr], description: "VPC only" }],
      tags,
    });

    this.endpoints.push(
      new VpcEndpoint(this, "s3-endpoint", {
        ...where,
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.regionName}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [this.routeTable.id],
        tags,
      }),
    );
    for (const service of props.interfaceEndpoints ?? DEFAULT_ENDPOINTS) {
      this.endpoints.push(
        new VpcEndpoint(this, `${service.replace(/\./g, "-")}-endpoint`, {
          ...where,
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${props.regionName}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: this.subnets.map((s) => s.id),
          securityGroupIds: [this.endpointSecurityGroup.id],
          tags,
        }),
      );
    }
  }
}

/** Options of an InternetFacingNetwork. */
export interface InternetFacingNetworkProps extends PlacementProps {
  readonly regionName: string;
  readonly cidr?: string;
  readonly azSuffixes?: string[];
  readonly tags?: Record<string, string>;
}

/** Anti-pattern for the examples: default tenancy, public subnets with public IPs, an internet gateway, open ingress. */
export class InternetFacingNetwork extends Construct implements TrainingNetwork {
  readonly vpc: Vpc;
  readonly subnets: Subnet[];
  readonly internetGateway: InternetGateway;
  readonly workloadSecurityGroup: SecurityGroup;
  readonly regionName: string;

  constructor(scope: Construct, id: string, props: InternetFacingNetworkProps) {
    super(scope, id);
    const where = placed(props);
    const cidr = props.cidr ?? "10.30.0.0/16";
    const tags = { ...props.tags, [TAG.tenancy]: "default", Network: "public" };
    this.regionName = props.regionName;

    this.vpc = new Vpc(this, "vpc", {
      ...where,
      cidrBlock: cidr,
      instanceTenancy: "default",
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags,
    });
    this.internetGateway = new InternetGateway(this, "igw", { ...where, vpcId: this.vpc.id, tags });
    const routes = new RouteTable(this, "public-routes", { ...where, vpcId: this.vpc.id, tags });
    new Route(this, "default-route", {
      ...where,
      routeTableId: routes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: this.internetGateway.id,
    });

    const octets = cidr.split("/")[0].split(".");
    this.subnets = (props.azSuffixes ?? ["a", "c"]).map((az, i) => {
      const subnet = new Subnet(this, `public-${az}`, {
        ...where,
        vpcId: this.vpc.id,
        availabilityZone: `${props.regionName}${az}`,
        cidrBlock: `${octets[0]}.${octets[1]}.${i * 16}.0/20`,
        mapPublicIpOnLaunch: true,
        tags: { ...tags, Tier: "public" },
      });
      new RouteTableAssociation(this, `public-${az}-routes`, {
        ...where,
        subnetId: subnet.id,
        routeTableId: routes.id,
      });
      return subnet;
    });

    this.workloadSecurityGroup = new SecurityGroup(this, "workload-sg", {
      ...where,
      vpcId: this.vpc.id,
      description: "Open SSH and Jupyter from anywhere",
      ingress: [
        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"], description: "SSH" },
        { protocol: "tcp", fromPort: 8888, toPort: 8888, cidrBlocks: ["0.0.0.0/0"], description: "Jupyter" },
      ],
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "anywhere" }],
      tags,
    });
  }
}
