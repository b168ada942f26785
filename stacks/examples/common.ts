// Helpers shared by the example stacks.

import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";

/** Default tags every example applies through the provider (they reach `tags_all`). */
export const EXAMPLE_TAGS = { Project: "residency-guard-examples", Owner: "ml-platform" };

/** An AWS provider for a Region, optionally aliased, with the example default tags. */
export function awsProvider(scope: Construct, id: string, region: string, alias?: string): AwsProvider {
  return new AwsProvider(scope, id, {
    region,
    ...(alias ? { alias } : {}),
    defaultTags: [{ tags: EXAMPLE_TAGS }],
  });
}
