#!/usr/bin/env node
// Process entry of the `residency-guard` command: binds run() to the real stdin/stdout/stderr.

import { decodeText } from "../inputs/decode";
import { run, STDIN_FILE, type CliIo } from "./run";

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (c: Buffer) => chunks.push(c));
    process.stdin.on("end", () => {
      try {
        resolve(decodeText(Buffer.concat(chunks), STDIN_FILE));
      } catch (err) {
        reject(err);
      }
    });
    process.stdin.on("error", reject);
  });
}

// A reader that closes the pipe early (`| head`) must not crash the gate with a stack trace; the
// verdict and exit code are still computed.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") process.exitCode = 2;
  });
}

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin,
  cwd: process.cwd(),
  env: process.env,
};

run(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    // run() never rejects; this keeps an unexpected rejection from exiting 0.
    process.exitCode = 2;
  },
);
