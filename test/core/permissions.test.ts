import { describe, expect, test } from "@jest/globals";
import { hasPermission, toPermissionLevel, type PermissionLevel } from "../../src/core/permissions.js";
import { PERMISSION_LEVELS } from "../../src/config/schema.js";

/** GitHub's repository roles, weakest first, with "none" below them all. */
const ORDER: PermissionLevel[] = ["none", "read", "triage", "write", "maintain", "admin"];

describe("hasPermission: none < read < triage < write < maintain < admin", () => {
  test("the config's levels are exactly GitHub's roles, weakest first", () => {
    expect([...PERMISSION_LEVELS]).toEqual(["read", "triage", "write", "maintain", "admin"]);
  });

  // Every ordered pair: 36 cases, each expected value written from the index order.
  const pairs = ORDER.flatMap((actual, i) => ORDER.map((required, j) => ({ actual, required, expected: i >= j })));
  test.each(pairs)("$actual against $required -> $expected", ({ actual, required, expected }) => {
    expect(hasPermission(actual, required)).toBe(expected);
  });

  test.each<{ actual: PermissionLevel; required: PermissionLevel; expected: boolean }>([
    { actual: "triage", required: "triage", expected: true },
    { actual: "read", required: "triage", expected: false },
    { actual: "write", required: "maintain", expected: false },
    { actual: "maintain", required: "maintain", expected: true },
    { actual: "admin", required: "maintain", expected: true },
    { actual: "none", required: "read", expected: false },
  ])("the defaults as the handlers use them: $actual for $required -> $expected", ({ actual, required, expected }) => {
    expect(hasPermission(actual, required)).toBe(expected);
  });
});

describe("toPermissionLevel: GitHub's role_name first, then the legacy permission field", () => {
  test.each<{
    name: string;
    roleName: string | null | undefined;
    permission: string | null | undefined;
    expected: PermissionLevel;
  }>([
    { name: "triage is only in role_name", roleName: "triage", permission: "read", expected: "triage" },
    { name: "maintain is only in role_name", roleName: "maintain", permission: "write", expected: "maintain" },
    { name: "admin", roleName: "admin", permission: "admin", expected: "admin" },
    { name: "write", roleName: "write", permission: "write", expected: "write" },
    { name: "read", roleName: "read", permission: "read", expected: "read" },
    {
      name: "role_name wins even when the legacy field is higher",
      roleName: "read",
      permission: "admin",
      expected: "read",
    },
    { name: "upper case role", roleName: "MAINTAIN", permission: "write", expected: "maintain" },
    { name: "mixed case legacy field", roleName: null, permission: "Write", expected: "write" },
    {
      name: "a custom role falls back to the legacy field",
      roleName: "security-reviewer",
      permission: "write",
      expected: "write",
    },
    {
      name: "a custom role with an unknown legacy field",
      roleName: "security-reviewer",
      permission: "pull",
      expected: "none",
    },
    { name: "role_name absent, legacy field used", roleName: undefined, permission: "read", expected: "read" },
    { name: "role_name empty, legacy field used", roleName: "", permission: "admin", expected: "admin" },
    { name: "explicit none in role_name", roleName: "none", permission: "admin", expected: "none" },
    { name: "explicit none in the legacy field", roleName: null, permission: "none", expected: "none" },
    { name: "nothing at all", roleName: null, permission: null, expected: "none" },
    { name: "undefined both", roleName: undefined, permission: undefined, expected: "none" },
    { name: "garbage in both", roleName: "owner", permission: "superuser", expected: "none" },
    { name: "prototype keys are not roles", roleName: "constructor", permission: "toString", expected: "none" },
    {
      name: "a custom role named like a prototype key falls back to the legacy field",
      roleName: "constructor",
      permission: "write",
      expected: "write",
    },
    { name: "__proto__ is not a role", roleName: "__proto__", permission: "triage", expected: "triage" },
    { name: "a padded value is not trimmed into a role", roleName: " admin", permission: "read ", expected: "none" },
  ])("$name -> $expected", ({ roleName, permission, expected }) => {
    expect(toPermissionLevel(roleName, permission)).toBe(expected);
  });
});
