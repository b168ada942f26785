// Reusable constructs for AI-training infrastructure that the residency guard understands.

export * from "./common";
export * from "./personal-dataset";
export * from "./networks";
export * from "./workloads";
