/**
 * `/postmortem` (issue #14): the public write-up of an incident, drafted as a pull request in the
 * configured publishing repository. Pure: whether it may be drafted (configured, not a security
 * incident unless `--public-ok`), where it goes (branch, path), what the publishing step must read,
 * and the draft's view (title, date, summary, impact, timeline, root cause, follow-up actions) with
 * no @mentions, no internal labels and no link or repository name of a private action.
 */
import type { Command } from "./commands.js";
import type { IncidentIssue } from "./incident.js";
import { labelsInclude } from "./labels.js";
import { extractActionItems, resolveRef } from "./action-items.js";
import { endOffset, MarkdownTooComplexError, parseMarkdown, startOffset } from "./markdown.js";
import { analyzeSections, DEFAULT_PLACEHOLDERS, normalizeText, otherSectionMarkdown } from "./sections.js";
import type { StatusState } from "./status-state.js";
import { formatTimelineTime, timelineLines, type Timeline } from "./timeline.js";
import { timelineSlot } from "./timeline-write.js";
import type { RemoteState } from "./writeup.js";
import type { Policies } from "./policy.js";

/** The security label's default (the security branch's `labels.security`, issue #14). */
export const DEFAULT_SECURITY_LABEL = "incident:security";

/** What the reply on the incident says about `/postmortem`. */
export type PostmortemOutcome =
  | { kind: "opened" | "updated" | "unchanged"; repository: string; number: number; url: string; path: string }
  | { kind: "published"; repository: string; base: string; path: string }
  | { kind: "unconfigured" | "security" }
  | { kind: "not-installed"; repository: string }
  | { kind: "forbidden"; repository: string; detail: string }
  | { kind: "no-base"; repository: string; base: string };

/** The publishing repository as one read of it says (the loader's read, before any write). */
export type PublishingRepo =
  | { ok: true; owner: string; repo: string; private: boolean; htmlUrl: string; defaultBranch: string }
  | { ok: false; owner: string; repo: string; status: "not-found" | "forbidden" };

/** What the applier carries out for `/postmortem`: the draft, its branch, path and base. */
export interface PublishEffect {
  repository: RepoName;
  base: string;
  branch: string;
  path: string;
  view: PostmortemView;
  /**
   * `owner/name#N` of the incident, named in the pull request and commit only when the publishing repository is
   * private.
   */
  incident: string | null;
  /** The reply's marker; `replied`: already posted (a redelivered comment). */
  marker: string;
  replied: boolean;
  login: string;
}

/** The `/postmortem` command of a comment, if any (the last one wins). */
export function postmortemCommand(commands: readonly Command[]): { publicOk: boolean } | null {
  const found = commands.filter((c): c is Extract<Command, { name: "postmortem" }> => c.name === "postmortem");
  const last = found[found.length - 1];
  return last ? { publicOk: found.some((c) => c.publicOk) } : null;
}

/** `labels.security`. */
export function securityLabel(policies: Pick<Policies, "labels">): string {
  return policies.labels.security;
}

/**
 * A security incident: it carries the security label, or its hidden state says it was moved to the
 * private repository (the optional `security` field the security branch owns; tolerated when absent).
 */
export function isSecurityIncident(
  issue: Pick<IncidentIssue, "labels">,
  policies: Pick<Policies, "labels">,
  state: StatusState,
): boolean {
  return labelsInclude(issue.labels, securityLabel(policies)) || state.security !== undefined;
}

export interface RepoName {
  owner: string;
  repo: string;
}

/** `owner/name` of the config's `publish.repository`, or null when `/postmortem` is not configured. */
export function publishingRepository(policies: Pick<Policies, "publish">): RepoName | null {
  const full = policies.publish.repository;
  if (full === null) return null;
  const [owner, repo] = full.split("/");
  return owner && repo ? { owner, repo } : null;
}

/** Why `/postmortem` drafts nothing before any read of the publishing repository; null = go on. */
export function postmortemBlocker(args: {
  policies: Policies;
  issue: Pick<IncidentIssue, "labels">;
  state: StatusState;
  publicOk: boolean;
}): "unconfigured" | "security" | null {
  if (publishingRepository(args.policies) === null) return "unconfigured";
  if (!args.publicOk && isSecurityIncident(args.issue, args.policies, args.state)) return "security";
  return null;
}

/** The draft's branch in the publishing repository: one per incident, so a re-run updates it. */
export function postmortemBranch(incident: RepoName, number: number): string {
  const part = (text: string): string => text.toLowerCase().replace(/[^a-z0-9._-]+/g, "-");
  return `incident-keeper/postmortem-${part(incident.owner)}-${part(incident.repo)}-${number}`;
}

/** A URL slug of the title: lower-case ASCII words joined by `-`, at most 60 characters. */
export function slugOf(title: string, number: number): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug === "" ? `incident-${number}` : slug;
}

/** `publish.path` with `{{date}}` and `{{slug}}` filled in. */
export function draftPath(template: string, values: { date: string; slug: string }): string {
  return template.replace(/\{\{\s*date\s*\}\}/g, values.date).replace(/\{\{\s*slug\s*\}\}/g, values.slug);
}

