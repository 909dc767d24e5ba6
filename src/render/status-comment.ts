/** The status comment: one per incident, rendered from the plan and edited in place. */
import { createHash } from "node:crypto";
import { CATEGORY_TITLES, DEVOPS_MEANINGS, SEVERITY_MEANINGS, type Classification } from "../core/classification.js";
import type { IncidentPlan } from "../core/incident-plan.js";
import type { WindowStatus } from "../core/sla.js";
import { encodeState, STATUS_MARKER, type StatusState } from "../core/status-state.js";
import { formatRelative, formatUtc, formatWindowHours } from "../core/time-format.js";
import type { Policies } from "../core/policy.js";
import { timelineZone } from "../core/timeline-events.js";
import { windowWords } from "../core/security.js";
import { render } from "./templates.js";
import { timelineView } from "./timeline.js";
import { alertSectionView } from "./alert-views.js";

export { STATUS_MARKER };

/** Optional parts other concerns (write-up, actions) contribute to the status comment. */
export interface StatusExtras {
  writeup?: { sections: Array<{ icon: string; name: string; state: string }> } | null;
  actions?: Array<{ icon: string; link: string; title: string | null; state: string; done: boolean }>;
}

const STATE_WORDS: Record<WindowStatus["state"], string> = {
  "on-track": "⏳ on track",
  met: "✅ met",
  breached: "🔥 breached",
  pending: "⏸️ starts once classified",
  paused: "⏸️ paused",
  "not-applicable": "— not applicable",
};

function windowRow(
  status: WindowStatus,
  now: Date | null,
  security = false,
): { name: string; due: string; relative: string; status: string } {
  const name = windowWords(status.window, security).title;
  const length = status.durationHours !== null ? ` (${formatWindowHours(status.durationHours)})` : "";
  const due = status.deadline ? formatUtc(status.deadline) : "—";
  const relative = status.deadline && now && status.state === "on-track" ? formatRelative(status.deadline, now) : "";
  let word = STATE_WORDS[status.state];
  if ((status.state === "met" || status.state === "breached") && status.satisfiedAt)
    word += ` (${status.window === "investigation" ? "classified" : "resolved"} ${formatUtc(status.satisfiedAt)})`;
  return { name: `${name}${length}`, due, relative, status: word };
}

function describe(classification: Classification): {
  category: string;
  severity: string;
  devops: string;
  toClassify: string;
} {
  const { category, severity, devops } = classification;
  const missing = [
    category === null ? "category" : null,
    severity === null ? "severity" : null,
    devops === null ? "remediation difficulty" : null,
  ].filter(Boolean);
  return {
    category: category ? CATEGORY_TITLES[category] : "❔ not yet classified",
    severity: severity ? `Sev ${severity}: ${SEVERITY_MEANINGS[severity]}` : "❔ not yet classified",
    devops: devops ? `DevOps ${devops}: ${DEVOPS_MEANINGS[devops]}` : "❔ not yet classified",
    toClassify: missing.join(", "),
  };
}

function view(plan: IncidentPlan, policies: Policies, extras: StatusExtras, now: Date | null): object {
  const openPause = plan.state.pauses.find((p) => p.end === null);
  const actions = extras.actions ?? [];
  const dropped = plan.state.droppedAt ? formatUtc(new Date(plan.state.droppedAt)) : null;
  // No longer an incident: the clocks are shown as stopped, never as live "breached" ones.
  const security = plan.state.security;
  const windows = [
    windowRow(plan.sla.investigation, now, plan.security),
    windowRow(plan.sla.resolution, now, plan.security),
  ].map((row) => (dropped ? { ...row, relative: "", status: "— stopped (no longer an incident)" } : row));
  return {
    ...describe(plan.classification),
    windows,
    dropped,
    incidentLabel: policies.labels.incident,
    security: security ? { from: security.from, movedAt: formatUtc(new Date(security.movedAt)) } : null,
    notPlanned: plan.state.notPlannedAt ? formatUtc(new Date(plan.state.notPlannedAt)) : null,
    paused: openPause ? formatUtc(new Date(openPause.start)) : null,
    pausedLabel: policies.labels.slaPaused,
    forcedClose: plan.state.forcedClose
      ? { ...plan.state.forcedClose, at: formatUtc(new Date(plan.state.forcedClose.at)) }
      : null,
    alert: alertSectionView(plan.state.alert, plan.state.resolvedAt),
    writeup: extras.writeup ?? null,
    hasActions: actions.length > 0,
    actions,
    actionsDone: actions.filter((a) => a.done).length,
    actionsTotal: actions.length,
    updatedAt: now ? formatUtc(now) : null,
    timeline: timelineView(plan.state.timeline, timelineZone(policies)),
    postmortem: plan.state.postmortem
      ? {
          repository: plan.state.postmortem.repository,
          number: plan.state.postmortem.number,
          url: plan.state.postmortem.url,
        }
      : null,
  };
}

/** JSON with every object's keys sorted: the fingerprint must not depend on the order fields were added in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/**
 * The status comment body and its fingerprint. The fingerprint covers everything except the
 * relative hints and the "updated" footer, so re-rendering an unchanged incident yields the same
 * fingerprint and the app does not edit the comment.
 */
export function renderStatusComment(args: {
  plan: IncidentPlan;
  policies: Policies;
  extras?: StatusExtras;
  now: Date;
}): { body: string; fingerprint: string; state: StatusState } {
  const { plan, policies, extras = {}, now } = args;
  const stable = render("status", { ...view(plan, policies, extras, null), stateLine: "" });
  const stateWithoutPrint = { ...plan.state, fingerprint: "" };
  const fingerprint = createHash("sha256")
    .update(stable)
    .update(canonicalJson(stateWithoutPrint))
    .digest("base64url")
    .slice(0, 22);
  const state: StatusState = { ...plan.state, fingerprint };
  const body = render("status", { ...view(plan, policies, extras, now), stateLine: encodeState(state) });
  return { body: body.startsWith(STATUS_MARKER) ? body : `${STATUS_MARKER}\n${body}`, fingerprint, state };
}
