/**
 * Slash commands in issue comments. Only users with the configured permission are obeyed; everyone
 * else gets one short reply per comment and nothing changes. Bots (this app included) are ignored.
 */
import type { Context, Probot } from "probot";
import { parseCommands, type Command, type ParsedCommands } from "../core/commands.js";
import { setDimensions, type Classification } from "../core/classification.js";
import { isIncident } from "../core/incident.js";
import { readIssueForm } from "../core/issue-form.js";
import { hasPermission, type PermissionLevel } from "../core/permissions.js";
import { decodeState, EMPTY_STATE, type StatusState } from "../core/status-state.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import { toIssueSnapshot } from "../github/gateway.js";
import { render } from "../render/templates.js";
import { fallbackIncidentLabel, reportConfigError } from "../workflow/config-error.js";
import { incidentKey, type Services } from "../workflow/services.js";
import { isStale, readOwnThread, syncIncident, type OwnThread } from "../workflow/sync-incident.js";
import { incidentStartFor } from "../workflow/incident-start.js";
import { eventScope, type EventScope } from "./event-scope.js";

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

export function registerCommands(app: Probot, services: Services): void {
  app.on("issue_comment.created", async (context) => {
    const { comment, issue: rawIssue, sender } = context.payload;
    if (comment.user?.type === "Bot" || sender.type === "Bot") return;
    if (rawIssue.pull_request) return;
    const parsed = parseCommands(comment.body ?? "");
    if (parsed.commands.length === 0 && parsed.errors.length === 0) return; // most comments: zero API calls
    const scope = await eventScope(context, services);
    const key = incidentKey(scope.installationId, scope.owner, scope.repo, rawIssue.number);
    await services.lock.run(key, () => handle(context, scope, services, parsed));
  });
}

/** The permission a set of commands needs: the strictest of them. */
function requiredPermission(commands: Command[], config: IncidentKeeperConfig): PermissionLevel {
  const needsForce = commands.some((c) => c.name === "close-force");
  const base = config.permissions.commands;
  if (!needsForce) return base;
  return hasPermission(config.permissions.force_close, base) ? config.permissions.force_close : base;
}

async function handle(context: Context<"issue_comment.created">, scope: EventScope, services: Services, parsed: ParsedCommands): Promise<void> {
  const { comment } = context.payload;
  const payloadIssue = toIssueSnapshot(context.payload.issue);
  const login = comment.user?.login ?? "";
  const config = await scope.readConfig();
  if (!config.ok) {
    if (!isIncident(payloadIssue, fallbackIncidentLabel())) return;
    const thread = await readOwnThread(scope.gateway, payloadIssue.number);
    await reportConfigError({ gateway: scope.gateway, issueNumber: payloadIssue.number, thread, error: config.error });
    return;
  }
  const incidentLabel = config.value.incident_label;
  const declares = parsed.commands.some((c) => c.name === "incident");
  if (!isIncident(payloadIssue, incidentLabel) && !declares) return;

  const required = requiredPermission(parsed.commands, config.value);
  const actual = LOGIN.test(login) ? await scope.gateway.permissionOf(login) : "none";
  const thread = await readOwnThread(scope.gateway, payloadIssue.number);
  const replyMarker = `<!-- incident-keeper:reply ${comment.id} -->`;
  if (!hasPermission(actual, required)) {
    const allowed = services.replies.allow(`${scope.installationId}:${scope.owner}/${scope.repo}:${login}`.toLowerCase(), services.clock.now().getTime());
    if (!thread.markers.has(replyMarker) && LOGIN.test(login) && allowed) {
      const command = parsed.commands[0] ? `/${parsed.commands[0].name.replace("-force", " --force")}` : "that command";
      await scope.gateway.createComment(payloadIssue.number, render("command-refused", { marker: replyMarker, login, command, required, actual }));
    }
    context.log.info({ delivery: context.id, issue: payloadIssue.number, login, actual, required, replied: allowed }, "command refused: insufficient permission");
    return;
  }
  if (parsed.errors.length > 0 && !thread.markers.has(replyMarker)) {
    await scope.gateway.createComment(payloadIssue.number, render("command-errors", { marker: replyMarker, login, errors: parsed.errors }));
    thread.markers.add(replyMarker);
  }
  if (parsed.commands.length === 0) return;
  // A late delivery: apply the commands to GitHub's current issue, not to the payload's old copy.
  const issue = isStale(payloadIssue, thread.status) ? await scope.gateway.getIssue(payloadIssue.number) : payloadIssue;
  const becomes = declares && !isIncident(issue, incidentLabel);
  const trigger = becomes && !Number.isNaN(Date.parse(comment.created_at)) ? new Date(comment.created_at) : null;
  const becameIncidentAt = await incidentStartFor({ gateway: scope.gateway, config: config.value, thread, issueNumber: issue.number, trigger });
  await apply({ scope, services, config: config.value, issue, thread, commands: parsed.commands, login, commentAt: comment.created_at, becameIncident: becomes, becameIncidentAt });
}

async function apply(args: {
  scope: EventScope;
  services: Services;
  config: IncidentKeeperConfig;
  issue: ReturnType<typeof toIssueSnapshot>;
  thread: OwnThread;
  commands: Command[];
  login: string;
  /** When the comment holding the commands was created (ISO 8601). */
  commentAt: string;
  becameIncident: boolean;
  becameIncidentAt: Date | null | undefined;
}): Promise<void> {
  const { scope, services, config, issue, thread, commands, login } = args;
  const now = services.clock.now();
  const wanted: Partial<Classification> = args.becameIncident ? setDimensions(readIssueForm(issue.body)) : {};
  // Newest command wins per dimension, by comment time, whatever order the deliveries came in.
  const previous = thread.status ? decodeState(thread.status.body) : EMPTY_STATE;
  const commentAt = Number.isNaN(Date.parse(args.commentAt)) ? now.toISOString() : new Date(args.commentAt).toISOString();
  const applied: StatusState["commandsAt"] = {};
  const set = <D extends keyof Classification>(dimension: D, value: NonNullable<Classification[D]>): void => {
    const newer = previous.commandsAt[dimension];
    if (newer !== undefined && Date.parse(newer) > Date.parse(commentAt)) return;
    wanted[dimension] = value;
    applied[dimension] = commentAt;
  };
  for (const command of commands) {
    if (command.name === "sev") set("severity", command.severity);
    if (command.name === "devops") set("devops", command.devops);
    if (command.name === "category") set("category", command.category);
  }
  const forced = commands.find((c): c is Extract<Command, { name: "close-force" }> => c.name === "close-force");
  await syncIncident({
    issue,
    config,
    gateway: scope.gateway,
    thread,
    now,
    wanted,
    markResolved: commands.some((c) => c.name === "resolved"),
    extraLabels: args.becameIncident ? [config.incident_label] : [],
    becameIncidentAt: args.becameIncidentAt,
    amendState: (state) => ({
      ...state,
      commandsAt: { ...state.commandsAt, ...applied },
      ...(forced ? { forcedClose: { by: login, reason: forced.reason, at: now.toISOString() }, resolvedAt: state.resolvedAt ?? now.toISOString() } : {}),
    }),
  });
  if (forced && issue.state === "open") await scope.gateway.updateIssue(issue.number, { state: "closed", state_reason: "completed" });
}
