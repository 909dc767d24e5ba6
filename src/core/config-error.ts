/**
 * What the core knows of an invalid config: the report the app shows the repository's maintainers.
 * Built by `src/config/load.ts` from zod's issues (config -> core; the core never imports config).
 */
export interface ConfigIssue {
  /** Dotted key path, e.g. `sla.resolution_hours.1.3`. */
  path: string;
  message: string;
}

export interface ConfigError {
  issues: ConfigIssue[];
  /** The whole report, as zod prettifies it. */
  summary: string;
  /** The file's own `incident_label`, when it is usable although the file is not. */
  incidentLabel?: string;
}
