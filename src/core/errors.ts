// Error classes with the place they refer to. The CLI maps them to exit code 2 and prints each
// as one line `<cli>: <file>:<place>: <reason>` (formatError below).

/** Input that cannot be read or understood: names the file and the place inside it. */
export class InputError extends Error {
  /** The message without the file and place. */
  readonly reason: string;
  constructor(
    message: string,
    readonly file: string,
    /** A JSON pointer, key path or `line:col` inside the file, when known. */
    readonly where?: string,
  ) {
    super(where ? `${file}: ${where}: ${message}` : `${file}: ${message}`);
    this.name = "InputError";
    this.reason = message;
  }
}

/** A compiled policy that cannot be loaded or that failed during evaluation (fail closed). */
export class PolicyError extends Error {
  /** The message without the file. */
  readonly reason: string;
  constructor(
    message: string,
    readonly file?: string,
    /** `line:col` inside the file, when known. */
    readonly where?: string,
  ) {
    super(file ? `${file}: ${where ? `${where}: ` : ""}${message}` : message);
    this.name = "PolicyError";
    this.reason = message;
  }
}

/** One more problem found in the same file, reported after the first. */
export interface MoreProblem {
  where?: string;
  position?: string;
  message: string;
}

/** Bad configuration, policy data or waivers file. */
export class ConfigError extends Error {
  /** The message without the file and place. */
  readonly reason: string;
  constructor(
    message: string,
    readonly file: string,
    /** The field, e.g. `outputs[1].format` or `waivers[0]`. */
    readonly where?: string,
    /** `line:col` of that field in the file, when known. */
    readonly position?: string,
    /** Further problems in the same file (schema validation reports all of them). */
    readonly more: MoreProblem[] = [],
  ) {
    super(where ? `${file}: ${where}: ${message}` : `${file}: ${message}`);
    this.name = "ConfigError";
    this.reason = message;
  }
}

/** `file:place: reason` for any of the errors above (place = line:col when known, else the field). */
export function formatError(err: InputError | PolicyError | ConfigError): string[] {
  const line = (file: string | undefined, where?: string, position?: string, reason = ""): string => {
    const place = position ?? where;
    const field = position && where ? `${where}: ` : "";
    if (file === undefined) return `${field}${reason}`;
    return `${file}${place ? `:${place}` : ""}: ${field}${reason}`;
  };
  if (err instanceof ConfigError) {
    return [
      line(err.file, err.where, err.position, err.reason),
      ...err.more.map((m) => line(err.file, m.where, m.position, m.message)),
    ];
  }
  return [line(err.file, err.where, undefined, err.reason)];
}
