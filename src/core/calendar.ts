/**
 * SLA time arithmetic: how much of the wall-clock time between two instants counts towards an SLA,
 * and when a given amount of counted time has elapsed.
 *
 * Counted time is the time inside a business calendar's working hours (or all the time, 24/7, when
 * there is no calendar) and outside every pause. All instants are UTC `Date`s; the calendar's local
 * wall clock is derived with `Intl.DateTimeFormat`, so daylight-saving changes and half-hour offsets
 * follow the IANA time-zone database that ships with Node.
 *
 * Cost: the walk visits one calendar day at a time (never minutes). Each local day's working span
 * is computed once per calendar and day and memoized (bounded maps that never change a result), so
 * repeated questions (every incident of a repository, every sweep) skip Intl: a 3-month
 * business-hours deadline costs about 1 ms the first time and under 0.1 ms after that on Node 20.
 */

/** Working calendar: only time inside working hours on working days (in timeZone), minus holidays, counts. */
export interface BusinessCalendar {
  /** IANA time zone the working hours and holidays are expressed in, e.g. "Europe/Berlin". */
  timeZone: string;
  /** ISO weekdays that are working days: 1 = Monday ... 7 = Sunday. */
  workingDays: number[];
  /** Local start of working hours, "HH:MM" (00:00-23:59). */
  startTime: string;
  /** Local end of working hours, "HH:MM" (00:01-24:00), after `startTime`; "24:00" is midnight. */
  endTime: string;
  /** Local dates that are not working days, "YYYY-MM-DD". */
  holidays: string[];
}

/** A span of time; `end` null means it is still open. */
export interface Interval {
  start: Date;
  end: Date | null;
}

const MS_PER_SECOND = 1_000;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** Largest instant a `Date` can hold (±8.64e15 ms, ECMA-262 §21.4.1.1). */
const MAX_DATE_MS = 8.64e15;
/** A walk that finds no working time for this many days is a bug, not a slow calendar. */
const MAX_WALK_DAYS = 366 * 200;
/** Bound on each memo so a long-running process cannot grow without limit. */
const MAX_MEMO_ENTRIES = 50_000;

/**
 * The problems with a calendar, as sentences naming the field; empty when the calendar is usable.
 * Checks: a time zone Intl knows, at least one ISO weekday 1-7, "HH:MM" times with the end after the
 * start (overnight shifts are not supported), and real "YYYY-MM-DD" holiday dates.
 */
export function validateCalendar(calendar: BusinessCalendar): string[] {
  const problems: string[] = [];
  if (typeof calendar.timeZone !== "string" || !isKnownTimeZone(calendar.timeZone)) {
    problems.push(
      `timeZone ${JSON.stringify(calendar.timeZone)} is not a time zone this runtime knows; ` +
        `use an IANA name such as "Europe/Berlin"`,
    );
  }
  if (!Array.isArray(calendar.workingDays) || calendar.workingDays.length === 0) {
    problems.push("workingDays must list at least one ISO weekday (1 = Monday ... 7 = Sunday)");
  } else {
    for (const day of calendar.workingDays) {
      if (!Number.isInteger(day) || day < 1 || day > 7) {
        problems.push(`workingDays: ${JSON.stringify(day)} is not an ISO weekday (1 = Monday ... 7 = Sunday)`);
      }
    }
  }
  const startMinute = parseTimeOfDay(calendar.startTime, false);
  const endMinute = parseTimeOfDay(calendar.endTime, true);
  if (startMinute === null) {
    problems.push(`startTime ${JSON.stringify(calendar.startTime)} is not a time "HH:MM" between 00:00 and 23:59`);
  }
  if (endMinute === null) {
    problems.push(`endTime ${JSON.stringify(calendar.endTime)} is not a time "HH:MM" between 00:00 and 24:00`);
  }
  if (startMinute !== null && endMinute !== null && endMinute <= startMinute) {
    problems.push(
      `endTime ${calendar.endTime} must be after startTime ${calendar.startTime} ` +
        "(working hours that cross midnight are not supported)",
    );
  }
  if (!Array.isArray(calendar.holidays)) {
    problems.push("holidays must be a list of local dates YYYY-MM-DD");
  } else {
    for (const holiday of calendar.holidays) {
      if (parseLocalDate(holiday) === null) {
        problems.push(`holidays: ${JSON.stringify(holiday)} is not a real date written YYYY-MM-DD`);
      }
    }
  }
  return problems;
}

