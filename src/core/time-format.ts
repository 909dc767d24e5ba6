/** How the app writes instants and durations for people. Pure. */

const pad = (n: number): string => String(n).padStart(2, "0");

/** `2026-11-23 18:00 UTC` */
export function formatUtc(at: Date): string {
  const date = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  return `${date} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC`;
}

/** A rough human duration: `45 minutes`, `11 hours`, `3 days`, `5 weeks`. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 1) return "less than a minute";
  if (minutes < 60) return plural(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 48) return plural(hours, "hour");
  const days = Math.round(hours / 24);
  if (days < 14) return plural(days, "day");
  return plural(Math.round(days / 7), "week");
}

/** `in 11 hours` / `3 days ago` / `now` relative to `now`. */
export function formatRelative(at: Date, now: Date): string {
  const delta = at.getTime() - now.getTime();
  if (Math.abs(delta) < 60_000) return "now";
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
}

/** `12 hours`, `1 week`, `3 months` for window lengths given in hours. */
export function formatWindowHours(hours: number): string {
  if (hours % 2_160 === 0) return plural(hours / 720, "month");
  if (hours % 168 === 0) return plural(hours / 168, "week");
  if (hours % 24 === 0 && hours >= 72) return plural(hours / 24, "day");
  return plural(hours, "hour");
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}
