/**
 * Exact call lists for calls the app makes at once (issue #12). Independent reads are issued
 * together (Promise.all, or started before an earlier one is awaited), so the order in which they
 * reach the simulator, or nock, is the network's, not the app's. `expectCallGroups` compares such a
 * list exactly and in order, except inside a group: a group (an array) is the calls of one round
 * trip, compared as a multiset. Every call stays asserted (same calls, same count) and the order
 * between groups (a call that needs an earlier one's answer comes after it) is kept.
 */

/** One call (`"GET issues/get"`), or calls issued at once, which may arrive in any order. */
export type CallStep = string | readonly string[];

/** Calls issued at once (one round trip): their arrival order is not the app's. */
export const atOnce = (...calls: string[]): readonly string[] => calls;

const sorted = (calls: readonly string[]): string[] => [...calls].sort();
const sameMultiset = (a: readonly string[], b: readonly string[]): boolean => {
  const x = sorted(a);
  const y = sorted(b);
  return x.length === y.length && x.every((call, i) => call === y[i]);
};

/** The first difference between `actual` and `steps`, or null when they match. */
export function callGroupsMismatch(actual: readonly string[], steps: readonly CallStep[]): string | null {
  let at = 0;
  for (const [index, step] of steps.entries()) {
    const group = typeof step === "string" ? [step] : step;
    const seen = actual.slice(at, at + group.length);
    if (!sameMultiset(seen, group)) {
      const what = typeof step === "string" ? JSON.stringify(step) : `the group ${JSON.stringify(group)} (any order)`;
      return `step ${index + 1} (calls ${at + 1}-${at + group.length}): expected ${what}, got ${JSON.stringify(seen)}`;
    }
    at += group.length;
  }
  if (at !== actual.length)
    return `${actual.length - at} call(s) more than expected: ${JSON.stringify(actual.slice(at))}`;
  return null;
}

const describeSteps = (steps: readonly CallStep[]): string =>
  steps.map((step) => (typeof step === "string" ? `  ${step}` : `  [any order: ${step.join(", ")}]`)).join("\n");

/**
 * Throws, showing both lists, unless `actual` is `steps` flattened, each group's calls in any order
 * among themselves and every step in its place.
 */
export function expectCallGroups(actual: readonly string[] | undefined, steps: readonly CallStep[]): void {
  if (actual === undefined)
    throw new Error(`calls differ: no list of calls recorded\n\nexpected:\n${describeSteps(steps)}`);
  const problem = callGroupsMismatch(actual, steps);
  if (problem === null) return;
  throw new Error(
    `calls differ: ${problem}\n\nexpected (a group's calls in any order, the steps in this order):\n` +
      `${describeSteps(steps)}\n\nactual (in arrival order):\n${actual.map((call) => `  ${call}`).join("\n")}`,
  );
}
