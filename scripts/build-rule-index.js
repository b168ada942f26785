#!/usr/bin/env node
// `npm run build:rules` (part of `npm run build` and prepack): writes the METADATA of every bundled
// rule, validated, to dist/policies/rule-metadata.json, so loading the guard parses no YAML.
// Entries are keyed by file path and SHA-256, so an edited rule is parsed again, never misread.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { buildRuleIndex, RULE_INDEX_FILE } = require("../dist/src/core/rules");

const root = path.resolve(__dirname, "..");
const out = path.join(root, RULE_INDEX_FILE);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(buildRuleIndex(path.join(root, "policies"))) + "\n");
