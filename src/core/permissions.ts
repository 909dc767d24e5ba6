/** Repository permission levels and who may do what. Pure. */

/** Repository permission levels, weakest first (the config's `permissions.*` values). */
export const PERMISSION_LEVELS = ["read", "triage", "write", "maintain", "admin"] as const;

export type PermissionLevel = (typeof PERMISSION_LEVELS)[number] | "none";

const RANK: Record<PermissionLevel, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/** True when `actual` is at least `required`. */
export function hasPermission(actual: PermissionLevel, required: PermissionLevel): boolean {
  return RANK[actual] >= RANK[required];
}

/**
 * Normalises GitHub's answer to "collaborator permission": `role_name` carries triage/maintain,
 * `permission` only admin/write/read/none (custom roles fall back to it).
 */
export function toPermissionLevel(
  roleName: string | null | undefined,
  permission: string | null | undefined,
): PermissionLevel {
  for (const candidate of [roleName, permission]) {
    const lower = (candidate ?? "").toLowerCase();
    // Own keys only: a custom role named like an Object.prototype member (e.g. "constructor") is not a level.
    if (Object.hasOwn(RANK, lower)) return lower as PermissionLevel;
  }
  return "none";
}
