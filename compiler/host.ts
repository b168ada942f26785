// The compiler's evaluation-time API: what a process that only runs compiled policies needs.
// Kept apart from index.ts so loading it does not load the parser, checks, planner and emitter.

/** Host builtin implementations to pass to loadPolicy/loadPolicySync as `customBuiltins`. */
export { customBuiltins } from "./builtins/host";
