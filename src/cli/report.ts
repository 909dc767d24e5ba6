/**
 * `incident-keeper report`: the incident metrics of an installation (or one repository) over a date
 * range, as Markdown (with SVG charts beside it), JSON or CSV. Same env vars as `sweep` (APP_ID,
 * PRIVATE_KEY or PRIVATE_KEY_PATH, GHE_HOST/GHE_PROTOCOL); REPORT_READER=rest avoids GraphQL.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { createProbot } from "probot";
import { IncidentKeeperOctokit } from "../github/octokit.js";
import { systemClock, type Clock } from "../clock.js";
import { computeMetrics, type IncidentRecord } from "../core/metrics.js";
import { DEFAULT_CONFIG, type IncidentKeeperConfig } from "../config/schema.js";
import { policiesOf } from "../config/policies.js";
import { identityResolver } from "../github/identity.js";
import type { ReaderMode } from "../github/incident-reader.js";
import { collectIncidents } from "../report/collect.js";
import { reportCharts } from "../render/charts.js";
import { renderCsvReport, renderMarkdownReport, toReportJson } from "../render/report.js";
import { listInstallations } from "../sweep/runner.js";

export interface ReportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const REPORT_USAGE = `usage: incident-keeper report [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--repo owner/name]
                            [--format md|json|csv] [--out FILE]

Incident metrics of every installation of the app (or of one repository): incidents opened and
closed, time to classify, detect, mitigate, resolve and restore (median, p90), SLA compliance per
window, reopens, follow-up actions; per severity, category and ISO week.

  --since DAY     first day counted (UTC; default: 28 days before --until)
  --until DAY     last day counted (UTC; default: yesterday)
  --repo O/N      one repository instead of every installation
  --format F      md (default), json or csv
  --out FILE      write to FILE instead of standard output; with md, the SVG charts go to
                  FILE's directory as <name>-charts/*.svg and the report links them
  -h, --help      show this help

env: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, GHE_HOST, GHE_PROTOCOL; REPORT_READER=graphql|rest
(default graphql: incidents and their status comments 100 per call).
Exit status: 0 done, 1 GitHub trouble, 2 usage error.
`;

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(value: string): Date | null {
  if (!DAY.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : date;
}

/** Runs `report` with the arguments after `report`; resolves to the exit code. */
export async function runReport(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: ReportIo,
  clock: Clock = systemClock,
): Promise<number> {
  let values: { since?: string; until?: string; repo?: string; format?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        since: { type: "string" },
        until: { type: "string" },
        repo: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    io.stdout(REPORT_USAGE);
    return 0;
  }
  const format = values.format ?? "md";
  if (format !== "md" && format !== "json" && format !== "csv")
    return usageError(io, `--format must be md, json or csv, got "${format}"`);
  const now = clock.now();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const lastDay = values.until !== undefined ? parseDay(values.until) : new Date(today.getTime() - DAY_MS);
  if (!lastDay) return usageError(io, `--until must be a date YYYY-MM-DD, got "${values.until ?? ""}"`);
  const until = new Date(lastDay.getTime() + DAY_MS);
  const since = values.since !== undefined ? parseDay(values.since) : new Date(until.getTime() - 28 * DAY_MS);
  if (!since) return usageError(io, `--since must be a date YYYY-MM-DD, got "${values.since ?? ""}"`);
  if (since.getTime() >= until.getTime()) return usageError(io, "--since must not be after --until");
  const repo = values.repo;
  if (repo !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo))
    return usageError(io, `--repo must be owner/name, got "${repo}"`);
  const mode: ReaderMode = env.REPORT_READER === "rest" ? "rest" : "graphql";
  if (env.REPORT_READER !== undefined && env.REPORT_READER !== "rest" && env.REPORT_READER !== "graphql")
    return usageError(io, `REPORT_READER must be graphql or rest, got "${env.REPORT_READER}"`);
  if (!env.APP_ID || (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH)) {
    io.stderr(
      "incident-keeper report: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH), as for `incident-keeper sweep`.\n",
    );
    return 2;
  }

  // Every request the report sends, app-authenticated ones and token creation included.
  const counter = { calls: 0 };
  const Counted = IncidentKeeperOctokit.plugin((octokit) => {
    octokit.hook.before("request", () => {
      counter.calls += 1;
    });
  });
  const probot = createProbot({ env, overrides: { Octokit: Counted } });
  const records: IncidentRecord[] = [];
  const configs = new Map<string, IncidentKeeperConfig>();
  try {
    const identity = await identityResolver(probot)();
    let installations = await listInstallations(probot);
    if (repo)
      installations = installations.filter((i) => i.account.toLowerCase() === repo.split("/")[0]!.toLowerCase());
    if (repo && installations.length === 0) {
      io.stderr(`incident-keeper report: the app is not installed on ${repo.split("/")[0]!}.\n`);
      return 1;
    }
    for (const target of installations) {
      const octokit = await probot.auth(target.id);
      const scope = repo
        ? { kind: "repository" as const, fullName: repo }
        : { kind: "account" as const, login: target.account, type: target.accountType };
      const collected = await collectIncidents({ octokit, scope, since, until, identity, mode });
      records.push(...collected.records);
      for (const [name, config] of collected.configs) configs.set(name, config);
      for (const [name, reason] of collected.invalidConfigs)
        io.stderr(
          `incident-keeper report: ${name}'s config is invalid, its defaults were used: ` +
            `${reason.split("\n")[0] ?? ""}\n`,
        );
    }
  } catch (error) {
    io.stderr(
      `incident-keeper report: could not read from GitHub: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }

  const apiCalls = counter.calls;
  const report = computeMetrics({
    records,
    policiesOf: (name) => policiesOf(configs.get(name) ?? DEFAULT_CONFIG),
    range: { since, until },
    now,
  });
  const scopeText = repo ? `Repository ${repo}` : "Every repository of the app's installations";
  let text: string;
  if (format === "json") {
    const json = toReportJson(report, {
      scope: repo ?? "installations",
      apiCalls,
      reader: mode,
      found: records.length,
    });
    text = `${JSON.stringify(json, null, 2)}\n`;
  } else if (format === "csv") text = renderCsvReport(report);
  else {
    const charts: { title: string; path: string }[] = [];
    if (values.out) {
      const dirName = `${basename(values.out).replace(/\.[^.]*$/, "")}-charts`;
      await mkdir(join(dirname(values.out), dirName), { recursive: true });
      for (const chart of reportCharts(report)) {
        await writeFile(join(dirname(values.out), dirName, chart.file), chart.svg);
        charts.push({ title: chart.title, path: `${dirName}/${chart.file}` });
      }
    }
    text = renderMarkdownReport({ report, scope: scopeText, charts });
  }
  if (values.out) await writeFile(values.out, text);
  else io.stdout(text);
  io.stderr(`report: ${records.length} incident(s) read with ${apiCalls} API call(s) (${mode})\n`);
  return 0;
}

function usageError(io: ReportIo, message: string): number {
  io.stderr(`incident-keeper report: ${message}\n\n${REPORT_USAGE}`);
  return 2;
}