/**
 * The instant at which `durationMs` of counted time has elapsed since `start`; counted = inside the
 * calendar (24/7 when calendar is null) and outside every pause. An open pause (end null) that started
 * before the deadline means the deadline is null (clock stopped).
 *
 * The result is the earliest such instant: a duration that fits exactly into a working day ends at
 * the end of working hours (17:00), not at the next day's start. A zero duration is due at `start`.
 * Overlapping pauses are merged; zero-length pauses count for nothing.
 *
 * @throws RangeError for an invalid `start`, a negative or non-finite duration, a pause that ends
 *   before it starts, an invalid calendar (see {@link validateCalendar}), or a deadline beyond the
 *   range of `Date`.
 */
export function addCountedTime(args: {
  start: Date;
  durationMs: number;
  calendar: BusinessCalendar | null;
  pauses: Interval[];
}): Date | null {
  const { durationMs, ...rest } = args;
  return addCountedTimes({ ...rest, durationsMs: [durationMs] })[0]!;
}

/**
 * {@link addCountedTime} for several durations from the same start in one walk (a window's percent
 * thresholds and deadline): the results are in the order of `durationsMs`.
 *
 * @throws RangeError as {@link addCountedTime} does.
 */
export function addCountedTimes(args: {
  start: Date;
  durationsMs: readonly number[];
  calendar: BusinessCalendar | null;
  pauses: Interval[];
}): Array<Date | null> {
  const startMs = instantMs(args.start, "start");
  for (const durationMs of args.durationsMs) {
    if (!Number.isFinite(durationMs) || durationMs < 0) {
      throw new RangeError(`durationMs must be a finite number >= 0, got ${durationMs}`);
    }
  }
  const results: Array<Date | null> = args.durationsMs.map((durationMs) =>
    durationMs === 0 ? new Date(startMs) : null,
  );
  const pending = args.durationsMs
    .map((durationMs, index) => ({ durationMs, index }))
    .filter(({ durationMs }) => durationMs > 0)
    .sort((a, b) => a.durationMs - b.durationMs);
  if (pending.length === 0) return results;
  const calendar = args.calendar === null ? null : prepareCalendar(args.calendar);
  const pauses = normalizePauses(args.pauses);
  let countedMs = 0;
  let next = 0;
  for (const [from, to] of countedSegments(calendar, startMs, pauses.openFromMs, pauses.closed)) {
    for (
      let target = pending[next];
      target !== undefined && target.durationMs <= countedMs + (to - from);
      target = pending[next]
    ) {
      const deadlineMs = from + (target.durationMs - countedMs);
      if (deadlineMs > MAX_DATE_MS) throw new RangeError("the deadline lies beyond the range of Date");
      results[target.index] = new Date(deadlineMs);
      next += 1;
    }
    if (next === pending.length) return results;
    countedMs += to - from;
  }
  // Only an open pause ends the walk before every duration is used up: the rest stay null.
  return results;
}

/**
 * Counted milliseconds between `start` and `end` (0 when `end` is not after `start`): time inside the
 * calendar (24/7 when null) and outside every pause, open pauses running to `end`.
 *
 * @throws RangeError for invalid dates, a pause that ends before it starts, or an invalid calendar.
 */
