// Public API of the cdktf synth-time guard.

export { ResidencyGuard, GuardAttachError, formatFinding } from "./guard";
export type { ResidencyGuardOptions, SynthPolicy, StackGuardResult } from "./guard";
