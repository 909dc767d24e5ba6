/** Label names compare case-insensitively on GitHub: the one place that says so. */

/** Same label name, as GitHub compares them. */
export function sameLabel(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `labels` holds `name` (case-insensitively). */
export function labelsInclude(labels: readonly string[], name: string): boolean {
  return labels.some((l) => sameLabel(l, name));
}