/** Visibility of a repository as one read of it says: public ones are linked, the rest are not. */
export interface RepoVisibility {
  private: boolean;
  /** The repository's web address (`https://github.com/owner/name`). */
  htmlUrl: string;
}

/** What the publishing step reads for `/postmortem`: the publishing repository and each action's repository. */
export function postmortemReads(args: { body: string; repo: RepoName; policies: Policies }): {
  publishing: RepoName;
  repositories: string[];
} | null {
  const publishing = publishingRepository(args.policies);
  if (publishing === null) return null;
  const repositories = new Set<string>();
  for (const item of extractActionItems(args.body, { rules: args.policies.writeup.sections })) {
    for (const ref of item.refs) {
      const resolved = resolveRef(ref, args.repo);
      repositories.add(`${resolved.owner}/${resolved.repo}`.toLowerCase());
    }
  }
  return { publishing, repositories: [...repositories].slice(0, 20) };
}

export interface DraftAction {
  text: string;
  /** A link only when the action's repository is public. */
  url: string | null;
  done: boolean;
}

export interface DraftTimelineLine {
  time: string;
  tag: string | null;
  text: string;
}

/** Everything the draft's template shows, already made safe for a public page. */
export interface PostmortemView {
  title: string;
  /** The incident's opening day (`YYYY-MM-DD`, in the calendar's time zone, else UTC). */
  date: string;
  slug: string;
  zone: string;
  summary: string | null;
  impact: string | null;
  timeline: DraftTimelineLine[];
  /** The body's Timeline section, when people wrote it (it then replaces the reconstructed timeline). */
  timelineText: string | null;
  rootCause: string | null;
  actions: DraftAction[];
}

const SUMMARY_NAMES = ["Summary", "Incident summary", "Executive summary", "Overview", "What happened"];
const IMPACT_NAMES = ["Impact", "Customer impact"];
/** The app's own events a reader outside the team cares about; classification, reminders and breaches stay internal. */
const PUBLIC_EVENTS = new Set(["Issue opened", "Declared an incident", "Resolved"]);

/** The draft's view of one incident. */
export function postmortemView(args: {
  issue: Pick<IncidentIssue, "number" | "title" | "body" | "createdAt">;
  repo: RepoName;
  policies: Policies;
  state: StatusState;
  actions: ReadonlyMap<string, RemoteState>;
  visibility: ReadonlyMap<string, RepoVisibility | null>;
}): PostmortemView {
  const { issue, policies } = args;
  const zone = policies.sla.calendar?.timeZone ?? null;
  const clean = (text: string | null): string | null => publicMarkdown(text, policies);
  const rules = policies.writeup.sections;
  const sections = analyzeSections(issue.body, rules);
  const slice = (key: "timeline" | "rca"): string | null => {
    const report = sections[key];
    if (report.state !== "filled" || report.startOffset === null || report.endOffset === null) return null;
    return issue.body.slice(report.startOffset, report.endOffset);
  };
  const title = publicText(issue.title.replace(/^\s*\[incident\]\s*/i, ""), policies) || `Incident ${issue.number}`;
  // A Timeline section people wrote is theirs to publish; else the app's reconstructed timeline.
  const written = timelineSlot(issue.body, rules) === "filled" ? clean(slice("timeline")) : null;
  const timeline = written === null ? publicTimeline(args.state.timeline, zone, policies) : [];
  return {
    title,
    date: formatTimelineTime(issue.createdAt, zone).slice(0, 10),
    slug: slugOf(title, issue.number),
    zone: zone ?? "UTC",
    // The body's own Summary section when people wrote one; else, for an incident filed from an alert,
    // the alert's summary and description the body carries.
    summary: clean(otherSectionMarkdown(issue.body, SUMMARY_NAMES, rules)) ?? clean(alertSummary(issue.body)),
    impact: clean(otherSectionMarkdown(issue.body, IMPACT_NAMES, rules)),
    timeline,
    timelineText: written,
    rootCause: clean(slice("rca")),
    actions: draftActions({ ...args, body: issue.body }),
  };
}

/** The hidden first line of an incident the app filed for an alert group (`alertGroupMarker`). */
const ALERT_BODY = /^<!-- incident-keeper:alert-group [^\s>]+ -->/;

/**
 * What an incident filed from an alert says it is about: the alert's `summary` (a bold paragraph) and
 * `description` (a quotation) under the body's first heading, up to the facts list that follows them
 * (`templates/alert-issue.md.mustache`). Taken as the body has them: the quotation stays one, so
 * nothing from the alert becomes a heading of the draft. An HTML comment the alert carried (escaped in
 * the body) is removed like any comment, and the escaped `@` of a mention (`&#64;`) is made an `@`
 * again so the public scrub drops it like any mention. Null for any other body, or when the alert had
 * neither annotation.
 */
