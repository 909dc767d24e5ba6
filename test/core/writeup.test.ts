import { describe, expect, test } from "@jest/globals";
import type { Category, Classification, Severity } from "../../src/core/classification.js";
import type { SectionState } from "../../src/core/sections.js";
import {
  actionKeys,
  assessWriteup,
  closeBlockers,
  refKey,
  SECTION_KEYS,
  writeupRequired,
  type ActionView,
  type RemoteState,
  type SectionKey,
} from "../../src/core/writeup.js";
import { configSchema, DEFAULT_CONFIG, type IncidentKeeperConfig } from "../../src/config/schema.js";
import { policiesOf } from "../../src/config/policies.js";

const REPO = { owner: "acme", repo: "api" };
const CORE_SEV2: Classification = { category: "core-bug", severity: 2, devops: 3 };
const UNCLASSIFIED: Classification = { category: null, severity: null, devops: null };
const NEVER = configSchema.parse({ writeup: { required: "never" } });

const HEADINGS: Record<SectionKey, string> = { timeline: "## Timeline", rca: "## RCA", actions: "## Actions" };
/** Content of a section in each state; "missing" leaves out the heading too. */
const CONTENT: Record<Exclude<SectionState, "missing">, Record<SectionKey, string>> = {
  empty: { timeline: "<!-- fill me in -->", rca: "", actions: "- [ ]" },
  placeholder: { timeline: "_No response_", rca: "TBD", actions: "To be written once the incident is resolved." },
  filled: {
    timeline: "- 08:00 alerts fired\n- 08:20 rolled back",
    rca: "A bad config push disabled the pool.",
    actions: "- [x] Write the runbook",
  },
};

function bodyWith(states: Record<SectionKey, SectionState>): string {
  const parts = ["Logins fail with 503."];
  for (const key of SECTION_KEYS) {
    const state = states[key];
    if (state !== "missing") parts.push(HEADINGS[key], CONTENT[state][key]);
  }
  return parts.join("\n\n");
}

const assess = (
  body: string,
  options: {
    config?: IncidentKeeperConfig;
    classification?: Classification;
    remote?: Map<string, RemoteState>;
    reviews?: Record<string, string[]>;
  } = {},
) =>
  assessWriteup({
    body,
    repo: REPO,
    policy: policiesOf(options.config ?? DEFAULT_CONFIG).writeup,
    classification: options.classification ?? CORE_SEV2,
    remote: options.remote ?? new Map(),
    reviews: options.reviews,
  });

describe("sections: every combination of missing / empty / placeholder / filled, required or not", () => {
  const STATES: SectionState[] = ["missing", "empty", "placeholder", "filled"];
  const cases = STATES.flatMap((timeline) =>
    STATES.flatMap((rca) =>
      STATES.flatMap((actions) =>
        [true, false].map((required) => ({
          timeline,
          rca,
          actions,
          required,
          label: `timeline ${timeline}, rca ${rca}, actions ${actions}, ${required ? "required" : "not required"}`,
        })),
      ),
    ),
  );
  test.each(cases)("$label", ({ timeline, rca, actions, required }) => {
    const states = { timeline, rca, actions };
    const assessment = assess(bodyWith(states), { config: required ? DEFAULT_CONFIG : NEVER });
    for (const key of SECTION_KEYS) {
      expect({
        key,
        state: assessment.sections[key].state,
        present: assessment.sections[key].present,
        filled: assessment.sections[key].filled,
      }).toEqual({
        key,
        state: states[key],
        present: states[key] !== "missing",
        filled: states[key] === "filled",
      });
    }
    const unfilled = SECTION_KEYS.filter((key) => states[key] !== "filled");
    expect(assessment.required).toBe(required);
    expect(assessment.sectionsOk).toBe(unfilled.length === 0);
    // The only action possible here is the ticked task of a filled Actions section.
    expect(assessment.actions.map((a) => a.state)).toEqual(actions === "filled" ? ["task-done"] : []);
    expect(assessment.actionsOk).toBe(true);
    expect(assessment.complete).toBe(unfilled.length === 0 || !required);
    expect(closeBlockers(assessment)).toEqual({ sections: required ? unfilled : [], actions: [] });
  });
});