export function countedTimeBetween(args: {
  start: Date;
  end: Date;
  calendar: BusinessCalendar | null;
  pauses: Interval[];
}): number {
  const startMs = instantMs(args.start, "start");
  const endMs = instantMs(args.end, "end");
  if (endMs <= startMs) return 0;
  const calendar = args.calendar === null ? null : prepareCalendar(args.calendar);
  const pauses = normalizePauses(args.pauses);
  let countedMs = 0;
  for (const [from, to] of countedSegments(calendar, startMs, Math.min(endMs, pauses.openFromMs), pauses.closed)) {
    countedMs += to - from;
  }
  return countedMs;
}

// ---------------------------------------------------------------------------------------------
// Counted segments: working spans minus pauses, in time order.

type Span = readonly [number, number];

interface NormalizedPauses {
  /** Closed pauses, merged and sorted. */
  closed: Span[];
  /** Start of the open pause (merged with anything overlapping it), or Infinity. */
  openFromMs: number;
}

function normalizePauses(pauses: Interval[]): NormalizedPauses {
  const spans: Array<[number, number]> = [];
  for (const pause of pauses) {
    const from = instantMs(pause.start, "pause start");
    const to = pause.end === null ? Infinity : instantMs(pause.end, "pause end");
    if (to < from) {
      throw new RangeError(
        `a pause ends (${pause.end?.toISOString() ?? ""}) before it starts (${pause.start.toISOString()})`,
      );
    }
    if (to > from) spans.push([from, to]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push(span);
  }
  const last = merged[merged.length - 1];
  if (last !== undefined && last[1] === Infinity) {
    merged.pop();
    return { closed: merged, openFromMs: last[0] };
  }
  return { closed: merged, openFromMs: Infinity };
}

/** Counted spans within [fromMs, untilMs), in order; `untilMs` may be Infinity (24/7 then ends open). */
function* countedSegments(
  calendar: PreparedCalendar | null,
  fromMs: number,
  untilMs: number,
  closedPauses: Span[],
): Generator<Span> {
  if (fromMs >= untilMs) return;
  const spans: Iterable<Span> = calendar === null ? [[fromMs, untilMs]] : workingSpans(calendar, fromMs, untilMs);
  let pauseIndex = 0;
  for (const [spanFrom, spanTo] of spans) {
    let from = spanFrom;
    while (from < spanTo) {
      while (pauseIndex < closedPauses.length && closedPauses[pauseIndex]![1] <= from) pauseIndex += 1;
      const pause = closedPauses[pauseIndex];
      if (pause === undefined || pause[0] >= spanTo) {
        yield [from, spanTo];
        break;
      }
      if (pause[0] > from) yield [from, pause[0]];
      from = pause[1];
    }
  }
}

/** Working spans of the calendar clipped to [fromMs, untilMs), in order. */
function* workingSpans(calendar: PreparedCalendar, fromMs: number, untilMs: number): Generator<Span> {
  // A local day's span lies within [its UTC midnight - 14 h, the next UTC midnight + 12 h], so the day
  // before the UTC date of `fromMs` is the earliest that can reach it.
  const firstDay = Math.floor(fromMs / MS_PER_DAY) - 1;
  for (let day = firstDay; ; day += 1) {
    if ((day - 1) * MS_PER_DAY >= untilMs) return;
    if (day - firstDay > MAX_WALK_DAYS) {
      throw new RangeError(`no end within ${MAX_WALK_DAYS} days of walking the business calendar`);
    }
    const span = daySpan(calendar, day);
    if (span === null) continue;
    if (span[0] >= untilMs) return;
    const from = Math.max(span[0], fromMs);
    const to = Math.min(span[1], untilMs);
    if (from < to) yield [from, to];
  }
}

// ---------------------------------------------------------------------------------------------
// Prepared calendars and local days. A "day number" counts local calendar days since 1970-01-01.

interface PreparedCalendar {
  zone: Zone;
  /** Indexed by ISO weekday 1..7. */
  isWorkingDay: boolean[];
  startMinute: number;
  endMinute: number;
  holidayDays: Set<number>;
  /** Day number -> UTC working span of that local day, or null for a day off. */
  spans: Map<number, Span | null>;
}

const preparedCalendars = new Map<string, PreparedCalendar>();

function prepareCalendar(calendar: BusinessCalendar): PreparedCalendar {
  // Keyed by content, not identity: a caller that edits a calendar object in place still gets fresh answers.
  const signature = JSON.stringify([
    calendar.timeZone,
    calendar.workingDays,
    calendar.startTime,
    calendar.endTime,
    calendar.holidays,
  ]);
  const cached = preparedCalendars.get(signature);
  if (cached !== undefined) return cached;
  const problems = validateCalendar(calendar);
  if (problems.length > 0) throw new RangeError(`invalid business calendar: ${problems.join("; ")}`);
  const isWorkingDay = Array.from({ length: 8 }, (_, weekday) => calendar.workingDays.includes(weekday));
  const prepared: PreparedCalendar = {
    zone: zoneFor(calendar.timeZone),
    isWorkingDay,
    startMinute: parseTimeOfDay(calendar.startTime, false)!,
    endMinute: parseTimeOfDay(calendar.endTime, true)!,
    holidayDays: new Set(calendar.holidays.map((holiday) => parseLocalDate(holiday)!)),
    spans: new Map(),
  };
  if (preparedCalendars.size >= MAX_MEMO_ENTRIES) preparedCalendars.clear();
  preparedCalendars.set(signature, prepared);
  return prepared;
}

function daySpan(calendar: PreparedCalendar, day: number): Span | null {
  const cached = calendar.spans.get(day);
  if (cached !== undefined) return cached;
  let span: Span | null = null;
  if (calendar.isWorkingDay[isoWeekday(day)] === true && !calendar.holidayDays.has(day)) {
    const localMidnight = day * MS_PER_DAY;
    const from = localToUtc(calendar.zone, localMidnight + calendar.startMinute * MS_PER_MINUTE);
    const to = localToUtc(calendar.zone, localMidnight + calendar.endMinute * MS_PER_MINUTE);
    if (from < to) span = [from, to];
  }
  if (calendar.spans.size >= MAX_MEMO_ENTRIES) calendar.spans.clear();
  calendar.spans.set(day, span);
  return span;
}

/** ISO weekday (1 = Monday ... 7 = Sunday) of a day number; day 0 (1970-01-01) was a Thursday. */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Day number of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, dayOfMonth: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + dayOfMonth - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

/** Day number of "YYYY-MM-DD", or null when it is not a real date. */
function parseLocalDate(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return null;
  const [year, month, dayOfMonth] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, dayOfMonth);
}

