// Bytes of an input file -> text. Terraform writes UTF-8, but `terraform show -json > plan.json`
// in Windows PowerShell 5 writes UTF-16LE with a byte-order mark, and editors add a UTF-8 BOM:
// all of them read as the same text. Bytes that are not valid text are an InputError (fail closed).

import { InputError } from "../core/errors";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const latin1 = new TextDecoder("latin1");
const utf16le = new TextDecoder("utf-16le", { fatal: true, ignoreBOM: true });
const utf16be = new TextDecoder("utf-16be", { fatal: true, ignoreBOM: true });

/** The encoding a JSON document's bytes were written in, from the byte-order mark or the first two bytes. */
export type TextEncodingName = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be";

/**
 * Detects the encoding: a byte-order mark when there is one; otherwise JSON text starts with an
 * ASCII character, so a NUL in the first or second byte shows UTF-16 without a mark (RFC 4627 §3).
 */
export function detectEncoding(bytes: Uint8Array, file: string): { encoding: TextEncodingName; skip: number } {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: "utf-8-bom", skip: 3 };
  if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)) {
    throw new InputError("UTF-32 text is not supported: save the file as UTF-8 or UTF-16", file, "byte 0");
  }
  if (b0 === 0xff && b1 === 0xfe) return { encoding: "utf-16le", skip: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: "utf-16be", skip: 2 };
  if (bytes.length >= 2 && b0 !== 0 && b1 === 0) return { encoding: "utf-16le", skip: 0 };
  if (bytes.length >= 2 && b0 === 0 && b1 !== 0) return { encoding: "utf-16be", skip: 0 };
  return { encoding: "utf-8", skip: 0 };
}

/** Decodes the bytes of a JSON input file (UTF-8 with or without a BOM, UTF-16LE/BE) to text without the BOM. */
export function decodeText(bytes: Uint8Array, file: string): string {
  // A saved binary plan (zip): hand it on byte for byte so the reader explains what to run instead.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4) return latin1.decode(bytes);
  const { encoding, skip } = detectEncoding(bytes, file);
  const body = bytes.subarray(skip);
  if (encoding === "utf-8" || encoding === "utf-8-bom") {
    try {
      return utf8.decode(body);
    } catch {
      throw new InputError("not valid UTF-8 text (expected a JSON document)", file);
    }
  }
  if (body.length % 2 !== 0) {
    throw new InputError(`${encoding.toUpperCase()} text has an odd number of bytes: the file is truncated`, file);
  }
  try {
    return (encoding === "utf-16le" ? utf16le : utf16be).decode(body);
  } catch {
    throw new InputError(`not valid ${encoding.toUpperCase()} text (unpaired surrogate)`, file);
  }
}
