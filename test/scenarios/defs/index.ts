// Every scenario of the corpus, in file order.

import type { Scenario } from "../scenario";
import { scenarios as bedrock } from "./bedrock";
import { scenarios as containers } from "./containers";
import { scenarios as copies } from "./copies";
import { scenarios as databases } from "./databases";
import { scenarios as ec2 } from "./ec2-iam";
import { scenarios as firstApply } from "./first-apply";
import { scenarios as lakeformation } from "./lakeformation";
import { scenarios as lifecycle } from "./lifecycle";
import { scenarios as modules } from "./modules";
import { scenarios as orchestration } from "./orchestration";
import { scenarios as notebooks } from "./sagemaker-notebooks";
import { scenarios as platform } from "./sagemaker-platform";
import { scenarios as sector } from "./sector";
import { scenarios as shapes } from "./shapes";
import { scenarios as storage } from "./storage";
import { scenarios as subtle } from "./subtle";

/** All scenarios. */
export const SCENARIOS: Scenario[] = [
  ...notebooks,
  ...ec2,
  ...copies,
  ...bedrock,
  ...containers,
  ...storage,
  ...databases,
  ...platform,
  ...orchestration,
  ...sector,
  ...shapes,
  ...subtle,
  ...firstApply,
  ...lifecycle,
  ...lakeformation,
  ...modules,
];