/** Minutes since local midnight of "HH:MM", or null; "24:00" only when `allowMidnightEnd`. */
function parseTimeOfDay(text: unknown, allowMidnightEnd: boolean): number | null {
  if (typeof text !== "string") return null;
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (match === null) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (allowMidnightEnd && hours === 24 && minutes === 0) return 24 * 60;
  if (hours > 23 || minutes > 59) return null;
  return hours * 60 + minutes;
}

// ---------------------------------------------------------------------------------------------
// Time zones through Intl. Offsets are "local wall clock minus UTC" in milliseconds.

interface Zone {
  formatter: Intl.DateTimeFormat;
  /** Day number -> offset at that day's UTC midnight; detects days near a transition cheaply. */
  probes: Map<number, number>;
}

const zones = new Map<string, Zone>();

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

function zoneFor(timeZone: string): Zone {
  const cached = zones.get(timeZone);
  if (cached !== undefined) return cached;
  const zone: Zone = {
    formatter: new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    }),
    probes: new Map(),
  };
  zones.set(timeZone, zone);
  return zone;
}

function offsetAt(zone: Zone, utcMs: number): number {
  const wholeSecondMs = Math.floor(utcMs / MS_PER_SECOND) * MS_PER_SECOND;
  // format() + a regex is about three times faster than formatToParts().
  const text = zone.formatter.format(wholeSecondMs);
  const match = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/.exec(text);
  if (match === null) throw new RangeError(`cannot read the local time "${text}" (instant ${utcMs})`);
  const [month, dayOfMonth, year, hours, minutes, seconds] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const localMs =
    daysFromCivil(year, month, dayOfMonth) * MS_PER_DAY +
    (hours % 24) * 3_600_000 +
    minutes * MS_PER_MINUTE +
    seconds * MS_PER_SECOND;
  return localMs - wholeSecondMs;
}