describe("section headings from config", () => {
  const config = configSchema.parse({ writeup: { sections: { rca: ["Postmortem"], actions: ["Follow-ups"] } } });
  test("configured names are recognised, the defaults they replace are not", () => {
    const configured = assess(
      "## Timeline\n\nx happened\n\n## Postmortem\n\nbad config\n\n## Follow-ups\n\n- [ ] rotate keys",
      { config },
    );
    expect(SECTION_KEYS.map((k) => configured.sections[k].state)).toEqual(["filled", "filled", "filled"]);
    expect(configured.actions.map((a) => a.state)).toEqual(["task-open"]);
    const defaults = assess("## Timeline\n\nx happened\n\n## RCA\n\nbad config\n\n## Actions\n\n- [ ] rotate keys", {
      config,
    });
    expect(SECTION_KEYS.map((k) => defaults.sections[k].state)).toEqual(["filled", "missing", "missing"]);
    expect(defaults.actions).toEqual([]);
  });
});

describe("writeupRequired: the severity and category conditions", () => {
  const only = (writeup: Record<string, unknown>): IncidentKeeperConfig => configSchema.parse({ writeup });
  test.each<{
    name: string;
    config: IncidentKeeperConfig;
    category: Category | null;
    severity: Severity | null;
    expected: boolean;
  }>([
    { name: "defaults, core bug Sev 2", config: DEFAULT_CONFIG, category: "core-bug", severity: 2, expected: true },
    {
      name: "defaults, feature request Sev 5",
      config: DEFAULT_CONFIG,
      category: "feature-request",
      severity: 5,
      expected: true,
    },
    { name: "defaults, nothing classified", config: DEFAULT_CONFIG, category: null, severity: null, expected: true },
    { name: "never, core bug Sev 1", config: NEVER, category: "core-bug", severity: 1, expected: false },
    { name: "never, nothing classified", config: NEVER, category: null, severity: null, expected: false },
    {
      name: "Sev 1-2 only, Sev 1",
      config: only({ severities: [1, 2] }),
      category: "core-bug",
      severity: 1,
      expected: true,
    },
    {
      name: "Sev 1-2 only, Sev 2",
      config: only({ severities: [1, 2] }),
      category: "core-bug",
      severity: 2,
      expected: true,
    },
    {
      name: "Sev 1-2 only, Sev 3",
      config: only({ severities: [1, 2] }),
      category: "core-bug",
      severity: 3,
      expected: false,
    },
    {
      name: "Sev 1-2 only, Sev 5",
      config: only({ severities: [1, 2] }),
      category: "core-bug",
      severity: 5,
      expected: false,
    },
    {
      name: "Sev 1-2 only, severity not yet set (required until known)",
      config: only({ severities: [1, 2] }),
      category: "core-bug",
      severity: null,
      expected: true,
    },
    {
      name: "no severity at all needs one",
      config: only({ severities: [] }),
      category: "core-bug",
      severity: 1,
      expected: false,
    },
    {
      name: "core bugs only, core bug",
      config: only({ categories: ["core-bug"] }),
      category: "core-bug",
      severity: 4,
      expected: true,
    },
    {
      name: "core bugs only, operator error",
      config: only({ categories: ["core-bug"] }),
      category: "operator-error",
      severity: 1,
      expected: false,
    },
    {
      name: "core bugs only, act of God",
      config: only({ categories: ["core-bug"] }),
      category: "act-of-god",
      severity: 1,
      expected: false,
    },
    {
      name: "core bugs only, category not yet set (required until known)",
      config: only({ categories: ["core-bug"] }),
      category: null,
      severity: 1,
      expected: true,
    },
    {
      name: "both conditions, both match",
      config: only({ severities: [1], categories: ["core-bug"] }),
      category: "core-bug",
      severity: 1,
      expected: true,
    },
    {
      name: "both conditions, severity fails",
      config: only({ severities: [1], categories: ["core-bug"] }),
      category: "core-bug",
      severity: 2,
      expected: false,
    },
    {
      name: "both conditions, category fails",
      config: only({ severities: [1], categories: ["core-bug"] }),
      category: "feature-request",
      severity: 1,
      expected: false,
    },
    {
      name: "never wins over matching conditions",
      config: only({ required: "never", severities: [1], categories: ["core-bug"] }),
      category: "core-bug",
      severity: 1,
      expected: false,
    },
  ])("$name -> $expected", ({ config, category, severity, expected }) => {
    const classification: Classification = { category, severity, devops: 1 };
    expect(writeupRequired(policiesOf(config).writeup, classification)).toBe(expected);
    // assessWriteup and closeBlockers follow the same rule: an unrequired write-up blocks nothing.
    const assessment = assess("No write-up at all.", { config, classification });
    expect(assessment.required).toBe(expected);
    expect(assessment.complete).toBe(!expected);
    expect(closeBlockers(assessment).sections).toEqual(expected ? ["timeline", "rca", "actions"] : []);
  });
});

