import * as fs from "node:fs";
import { readInputText } from "../../../src/inputs";
import { testGuard } from "../../helpers/policy";
const g = testGuard();
const f = `${__dirname}/../plans/${process.argv[2]}.json`;
const [input] = readInputText(fs.readFileSync(f, "utf8"), f);
for (const x of g.evaluate(input, (process.argv[3] as "kr-localization") ?? "kr-localization").findings)
  console.log(
    x.level,
    x.rule,
    x.address,
    x.location && JSON.stringify(x.location),
    "\n   ",
    x.lineage.map((l) => `${l.address} (${l.reason})`).join(" > "),
  );
