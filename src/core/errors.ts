// Error classes with the place they refer to. The CLI maps them to exit code 2.

/** Input that cannot be read or understood: names the file and the place inside it. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly file: string,
    /** A JSON pointer, key path or `line:col` inside the file, when known. */
    readonly where?: string,
  ) {
    super(where ? `${file}: ${where}: ${message}` : `${file}: ${message}`);
    this.name = "InputError";
  }
}

/** A compiled policy that cannot be loaded or that failed during evaluation (fail closed). */
export class PolicyError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = "PolicyError";
  }
}

/** Bad configuration, policy data or waivers file. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly where?: string,
  ) {
    super(where ? `${file}: ${where}: ${message}` : `${file}: ${message}`);
    this.name = "ConfigError";
  }
}