export function alertSummary(body: string): string | null {
  if (!ALERT_BODY.test(body)) return null;
  let tree;
  try {
    tree = parseMarkdown(body);
  } catch (error) {
    if (error instanceof MarkdownTooComplexError) return null;
    throw error;
  }
  const first = tree.children.findIndex((node) => node.type === "heading");
  if (first < 0) return null;
  const parts: string[] = [];
  for (const node of tree.children.slice(first + 1)) {
    if (node.type !== "paragraph" && node.type !== "blockquote") break;
    parts.push(body.slice(startOffset(node), endOffset(node)));
  }
  const summary = parts
    .join("\n\n")
    .replace(/&lt;!--[\s\S]*?(?:--&gt;|$)/g, "")
    .replace(/&#64;/g, "@")
    .trim();
  return summary === "" ? null : summary;
}

function publicTimeline(timeline: Timeline | undefined, zone: string | null, policies: Policies) {
  if (!timeline) return [];
  const kept = timeline.entries.filter((e) => e.kind === "note" || PUBLIC_EVENTS.has(e.text));
  return timelineLines({ ...timeline, entries: kept }, zone).flatMap((line) => {
    const text = publicText(line.text, policies);
    return text === "" ? [] : [{ time: line.time, tag: line.tag, text }];
  });
}

/** A reference in an action's text: `owner/name#N`, `#N`, or an issue or pull request URL. */
const REF_TEXT = /https?:\/\/\S+|(?:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)?#\d+/g;

function draftActions(args: {
  body: string;
  repo: RepoName;
  policies: Policies;
  actions: ReadonlyMap<string, RemoteState>;
  visibility: ReadonlyMap<string, RepoVisibility | null>;
}): DraftAction[] {
  const items = extractActionItems(args.body, { rules: args.policies.writeup.sections });
  return items.slice(0, 100).map((item) => {
    const own = publicText(item.text.replace(REF_TEXT, " "), args.policies)
      .replace(/^[\s\-:–—,]+|[\s\-:–—,]+$/g, "")
      .trim();
    if (!item.ref) return { text: own || "A follow-up task", url: null, done: item.checkbox === "checked" };
    const ref = resolveRef(item.ref, args.repo);
    const key = `${ref.owner}/${ref.repo}#${ref.number}`.toLowerCase();
    const remote = args.actions.get(key);
    const done =
      remote?.found === true
        ? remote.kind === "pull"
          ? remote.merged
          : remote.state === "closed"
        : item.checkbox === "checked";
    const seen = args.visibility.get(`${ref.owner}/${ref.repo}`.toLowerCase()) ?? null;
    if (seen === null || seen.private)
      // A private action: what it is, without its link, number or repository.
      return { text: own || "A follow-up action tracked internally", url: null, done };
    const title = remote?.found === true ? publicText(remote.title, args.policies) : "";
    return {
      text: own || title || `${ref.owner}/${ref.repo}#${ref.number}`,
      url: `${seen.htmlUrl}/issues/${ref.number}`,
      done,
    };
  });
}

/** Label names the app or the team use internally (classification, SLA, write-up); never named in public. */
export function internalLabels(policies: Pick<Policies, "labels">): string[] {
  const { labels } = policies;
  return [
    ...Object.values(labels.category),
    ...Object.values(labels.severity),
    ...Object.values(labels.devops),
    labels.needsWriteup,
    labels.slaBreached,
    labels.slaPaused,
    labels.product,
    labels.security,
    labels.incident,
  ].filter((name) => !/^[A-Za-z]+$/.test(name)); // plain words ("incident", "product") stay prose
}

const MENTION = /(^|[^A-Za-z0-9_.+\-/`@])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9._-]{1,100})?)/g;

/** Plain text for the draft: no mentions (the `@` dropped), no internal label, one line. */
export function publicText(text: string, policies: Policies): string {
  return (publicMarkdown(text, policies) ?? "").replace(/\s+/g, " ").trim();
}

/**
 * A section's Markdown for the draft: HTML comments (and the app's hidden markers) removed, mentions
 * made inert (the `@` dropped: `@alice` reads `alice`, `@acme/sre` reads `acme/sre`), internal label
 * names removed; null when nothing (or only a placeholder) is left.
 */
export function publicMarkdown(text: string | null, policies: Policies): string | null {
  if (text === null) return null;
  let out = text.replace(/<!--[\s\S]*?(?:-->|$)/g, "");
  // Twice: `@a @b` shares the separator between the two matches.
  out = out.replace(MENTION, "$1$2").replace(MENTION, "$1$2");
  for (const label of internalLabels(policies)) {
    const name = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out
      .replace(new RegExp(`\`${name}\``, "gi"), "")
      .replace(new RegExp(`(?<![\\w:-])${name}(?![\\w:-])`, "gi"), "");
  }
  out = out
    // What a removed label leaves: `()`, a doubled space, a space before punctuation.
    .replace(/\(\s*\)/g, "")
    .replace(/(\S)[ \t]{2,}(?=\S)/g, "$1 ")
    .replace(/(\S)[ \t]+([.,;:!?)])/g, "$1$2")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (out === "") return null;
  const placeholders = new Set(DEFAULT_PLACEHOLDERS.map(normalizeText));
  return placeholders.has(normalizeText(out)) ? null : out;
}
