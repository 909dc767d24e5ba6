/**
 * The default heading lexicon: the headings real postmortems use for the three write-up sections
 * (Timeline, RCA, Actions), and the other sections those templates have, so that a heading can be
 * told apart from its neighbours. Each entry names where it comes from. Pure data.
 *
 * Names are compared after {@link normalizeSectionName} (case, punctuation, emoji, numbering, a
 * trailing plural `s` and trailing qualifiers such as `(UTC)` or `- 14 March` are ignored), so the
 * list holds one spelling per heading.
 */

/** A write-up section the app requires. */
export type SectionKey = "timeline" | "rca" | "actions";

/**
 * What a heading is: one of the required sections, another known section of postmortem templates
 * (which ends a section and is never taken for one), or the retrospective subsection "What went
 * wrong", which is the RCA in some teams' templates and a lessons-learned subsection in others.
 */
export type HeadingClass = SectionKey | "other" | "ambiguous-rca";

export interface LexiconEntry {
  name: string;
  class: HeadingClass;
  /** Where the heading is used. */
  source: string;
}

const SRE = "Google SRE book, example postmortem";
const PD = "PagerDuty postmortem template";
const ATL = "Atlassian incident handbook";
const GL = "GitLab incident review template";
const FORM = "incident-keeper issue form / earlier defaults";
const REPORTS = "published incident reports";

/** The default lexicon. Order matters only for {@link explain} output. */
export const SECTION_LEXICON: readonly LexiconEntry[] = [
  // Timeline
  { name: "Timeline", class: "timeline", source: `${SRE}; ${PD}; ${ATL}; ${GL}` },
  { name: "Incident timeline", class: "timeline", source: REPORTS },
  { name: "Timeline of events", class: "timeline", source: REPORTS },
  { name: "Detailed timeline", class: "timeline", source: REPORTS },
  { name: "Chain of events", class: "timeline", source: REPORTS },
  { name: "Sequence of events", class: "timeline", source: REPORTS },
  { name: "Chronology", class: "timeline", source: REPORTS },
  // Root cause analysis
  { name: "RCA", class: "rca", source: FORM },
  { name: "Root cause", class: "rca", source: `${ATL}; ${SRE} ("Root Causes")` },
  { name: "Root cause analysis", class: "rca", source: `${GL}; ${REPORTS}` },
  { name: "Root cause and mitigation", class: "rca", source: REPORTS },
  { name: "Root cause and resolution", class: "rca", source: REPORTS },
  { name: "Contributing factors", class: "rca", source: PD },
  { name: "Contributing conditions", class: "rca", source: REPORTS },
  { name: "Five whys", class: "rca", source: ATL },
  { name: "5 whys", class: "rca", source: ATL },
  { name: "What caused the incident", class: "rca", source: REPORTS },
  { name: "What caused it", class: "rca", source: REPORTS },
  { name: "Why it happened", class: "rca", source: REPORTS },
  { name: "Cause", class: "rca", source: REPORTS },
  {
    name: "What went wrong",
    class: "ambiguous-rca",
    source: `${SRE} (a Lessons Learned subsection); some teams' own templates (the RCA)`,
  },
  // Actions
  { name: "Actions", class: "actions", source: FORM },
  { name: "Action items", class: "actions", source: `${SRE}; ${PD}` },
  { name: "Action items and follow-ups", class: "actions", source: REPORTS },
  { name: "Follow-up actions", class: "actions", source: `${FORM}; ${REPORTS}` },
  { name: "Follow-up", class: "actions", source: REPORTS },
  { name: "Corrective actions", class: "actions", source: `${ATL}; ${GL}` },
  { name: "Corrective and preventative measures", class: "actions", source: REPORTS },
  { name: "Corrective and preventive actions", class: "actions", source: REPORTS },
  { name: "Remediation", class: "actions", source: REPORTS },
  { name: "Remediation and prevention", class: "actions", source: REPORTS },
  { name: "Preventive measures", class: "actions", source: REPORTS },
  { name: "Next steps", class: "actions", source: REPORTS },
  { name: "What we are doing about this", class: "actions", source: REPORTS },
  { name: "What we are doing about it", class: "actions", source: REPORTS },
  // Other sections of the same templates: they end a section and are never one of the three.
  { name: "Summary", class: "other", source: SRE },
  { name: "Incident summary", class: "other", source: ATL },
  { name: "Executive summary", class: "other", source: REPORTS },
  { name: "Overview", class: "other", source: PD },
  { name: "What happened", class: "other", source: PD },
  { name: "Impact", class: "other", source: `${SRE}; ${PD}; ${ATL}` },
  { name: "Customer impact", class: "other", source: GL },
  { name: "Trigger", class: "other", source: SRE },
  { name: "Resolution", class: "other", source: `${SRE}; ${PD}` },
  { name: "Detection", class: "other", source: `${SRE}; ${ATL}` },
  { name: "Detection and response", class: "other", source: GL },
  { name: "Leadup", class: "other", source: ATL },
  { name: "Fault", class: "other", source: ATL },
  { name: "Response", class: "other", source: ATL },
  { name: "Recovery", class: "other", source: ATL },
  { name: "Backlog check", class: "other", source: ATL },
  { name: "Recurrence", class: "other", source: ATL },
  { name: "Responders", class: "other", source: PD },
  { name: "Messaging", class: "other", source: PD },
  { name: "Supporting information", class: "other", source: SRE },
  { name: "Lessons learned", class: "other", source: `${SRE}; ${ATL}` },
  { name: "Takeaways", class: "other", source: GL },
  { name: "How'd we do", class: "other", source: PD },
  { name: "What went well", class: "other", source: `${SRE}; ${PD}; ${GL}` },
  { name: "What didn't go so well", class: "other", source: PD },
  { name: "What can be improved", class: "other", source: GL },
  { name: "Where we got lucky", class: "other", source: SRE },
];