describe("actions: every state of a referenced issue or pull request", () => {
  const FILLED = "## Timeline\n\n08:00 alert\n\n## RCA\n\nbad deploy\n\n## Actions\n\n";
  const issue = (state: "open" | "closed", stateReason: string | null): RemoteState => ({
    found: true,
    kind: "issue",
    state,
    stateReason,
    title: "Add a breaker",
  });
  const pull = (state: "open" | "closed", merged: boolean): RemoteState => ({
    found: true,
    kind: "pull",
    state,
    merged,
    title: "Retry login",
  });

  test.each<{
    name: string;
    line: string;
    remote?: RemoteState;
    reviews?: string[];
    expected: Omit<ActionView, "text">;
  }>([
    {
      name: "open issue",
      line: "- [ ] #12",
      remote: issue("open", null),
      expected: {
        key: "acme/api#12",
        title: "Add a breaker",
        state: "open",
        done: false,
        checkbox: "unchecked",
        reviews: [],
      },
    },
    {
      name: "open issue with a PR in review",
      line: "- [ ] #12",
      remote: issue("open", null),
      reviews: ["acme/api#40"],
      expected: {
        key: "acme/api#12",
        title: "Add a breaker",
        state: "in-review",
        done: false,
        checkbox: "unchecked",
        reviews: ["acme/api#40"],
      },
    },
    {
      name: "issue closed as completed",
      line: "- [ ] #12",
      remote: issue("closed", "completed"),
      expected: {
        key: "acme/api#12",
        title: "Add a breaker",
        state: "done",
        done: true,
        checkbox: "unchecked",
        reviews: [],
      },
    },
    {
      name: "issue closed without a reason (older GitHub)",
      line: "- [x] #12",
      remote: issue("closed", null),
      expected: {
        key: "acme/api#12",
        title: "Add a breaker",
        state: "done",
        done: true,
        checkbox: "checked",
        reviews: [],
      },
    },
    {
      name: "issue closed as not planned",
      line: "- [ ] #12",
      remote: issue("closed", "not_planned"),
      expected: {
        key: "acme/api#12",
        title: "Add a breaker",
        state: "not-doing",
        done: true,
        checkbox: "unchecked",
        reviews: [],
      },
    },
    {
      name: "issue closed as duplicate counts as done",
      line: "- [ ] #12",
      remote: issue("closed", "duplicate"),
      expected: {
        key: "acme/api#12",
        title: "Add a breaker",
        state: "done",
        done: true,
        checkbox: "unchecked",
        reviews: [],
      },
    },
    {
      name: "merged pull request",
      line: "- [ ] acme/web#3",
      remote: pull("closed", true),
      expected: {
        key: "acme/web#3",
        title: "Retry login",
        state: "done",
        done: true,
        checkbox: "unchecked",
        reviews: [],
      },
    },
    {
      name: "open pull request",
      line: "- [ ] acme/web#3",
      remote: pull("open", false),
      expected: {
        key: "acme/web#3",
        title: "Retry login",
        state: "in-review",
        done: false,
        checkbox: "unchecked",
        reviews: [],
      },
    },
    {
      name: "pull request closed unmerged",
      line: "- [ ] acme/web#3",
      remote: pull("closed", false),
      expected: {
        key: "acme/web#3",
        title: "Retry login",
        state: "closed-unmerged",
        done: false,
        checkbox: "unchecked",
        reviews: [],
      },
    },
    {
      name: "not found (or outside the installation)",
      line: "- [ ] other/repo#9",
      remote: { found: false },
      expected: { key: "other/repo#9", title: null, state: "unknown", done: false, checkbox: "unchecked", reviews: [] },
    },
    {
      name: "not looked up yet",
      line: "- #12",
      expected: { key: "acme/api#12", title: null, state: "unknown", done: false, checkbox: null, reviews: [] },
    },
    {
      name: "a ticked box does not make an unknown action done",
      line: "- [x] #12",
      expected: { key: "acme/api#12", title: null, state: "unknown", done: false, checkbox: "checked", reviews: [] },
    },
    {
      name: "an unticked box does not undo a closed issue",
      line: "- [ ] #12",
      remote: issue("closed", "completed"),
      expected: {
        key: "acme/api#12",
        title: "Add a breaker",
        state: "done",
        done: true,
        checkbox: "unchecked",
        reviews: [],
      },
    },
    {
      name: "plain task, open",
      line: "- [ ] Write the runbook",
      expected: { key: null, title: null, state: "task-open", done: false, checkbox: "unchecked", reviews: [] },
    },
    {
      name: "plain task, ticked",
      line: "- [X] Write the runbook",
      expected: { key: null, title: null, state: "task-done", done: true, checkbox: "checked", reviews: [] },
    },
  ])("$name -> $expected.state", ({ line, remote, reviews, expected }) => {
    const remotes = new Map<string, RemoteState>();
    if (remote && expected.key) remotes.set(expected.key, remote);
    const assessment = assess(FILLED + line, {
      remote: remotes,
      reviews: reviews && expected.key ? { [expected.key]: reviews } : undefined,
    });
    expect(assessment.actions).toHaveLength(1);
    const { text: _text, ...view } = assessment.actions[0]!;
    expect(view).toEqual(expected);
    expect(assessment.actionsOk).toBe(expected.done);
    expect(assessment.sectionsOk).toBe(true);
    expect(assessment.complete).toBe(expected.done);
    expect(closeBlockers(assessment)).toEqual({ sections: [], actions: expected.done ? [] : assessment.actions });
  });

  test("a list item without a reference or a checkbox is not an action", () => {
    expect(assess(`${FILLED}- talk to the vendor`).actions).toEqual([]);
  });

  test("only the actions that are not done block closing, in document order, with missing sections first", () => {
    const body =
      "## RCA\n\nbad deploy\n\n## Actions\n\n- [ ] #1\n- [ ] #2\n- [ ] #3\n- [ ] #4\n- [x] runbook\n- [ ] dashboards";
    const remote = new Map<string, RemoteState>([
      ["acme/api#1", issue("closed", "completed")],
      ["acme/api#2", issue("open", null)],
      ["acme/api#3", issue("closed", "not_planned")],
    ]);
    const assessment = assess(body, { remote });
    expect(assessment.actions.map((a) => [a.key, a.state, a.done])).toEqual([
      ["acme/api#1", "done", true],
      ["acme/api#2", "open", false],
      ["acme/api#3", "not-doing", true],
      ["acme/api#4", "unknown", false],
      [null, "task-done", true],
      [null, "task-open", false],
    ]);
    const blockers = closeBlockers(assessment);
    expect(blockers.sections).toEqual(["timeline"]);
    expect(blockers.actions.map((a) => a.key ?? a.text)).toEqual(["acme/api#2", "acme/api#4", "dashboards"]);
    expect(assessment.complete).toBe(false);
  });

  test("open actions block closing even when the write-up is not required", () => {
    const assessment = assess("## Actions\n\n- [ ] #7", {
      config: NEVER,
      remote: new Map([["acme/api#7", issue("open", null)]]),
    });
    expect(assessment.required).toBe(false);
    expect(assessment.complete).toBe(false);
    expect(closeBlockers(assessment)).toEqual({ sections: [], actions: assessment.actions });
  });

  test("no actions at all: nothing blocks on actions", () => {
    const assessment = assess("## Timeline\n\nx\n\n## RCA\n\ny\n\n## Actions\n\nNone needed: the vendor fixed it.", {
      classification: UNCLASSIFIED,
    });
    expect(assessment.actions).toEqual([]);
    expect(assessment.actionsOk).toBe(true);
    expect(assessment.complete).toBe(true);
    expect(closeBlockers(assessment)).toEqual({ sections: [], actions: [] });
  });
});

