// CLI-only errors; the others come from src/core/errors.

/** Bad command line (unknown option, missing argument, conflicting outputs). Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
