/**
 * The dashboard's view of every open incident, in memory (a cache: GitHub holds the state). Kept
 * current by the app's own writes (after each status comment) and by each sweep (which also drops
 * incidents that are no longer open), so a page view costs no API call. Off (no-op) until the
 * dashboard route is configured.
 */
import type { IncidentIssue } from "../core/incident.js";
import type { StatusState } from "../core/status-state.js";
import type { IncidentKeeperConfig } from "../config/schema.js";
import { dashboardEntry, type DashboardEntry } from "./entry.js";

const keyOf = (repository: string, number: number): string => `${repository}#${number}`.toLowerCase();

export class DashboardCache {
  private readonly entries = new Map<string, DashboardEntry>();
  private enabledFlag = false;
  private updatedAtMs: number | null = null;

  /** Starts keeping entries (the dashboard route is on). */
  enable(): void {
    this.enabledFlag = true;
  }

  get enabled(): boolean {
    return this.enabledFlag;
  }

  /** When the view last changed (ms), null before the first entry. */
  get updatedAt(): number | null {
    return this.updatedAtMs;
  }

  has(repository: string, number: number): boolean {
    return this.entries.has(keyOf(repository, number));
  }

  /** Records an incident after the app wrote its status (an incident that is closed or no longer one leaves). */
  record(args: {
    installationId: number;
    repository: string;
    issue: IncidentIssue;
    config: IncidentKeeperConfig;
    state: StatusState | null;
    now: Date;
  }): void {
    if (!this.enabledFlag) return;
    const key = keyOf(args.repository, args.issue.number);
    const isIncident = args.issue.labels.some((l) => l.toLowerCase() === args.config.incident_label.toLowerCase());
    if (args.issue.state !== "open" || !isIncident) this.entries.delete(key);
    else this.entries.set(key, dashboardEntry(args));
    this.updatedAtMs = args.now.getTime();
  }

  /** An incident that left its repository (a security incident moved to the private one, issue #14). */
  forget(repository: string, number: number, now: Date): void {
    if (!this.enabledFlag) return;
    if (this.entries.delete(keyOf(repository, number))) this.updatedAtMs = now.getTime();
  }

  /** After a sweep found the open incidents of an installation: the others of that installation are gone. */
  retainOpen(installationId: number, open: readonly { repository: string; number: number }[], now: Date): void {
    if (!this.enabledFlag) return;
    const keep = new Set(open.map((o) => keyOf(o.repository, o.number)));
    for (const [key, entry] of this.entries)
      if (entry.installationId === installationId && !keep.has(key)) this.entries.delete(key);
    this.updatedAtMs = now.getTime();
  }

  /** Every entry (unordered). */
  all(): DashboardEntry[] {
    return [...this.entries.values()];
  }

  clear(): void {
    this.entries.clear();
    this.updatedAtMs = null;
  }
}

/** The process's one dashboard cache (the server, its webhooks and its sweeps share it). */
export const dashboardCache = new DashboardCache();