describe("action keys", () => {
  test.each<{ name: string; ref: { owner: string | null; repo: string | null; number: number }; expected: string }>([
    {
      name: "bare #N takes the incident's repository",
      ref: { owner: null, repo: null, number: 12 },
      expected: "acme/api#12",
    },
    {
      name: "owner/repo#N is lower-cased",
      ref: { owner: "ACME", repo: "Web.App", number: 3 },
      expected: "acme/web.app#3",
    },
  ])("$name", ({ ref, expected }) => {
    expect(refKey(ref, REPO)).toBe(expected);
  });

  test("actionKeys lists every referenced action once, lower case, in order; tasks and other sections are left out", () => {
    const body = [
      "## Timeline",
      "",
      "- see #99 for the alert",
      "",
      "## Actions",
      "",
      "- [ ] Fix #12",
      "- [ ] ACME/Web#3",
      "- [ ] https://github.com/acme/api/issues/12",
      "- [ ] https://github.com/other/svc/pull/8",
      "- [ ] write the runbook",
      "- `#55` in code is not an action",
    ].join("\n");
    expect(actionKeys(body, REPO, policiesOf(DEFAULT_CONFIG).writeup)).toEqual([
      "acme/api#12",
      "acme/web#3",
      "other/svc#8",
    ]);
  });
});
