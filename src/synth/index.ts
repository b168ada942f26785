// Public API of the cdktf synth-time guard.

export { ResidencyGuard, GuardAttachError, formatFinding } from "./guard";
export type { GuardConstruct, GuardNode, ResidencyGuardOptions, SynthPolicy, StackGuardResult } from "./guard";
