// One builder for hand-made resource entries, so tests that skip the reader agree on its defaults.

import type { ResolvedLocation, ResourceEntry } from "../../src/inputs/types";

/** A planned `create` of `address` at `location`, with the reader's empty defaults; `over` replaces fields. */
export function resourceEntry(
  address: string,
  location: ResolvedLocation,
  over: Partial<ResourceEntry> = {},
): ResourceEntry {
  const dot = address.indexOf(".");
  const type = dot > 0 ? address.slice(0, dot) : address;
  return {
    address,
    mode: "managed",
    type,
    name: dot > 0 ? address.slice(dot + 1) : "",
    index: null,
    module: "",
    construct_path: null,
    provider_config: "aws",
    action: "create",
    values: {},
    unknown: [],
    tags: {},
    references: [],
    location,
    source_file: null,
    source_line: null,
    defaults: [],
    ...over,
  };
}
