// Builtins implemented in TypeScript and called by compiled policies through the ABI's
// env.opa_builtinN imports. The emitter reads the names from HOST_BUILTINS; hosts pass
// customBuiltins() to @open-policy-agent/opa-wasm's loadPolicy.
import { globMatch } from "./glob";
import { jsonPatch } from "./jsonpatch";
import { cidrContains } from "./net";
import {
  base64Decode,
  base64Encode,
  base64IsValid,
  base64urlDecode,
  base64urlEncode,
  base64urlEncodeNoPad,
  cryptoMd5,
  cryptoSha1,
  cryptoSha256,
  hexDecode,
  hexEncode,
  hmacEqual,
  hmacMd5,
  hmacSha1,
  hmacSha256,
  hmacSha512,
  jsonMarshalWithOptions,
  urlqueryDecode,
  urlqueryDecodeObject,
  urlqueryEncode,
  urlqueryEncodeObject,
} from "./encoding";
import { regexFindAllStringSubmatchN, regexFindN, regexIsValid, regexMatch, regexReplace, regexSplit } from "./regex";
import { semverCompare, semverIsValid } from "./semver";
import { timeAddDate, timeClock, timeDate, timeFormat, timeParseDurationNs, timeWeekday } from "./timefmt";
import { sprintf } from "./sprintf";
import { arrayFlatten, jsonUnmarshal, replaceN, splitN } from "./strings";
import { timeNowNs, timeParseRfc3339Ns } from "./time";
import { unitsParseBytes } from "./units";
import { yamlIsValid, yamlMarshal, yamlUnmarshal } from "./yaml";

export { BuiltinError } from "./errors";

/** One host builtin: its arity and implementation (arguments and result are JSON values). */
export interface HostBuiltin {
  arity: number;
  impl: (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * The name to put in the policy's builtins() table when it differs from the Rego name.
   * The SDK prefers its own implementations of `sprintf`, `regex.split` and `yaml.*` (sprintf-js,
   * JS String.split, ...; semantics differ from OPA's) over custom ones of the same name,
   * so ours must be registered under another name to be called.
   */
  hostName?: string;
}

/** Host builtins by Rego name. */
export const HOST_BUILTINS: Record<string, HostBuiltin> = {
  sprintf: { arity: 2, impl: sprintf, hostName: "residency_guard.sprintf" },
  "regex.match": { arity: 2, impl: regexMatch },
  "regex.split": { arity: 2, impl: regexSplit, hostName: "residency_guard.regex.split" },
  "glob.match": { arity: 3, impl: globMatch },
  "net.cidr_contains": { arity: 2, impl: cidrContains },
  "time.now_ns": { arity: 0, impl: timeNowNs },
  "time.parse_rfc3339_ns": { arity: 1, impl: timeParseRfc3339Ns },
  "json.unmarshal": { arity: 1, impl: jsonUnmarshal },
  "json.patch": { arity: 2, impl: jsonPatch },
  "strings.replace_n": { arity: 2, impl: replaceN },
  "strings.split_n": { arity: 3, impl: splitN },
  "array.flatten": { arity: 1, impl: arrayFlatten },
  "units.parse_bytes": { arity: 1, impl: unitsParseBytes },
  "yaml.is_valid": { arity: 1, impl: yamlIsValid, hostName: "residency_guard.yaml.is_valid" },
  "yaml.marshal": { arity: 1, impl: yamlMarshal, hostName: "residency_guard.yaml.marshal" },
  "yaml.unmarshal": { arity: 1, impl: yamlUnmarshal, hostName: "residency_guard.yaml.unmarshal" },
  "base64.encode": { arity: 1, impl: base64Encode },
  "base64.decode": { arity: 1, impl: base64Decode },
  "base64.is_valid": { arity: 1, impl: base64IsValid },
  "base64url.encode": { arity: 1, impl: base64urlEncode },
  "base64url.encode_no_pad": { arity: 1, impl: base64urlEncodeNoPad },
  "base64url.decode": { arity: 1, impl: base64urlDecode },
  "hex.encode": { arity: 1, impl: hexEncode },
  "hex.decode": { arity: 1, impl: hexDecode },
  "urlquery.encode": { arity: 1, impl: urlqueryEncode },
  "urlquery.decode": { arity: 1, impl: urlqueryDecode },
  "urlquery.encode_object": { arity: 1, impl: urlqueryEncodeObject },
  "urlquery.decode_object": { arity: 1, impl: urlqueryDecodeObject },
  "json.marshal_with_options": { arity: 2, impl: jsonMarshalWithOptions },
  "crypto.md5": { arity: 1, impl: cryptoMd5 },
  "crypto.sha1": { arity: 1, impl: cryptoSha1 },
  "crypto.sha256": { arity: 1, impl: cryptoSha256 },
  "crypto.hmac.md5": { arity: 2, impl: hmacMd5 },
  "crypto.hmac.sha1": { arity: 2, impl: hmacSha1 },
  "crypto.hmac.sha256": { arity: 2, impl: hmacSha256 },
  "crypto.hmac.sha512": { arity: 2, impl: hmacSha512 },
  "crypto.hmac.equal": { arity: 2, impl: hmacEqual },
  "semver.compare": { arity: 2, impl: semverCompare },
  "semver.is_valid": { arity: 1, impl: semverIsValid },
  "regex.replace": { arity: 3, impl: regexReplace },
  "regex.find_n": { arity: 3, impl: regexFindN },
  "regex.find_all_string_submatch_n": { arity: 3, impl: regexFindAllStringSubmatchN },
  "regex.is_valid": { arity: 1, impl: regexIsValid },
  "time.format": { arity: 1, impl: timeFormat },
  "time.date": { arity: 1, impl: timeDate },
  "time.clock": { arity: 1, impl: timeClock },
  "time.weekday": { arity: 1, impl: timeWeekday },
  "time.add_date": { arity: 4, impl: timeAddDate },
  "time.parse_duration_ns": { arity: 1, impl: timeParseDurationNs },
};

/** The name a compiled policy must use for a host builtin in its builtins() table. */
export function hostBuiltinName(regoName: string): string {
  return HOST_BUILTINS[regoName]?.hostName ?? regoName;
}

/** The `customBuiltins` argument for loadPolicy/loadPolicySync: every host builtin under its host name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's custom builtin type
export function customBuiltins(): Record<string, (...args: any[]) => unknown> {
  const out: Record<string, (...args: any[]) => unknown> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const [name, b] of Object.entries(HOST_BUILTINS)) {
    out[b.hostName ?? name] = b.impl;
    out[name] = b.impl;
  }
  return out;
}
