/**
 * The arbiter for processes that share no lock (issue #10 item 2): two sweeps that read an incident
 * at the same moment may both post the same reminder (or both create the status comment). GitHub's
 * comment ids are assigned in creation order, so after writing, each process re-reads the app's
 * comments and deletes every comment it created that repeats an earlier one. The earliest copy stays;
 * whichever process holds a later copy removes it itself, so both never delete the same one, and
 * whatever the interleaving exactly one remains. Pure.
 */

/** The identity of an app comment: its first line, the app's marker (reminder key, status, ...). */
function identityOf(body: string): string | null {
  const first = body.split("\n", 1)[0] ?? "";
  return /^<!-- incident-keeper:[^>]{1,200} -->$/.test(first) ? first : null;
}

/**
 * Which of `mine` (ids this process created) to delete: those whose marker line an app comment with
 * a smaller id already carries. Comments without a marker are never considered duplicates.
 */
export function laterDuplicates(
  ownComments: readonly { id: number; body: string }[],
  mine: readonly number[],
): number[] {
  const earliest = new Map<string, number>();
  for (const comment of ownComments) {
    const identity = identityOf(comment.body);
    if (identity === null) continue;
    const seen = earliest.get(identity);
    if (seen === undefined || comment.id < seen) earliest.set(identity, comment.id);
  }
  const mineSet = new Set(mine);
  return ownComments
    .filter((c) => mineSet.has(c.id))
    .filter((c) => {
      const identity = identityOf(c.body);
      return identity !== null && (earliest.get(identity) ?? c.id) < c.id;
    })
    .map((c) => c.id)
    .sort((a, b) => a - b);
}
