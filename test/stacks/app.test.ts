import { Testing, TerraformStack } from "cdktf";
import { buildApp, selectedProfile, selectedStacks } from "../../stacks/app";
import { EXAMPLE_STACKS } from "../../stacks/examples";

describe("stacks/app.ts environment switch", () => {
  test("all stacks by default and for `all`", () => {
    expect(selectedStacks({})).toEqual(Object.keys(EXAMPLE_STACKS));
    expect(selectedStacks({ RESIDENCY_GUARD_STACKS: "all" })).toEqual(Object.keys(EXAMPLE_STACKS));
  });

  test("a comma-separated list selects those stacks only", () => {
    expect(selectedStacks({ RESIDENCY_GUARD_STACKS: "compliant, risk-based" })).toEqual(["compliant", "risk-based"]);
    const app = buildApp({ RESIDENCY_GUARD_STACKS: "compliant,aliases" }, Testing.app());
    const ids = app.node.children.filter((c) => TerraformStack.isStack(c)).map((c) => c.node.id);
    expect(ids).toEqual(["kr-sovereign-training", "alias-and-region"]);
  });

  test("an unknown key is an error naming the known keys", () => {
    expect(() => selectedStacks({ RESIDENCY_GUARD_STACKS: "compliant,nope" })).toThrow(
      /unknown stack key\(s\) nope; known: compliant, global-burst, shared-tenancy, risk-based, aliases, all/,
    );
  });

  test("profile must be one of the two profiles", () => {
    expect(selectedProfile({})).toBeUndefined();
    expect(selectedProfile({ RESIDENCY_GUARD_PROFILE: "risk-based" })).toBe("risk-based");
    expect(() => selectedProfile({ RESIDENCY_GUARD_PROFILE: "lenient" })).toThrow(/unknown profile "lenient"/);
  });
});
