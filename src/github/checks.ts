/**
 * The gateway of the pull-request checks: the changed files of a pull request, a file's text at a
 * commit, and the app's own check runs on a commit (Checks API). Typed, paginated, minimal.
 */
import type { ProbotOctokit } from "probot";
import { z } from "zod";
import type { CheckOutput } from "../render/checks.js";
import type { RepoRef } from "./gateway.js";
import { statusOf } from "./gateway.js";

const pullFileSchema = z.object({ filename: z.string(), status: z.string() });
const checkRunSchema = z.object({
  id: z.number(),
  name: z.string(),
  app: z.object({ id: z.number() }).nullable().optional(),
});
const contentSchema = z.object({ type: z.literal("file"), encoding: z.string(), content: z.string() });

export interface PullFile {
  filename: string;
  /** added, modified, renamed, copied, changed, unchanged, removed */
  status: string;
}

/** GitHub lists at most 3,000 files of a pull request. */
const MAX_PULL_FILES = 3_000;

export class ChecksGateway {
  private writeCount = 0;

  constructor(
    private readonly octokit: ProbotOctokit,
    private readonly repo: RepoRef,
    private readonly appId: number,
  ) {}

  /** Write requests sent (for tests and reports). */
  get writes(): number {
    return this.writeCount;
  }

  /** The files a pull request changes (1 request per 100 files). */
  async listPullFiles(pullNumber: number): Promise<PullFile[]> {
    const files: PullFile[] = [];
    for await (const page of this.octokit.paginate.iterator("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
      ...this.repo,
      pull_number: pullNumber,
      per_page: 100,
    })) {
      for (const raw of page.data) files.push(pullFileSchema.parse(raw));
      if (files.length >= MAX_PULL_FILES) break;
    }
    return files;
  }

  /** The files a branch changes against `base` (three-dot comparison; GitHub lists at most 300). */
  async compareFiles(base: string, head: string): Promise<PullFile[]> {
    const { data } = await this.octokit.request("GET /repos/{owner}/{repo}/compare/{basehead}", {
      ...this.repo,
      basehead: `${base}...${head}`,
    });
    return (data.files ?? []).map((raw) => pullFileSchema.parse(raw));
  }

  /** A file's text at a commit, or null when it is not there (or not a file). */
  async readFile(path: string, ref: string): Promise<string | null> {
    try {
      const { data } = await this.octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
        ...this.repo,
        path,
        ref,
      });
      const parsed = contentSchema.safeParse(data);
      if (!parsed.success || parsed.data.encoding !== "base64") return null;
      return Buffer.from(parsed.data.content, "base64").toString("utf8");
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** This app's check runs on a commit, by name (the newest of each name). */
  async ownCheckRuns(sha: string): Promise<Map<string, number>> {
    const { data } = await this.octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
      ...this.repo,
      ref: sha,
      app_id: this.appId,
      filter: "latest",
      per_page: 100,
    });
    const runs = new Map<string, number>();
    for (const raw of data.check_runs) {
      const run = checkRunSchema.parse(raw);
      if (run.app && run.app.id !== this.appId) continue;
      if (!runs.has(run.name)) runs.set(run.name, run.id);
    }
    return runs;
  }

  /** Creates the check run, or updates the existing one of the same name on that commit. */
  async upsertCheckRun(args: {
    name: string;
    sha: string;
    existing: number | undefined;
    output: CheckOutput;
    completedAt: Date;
  }): Promise<number> {
    const { name, sha, existing, output, completedAt } = args;
    const body = {
      status: "completed" as const,
      conclusion: output.conclusion,
      completed_at: completedAt.toISOString(),
      output: { title: output.title, summary: output.summary, annotations: output.annotations },
    };
    this.writeCount += 1;
    if (existing !== undefined) {
      await this.octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        ...this.repo,
        check_run_id: existing,
        ...body,
      });
      return existing;
    }
    const { data } = await this.octokit.request("POST /repos/{owner}/{repo}/check-runs", {
      ...this.repo,
      name,
      head_sha: sha,
      ...body,
    });
    return Number(data.id);
  }
}