/** Retrospective headings that "What went wrong" belongs with when it is a lessons-learned subsection. */
export const RETROSPECTIVE_NAMES: readonly string[] = [
  "Lessons learned",
  "Takeaways",
  "How'd we do",
  "What went well",
  "What didn't go so well",
  "What can be improved",
  "Where we got lucky",
];

/**
 * A heading as compared with lexicon names: Unicode-normalised, case-folded, dashes and underscores
 * as spaces, without surrounding punctuation, symbols (emoji), a leading number (`1.`, `ii)`,
 * `Section 3:`), a leading "Incident" is kept (it is part of names like "Incident timeline").
 */
export function normalizeSectionName(text: string): string {
  const spaced = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019]/gu, "'")
    .replace(/[\s\-_\u2010-\u2015]+/gu, " ");
  const withoutNote = spaced.replace(/\s*\([^()]*\)[\s:.]*$/u, "");
  const trimmed = trimPunctuation(withoutNote);
  return trimPunctuation(
    trimmed.replace(/^(?:(?:section|part|step)\s+)?(?:\d{1,3}(?:\.\d{1,3})*|[ivx]{1,4}|[a-h])[.):]\s+/u, ""),
  );
}

/** The same name with a plural `s` dropped from its last word (`root causes` -> `root cause`). */
export function singular(normalized: string): string {
  return normalized.replace(/(?<=[a-z]{2})(?<![su])s$/u, "");
}

const TIME_ZONES = "utc|gmt|cet|cest|pst|pdt|est|edt|bst|ist|jst|aest";

/**
 * The heading without a trailing qualifier: the part before ` - `, ` — `, `:`, `,`, `(` or `[`
 * (`Timeline — 14 March`, `Root cause: five whys`, `Actions, owners and due dates`), or without a
 * trailing time zone or date (`Timeline UTC`). Null when there is no qualifier.
 */
export function withoutQualifier(text: string): string | null {
  const unnumbered = text.normalize("NFKC").replace(/^\s*(?:\d{1,3}[.)]|[ivx]{1,4}\))\s+/iu, "");
  const cut = /\s[-\u2013\u2014|]\s|[:,([\u2013\u2014]/u.exec(unnumbered);
  if (cut && cut.index > 0 && trimPunctuation(unnumbered.slice(0, cut.index)) !== "")
    return unnumbered.slice(0, cut.index);
  const zone = new RegExp(`\\s+(?:in\\s+)?(?:${TIME_ZONES}|\\d{4}-\\d{2}-\\d{2})\\s*$`, "iu").exec(unnumbered);
  return zone ? unnumbered.slice(0, zone.index) : null;
}

/** Removes surrounding punctuation, symbols and spaces. */
export function trimPunctuation(text: string): string {
  return text.replace(/^[\p{P}\p{S}\p{Z}\p{M}\p{Cf}\s]+|[\p{P}\p{S}\p{Z}\p{M}\p{Cf}\s]+$/gu, "");
}