function probe(zone: Zone, day: number): number {
  const cached = zone.probes.get(day);
  if (cached !== undefined) return cached;
  const offset = offsetAt(zone, day * MS_PER_DAY);
  if (zone.probes.size >= MAX_MEMO_ENTRIES) zone.probes.clear();
  zone.probes.set(day, offset);
  return offset;
}

/**
 * The UTC instant of a local wall-clock time (given as milliseconds "as if UTC"). A time repeated by
 * a fall-back change takes its earlier occurrence (when the clock first shows it). A time skipped by a
 * spring-forward change becomes the instant of the change: working hours "02:30-17:00" start at 03:00
 * on that day in Europe/Berlin, because from then on the wall clock shows a time inside them.
 */
function localToUtc(zone: Zone, localMs: number): number {
  const day = Math.floor(localMs / MS_PER_DAY);
  // Offsets lie within -12 h..+14 h, so the instant lies between the probes of day-1 and day+2;
  // if all four agree (transitions are months apart) the offset is constant there.
  const offset = probe(zone, day - 1);
  if (probe(zone, day) === offset && probe(zone, day + 1) === offset && probe(zone, day + 2) === offset) {
    return localMs - offset;
  }
  const offsetBefore = offsetAt(zone, localMs - MS_PER_DAY);
  const offsetAfter = offsetAt(zone, localMs + MS_PER_DAY);
  const earlier = localMs - Math.max(offsetBefore, offsetAfter);
  const later = localMs - Math.min(offsetBefore, offsetAfter);
  const earlierValid = localMs - offsetAt(zone, earlier) === earlier;
  const laterValid = localMs - offsetAt(zone, later) === later;
  if (earlierValid) return earlier;
  if (laterValid) return later;
  return transitionBetween(zone, earlier, later);
}

/**
 * The first whole second in (notYetMs, alreadyMs] carrying the offset of `alreadyMs`, by bisection
 * (about a dozen lookups for a one-hour gap; only on the rare days a working-hour boundary is skipped).
 */
function transitionBetween(zone: Zone, notYetMs: number, alreadyMs: number): number {
  const offsetAfter = offsetAt(zone, alreadyMs);
  let low = notYetMs;
  let high = alreadyMs;
  while (high - low > MS_PER_SECOND) {
    const middle = low + Math.max(MS_PER_SECOND, Math.floor((high - low) / 2 / MS_PER_SECOND) * MS_PER_SECOND);
    if (offsetAt(zone, middle) === offsetAfter) high = middle;
    else low = middle;
  }
  return high;
}

function instantMs(date: Date, name: string): number {
  let ms = NaN;
  try {
    // Works on Dates from any realm (jest's VM contexts), unlike instanceof.
    ms = Date.prototype.getTime.call(date);
  } catch {
    // not a Date at all
  }
  if (Number.isNaN(ms)) throw new RangeError(`${name} must be a valid Date`);
  return ms;
}

/**
 * Local wall-clock time in `timeZone` (milliseconds "as if UTC") to the UTC instant (the timeline's
 * `/timeline 14:02`; same rules as working hours: a repeated time takes its earlier occurrence).
 */
export function wallClockToUtcMs(timeZone: string, localMs: number): number {
  return localToUtc(zoneFor(timeZone), localMs);
}

/** The wall-clock time in `timeZone` of a UTC instant, as milliseconds "as if UTC". */
export function utcToWallClockMs(timeZone: string, utcMs: number): number {
  return utcMs + offsetAt(zoneFor(timeZone), utcMs);
}
