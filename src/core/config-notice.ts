/**
 * The config-error comment's life once the file is valid again (issue #10 item 11): the comment
 * that said "no SLA action is taken" is edited once to say when the file was found fixed. Pure.
 */

/** The marker both the error report and its "fixed" edit start with (one comment, edited in place). */
export const CONFIG_ERROR_MARKER = "<!-- incident-keeper:config-error -->";
/** Second marker of the edited comment: it already says the file is fixed. */
export const CONFIG_FIXED_MARKER = "<!-- incident-keeper:config-fixed -->";

/**
 * Whether the app's config-error comment (if any) must be edited now that the config is valid:
 * the id of the comment to edit, or null when there is none or it already says the file is fixed.
 */
export function configCommentToMarkFixed(ownComments: readonly { id: number; body: string }[]): number | null {
  const report = ownComments.find((c) => c.body.startsWith(CONFIG_ERROR_MARKER));
  if (!report || report.body.includes(CONFIG_FIXED_MARKER)) return null;
  return report.id;
}
