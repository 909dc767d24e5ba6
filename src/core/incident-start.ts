/**
 * When an issue became an incident (issue #10 item 4): the investigation clock starts then, not when
 * the issue was opened, unless `sla.investigation_clock_start: opened`. Pure.
 */

/** A `labeled` / `unlabeled` entry of an issue's timeline. */
export interface LabelEvent {
  event: "labeled" | "unlabeled";
  label: string;
  at: Date;
}

/**
 * The start of the current spell as an incident, from its label history: the last time the
 * incident label was added without being removed afterwards. Null when the timeline does not show
 * it (e.g. filed with the label by an integration that records no event): the caller falls back to
 * the creation.
 */
export function becameIncidentAt(events: readonly LabelEvent[], incidentLabel: string): Date | null {
  const wanted = incidentLabel.toLowerCase();
  let start: Date | null = null;
  const ordered = [...events]
    .filter((e) => e.label.toLowerCase() === wanted && !Number.isNaN(e.at.getTime()))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const event of ordered) {
    if (event.event === "labeled" && start === null) start = event.at;
    if (event.event === "unlabeled") start = null;
  }
  return start;
}

/**
 * The instant the investigation window starts: the opening, or the moment the issue became an
 * incident (never before the opening, whatever a clock skew or a hand-made state says).
 */
export function investigationStart(args: {
  clockStart: "became-incident" | "opened";
  openedAt: Date;
  incidentAt: Date | null;
}): Date {
  if (args.clockStart === "opened" || args.incidentAt === null || Number.isNaN(args.incidentAt.getTime()))
    return args.openedAt;
  return args.incidentAt.getTime() > args.openedAt.getTime() ? args.incidentAt : args.openedAt;
}
