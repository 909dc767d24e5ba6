/**
 * Slash commands in issue comments. Only users with the configured permission are obeyed; everyone
 * else gets one short reply per comment and nothing changes. Bots (this app included) are ignored.
 */
import type { Context, Probot } from "probot";
import { parseCommands, type Command, type ParsedCommands } from "../core/commands.js";
import type { Classification } from "../core/classification.js";
import { isIncident } from "../core/incident.js";
import { readIssueForm } from "../core/issue-form.js";
import { hasPermission, type PermissionLevel } from "../core/permissions.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import { toIssueSnapshot } from "../github/gateway.js";
import { render } from "../render/templates.js";
import { fallbackIncidentLabel, reportConfigError } from "../workflow/config-error.js";
import { incidentKey, type Services } from "../workflow/services.js";
import { readOwnThread, syncIncident, type OwnThread } from "../workflow/sync-incident.js";
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
  const issue = toIssueSnapshot(context.payload.issue);
  const login = comment.user?.login ?? "";
  const config = await scope.readConfig();
  if (!config.ok) {
    if (!isIncident(issue, fallbackIncidentLabel())) return;
    const thread = await readOwnThread(scope.gateway, issue.number);
    await reportConfigError({ gateway: scope.gateway, issueNumber: issue.number, thread, error: config.error });
    return;
  }
  const incidentLabel = config.value.incident_label;
  const declares = parsed.commands.some((c) => c.name === "incident");
  if (!isIncident(issue, incidentLabel) && !declares) return;

  const required = requiredPermission(parsed.commands, config.value);
  const actual = LOGIN.test(login) ? await scope.gateway.permissionOf(login) : "none";
  const thread = await readOwnThread(scope.gateway, issue.number);
  const replyMarker = `<!-- incident-keeper:reply ${comment.id} -->`;
  if (!hasPermission(actual, required)) {
    const allowed = services.replies.allow(`${scope.installationId}:${scope.owner}/${scope.repo}:${login}`.toLowerCase(), services.clock.now().getTime());
    if (!thread.markers.has(replyMarker) && LOGIN.test(login) && allowed) {
      const command = parsed.commands[0] ? `/${parsed.commands[0].name.replace("-force", " --force")}` : "that command";
      await scope.gateway.createComment(issue.number, render("command-refused", { marker: replyMarker, login, command, required, actual }));
    }
    context.log.info({ delivery: context.id, issue: issue.number, login, actual, required, replied: allowed }, "command refused: insufficient permission");
    return;
  }
  if (parsed.errors.length > 0 && !thread.markers.has(replyMarker)) {
    await scope.gateway.createComment(issue.number, render("command-errors", { marker: replyMarker, login, errors: parsed.errors }));
    thread.markers.add(replyMarker);
  }
  if (parsed.commands.length === 0) return;
  await apply({ scope, services, config: config.value, issue, thread, commands: parsed.commands, login, becameIncident: declares && !isIncident(issue, incidentLabel) });
}

async function apply(args: {
  scope: EventScope;
  services: Services;
  config: IncidentKeeperConfig;
  issue: ReturnType<typeof toIssueSnapshot>;
  thread: OwnThread;
  commands: Command[];
  login: string;
  becameIncident: boolean;
}): Promise<void> {
  const { scope, services, config, issue, thread, commands, login } = args;
  const now = services.clock.now();
  const wanted: Partial<Classification> = args.becameIncident ? withoutNulls(readIssueForm(issue.body)) : {};
  for (const command of commands) {
    if (command.name === "sev") wanted.severity = command.severity;
    if (command.name === "devops") wanted.devops = command.devops;
    if (command.name === "category") wanted.category = command.category;
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
    amendState: forced ? (state) => ({ ...state, forcedClose: { by: login, reason: forced.reason, at: now.toISOString() }, resolvedAt: state.resolvedAt ?? now.toISOString() }) : undefined,
  });
  if (forced && issue.state === "open") await scope.gateway.updateIssue(issue.number, { state: "closed", state_reason: "completed" });
}

function withoutNulls(classification: Classification): Partial<Classification> {
  return Object.fromEntries(Object.entries(classification).filter(([, v]) => v !== null));
}
