import { describe, expect, it, test } from "@jest/globals";
import {
  MAX_COMMENT_CHARS,
  newInEdit,
  parseCommands,
  splitCommandLine,
  type Command,
} from "../../src/core/commands.js";

const SEV_ERROR = "`/sev` takes a severity from 1 to 5, e.g. `/sev 2`";
const DEVOPS_ERROR = "`/devops` takes a level from 1 to 4, e.g. `/devops 3`";
const CATEGORY_ERROR = "`/category` takes one of `core-bug`, `feature-request`, `operator-error`, `act-of-god`";
const CLOSE_ERROR = "`/close` needs `--force REASON` (close with a missing write-up or open actions)";
const CLOSE_REASON_ERROR = "`/close --force` needs a reason, e.g. `/close --force duplicate of #12`";

const only = (body: string): Command[] => {
  const parsed = parseCommands(body);
  expect(parsed.errors).toEqual([]);
  return parsed.commands;
};

describe("each command", () => {
  test.each<{ body: string; command: Command }>([
    { body: "/incident", command: { name: "incident" } },
    { body: "/INCIDENT", command: { name: "incident" } },
    { body: "/resolved", command: { name: "resolved" } },
    { body: "/sev 1", command: { name: "sev", severity: 1 } },
    { body: "/sev 5", command: { name: "sev", severity: 5 } },
    { body: "/Sev 2", command: { name: "sev", severity: 2 } },
    { body: "/sev Sev 2", command: { name: "sev", severity: 2 } },
    { body: "/sev sev3", command: { name: "sev", severity: 3 } },
    { body: "/severity 4", command: { name: "sev", severity: 4 } },
    { body: "/sev    2   ", command: { name: "sev", severity: 2 } },
    { body: "/sev\t2", command: { name: "sev", severity: 2 } },
    { body: "   /sev 2", command: { name: "sev", severity: 2 } },
    { body: "/devops 1", command: { name: "devops", devops: 1 } },
    { body: "/devops 4", command: { name: "devops", devops: 4 } },
    { body: "/DevOps DevOps 3", command: { name: "devops", devops: 3 } },
    { body: "/category core-bug", command: { name: "category", category: "core-bug" } },
    { body: "/category feature-request", command: { name: "category", category: "feature-request" } },
    { body: "/category Operator_Error", command: { name: "category", category: "operator-error" } },
    { body: "/category act of god", command: { name: "category", category: "act-of-god" } },
    { body: "/close --force duplicate of #12", command: { name: "close-force", reason: "duplicate of #12" } },
    { body: "/close --force    spaced   reason  ", command: { name: "close-force", reason: "spaced   reason" } },
    { body: "/close --force x", command: { name: "close-force", reason: "x" } },
  ])("$body", ({ body, command }) => {
    expect(only(body)).toEqual([command]);
  });

  test("a forced-close reason is cut at 500 characters", () => {
    const [command] = only(`/close --force ${"r".repeat(600)}`);
    expect(command).toEqual({ name: "close-force", reason: "r".repeat(500) });
  });
});

describe("junk arguments are errors naming the line", () => {
  test.each<{ body: string; message: string }>([
    { body: "/incident now", message: "`/incident` takes no arguments" },
    { body: "/resolved yes", message: "`/resolved` takes no arguments" },
    { body: "/sev", message: SEV_ERROR },
    { body: "/sev 0", message: SEV_ERROR },
    { body: "/sev 6", message: SEV_ERROR },
    { body: "/sev -1", message: SEV_ERROR },
    { body: "/sev 2.5", message: SEV_ERROR },
    { body: "/sev 2.0", message: SEV_ERROR },
    { body: "/sev 2.", message: SEV_ERROR },
    { body: "/sev +2", message: SEV_ERROR },
    { body: "/sev 0x2", message: SEV_ERROR },
    { body: "/sev 1e0", message: SEV_ERROR },
    { body: "/sev Infinity", message: SEV_ERROR },
    { body: "/sev two", message: SEV_ERROR },
    { body: "/sev 2 3", message: SEV_ERROR },
    { body: "/sev 2 please", message: SEV_ERROR },
    { body: "/sev 99999999999999999999", message: SEV_ERROR },
    { body: "/severity 0", message: SEV_ERROR },
    { body: "/devops", message: DEVOPS_ERROR },
    { body: "/devops 0", message: DEVOPS_ERROR },
    { body: "/devops 5", message: DEVOPS_ERROR },
    { body: "/devops 0x3", message: DEVOPS_ERROR },
    { body: "/devops hard", message: DEVOPS_ERROR },
    { body: "/category", message: CATEGORY_ERROR },
    { body: "/category bug", message: CATEGORY_ERROR },
    { body: "/category core bug please", message: CATEGORY_ERROR },
    { body: "/category Core product bug", message: CATEGORY_ERROR },
    { body: "/close", message: CLOSE_ERROR },
    { body: "/close now", message: CLOSE_ERROR },
    { body: "/close --forcefully because", message: CLOSE_ERROR },
    { body: "/close -f reason", message: CLOSE_ERROR },
    { body: "/close --force", message: CLOSE_REASON_ERROR },
    { body: "/close --force      ", message: CLOSE_REASON_ERROR },
  ])("$body", ({ body, message }) => {
    expect(parseCommands(body)).toEqual({ commands: [], errors: [{ line: body.trim(), message }] });
  });

  test("the quoted line is cut at 200 characters", () => {
    const body = `/sev ${"x".repeat(400)}`;
    const [error] = parseCommands(body).errors;
    expect(error?.line).toBe(body.slice(0, 200));
  });
});

describe("near-misses get a short correction (issue #10 item 5)", () => {
  test.each<{ body: string; message: string }>([
    { body: "/sev1", message: "`/sev1` needs a space: `/sev 1`" },
    { body: "/sev2", message: "`/sev2` needs a space: `/sev 2`" },
    { body: "/devops3", message: "`/devops3` needs a space: `/devops 3`" },
    { body: "/severity2", message: "`/severity2` needs a space: `/sev 2`" },
    { body: "/sevv 2", message: "`/sevv` is not a command: did you mean `/sev 2`?" },
    { body: "/sevx 2", message: "`/sevx` is not a command: did you mean `/sev 2`?" },
    { body: "/SEVV 9", message: "`/sevv` is not a command: did you mean `/sev 9`?" },
    { body: "/devop 3", message: "`/devop` is not a command: did you mean `/devops 3`?" },
    { body: "/dveops 3", message: "`/dveops` is not a command: did you mean `/devops 3`?" },
    { body: "/severty 1", message: "`/severty` is not a command: did you mean `/sev 1`?" },
    { body: "/categroy core-bug", message: "`/categroy` is not a command: did you mean `/category core-bug`?" },
    { body: "- /devop 3", message: "`/devop` is not a command: did you mean `/devops 3`?" },
  ])("$body", ({ body, message }) => {
    expect(parseCommands(body)).toEqual({ commands: [], errors: [{ line: body.replace(/^- /, "").trim(), message }] });
  });

  test("a near-miss beside a good command: the command runs, the typo is answered", () => {
    expect(parseCommands("/sev 2\n/devop 3")).toEqual({
      commands: [{ name: "sev", severity: 2 }],
      errors: [{ line: "/devop 3", message: "`/devop` is not a command: did you mean `/devops 3`?" }],
    });
  });
});

describe("unknown words and lines that are not commands", () => {
  test.each<string>([
    "",
    "   ",
    "hello",
    "/assign @octocat",
    "/lgtm",
    "/severe 2",
    "/sevv",
    "/devop hard",
    "/deploy 3",
    "/label sev:2",
    "`/sevv 2`",
    "> /devop 3",
    "/sev1 please",
    "/incidents",
    "/resolved-now",
    "//sev 2",
    "/ sev 2",
    "/1 sev",
    "/",
    "sev 2",
    "\\/sev 2",
  ])("%j is ignored", (body) => {
    expect(parseCommands(body)).toEqual({ commands: [], errors: [] });
  });
});

describe("several commands in one comment", () => {
  test("every command line runs, in order, with prose in between", () => {
    const body = [
      "Looked into it.",
      "",
      "/category core-bug",
      "/sev 2",
      "Checked with the on-call:",
      "/devops 3",
      "",
      "Thanks!",
      "/resolved",
    ].join("\n");
    expect(only(body)).toEqual([
      { name: "category", category: "core-bug" },
      { name: "sev", severity: 2 },
      { name: "devops", devops: 3 },
      { name: "resolved" },
    ]);
  });

  test("good commands run and bad ones are reported", () => {
    expect(parseCommands("/sev 2\n/devops 9\n/category core-bug\n/sev banana")).toEqual({
      commands: [
        { name: "sev", severity: 2 },
        { name: "category", category: "core-bug" },
      ],
      errors: [
        { line: "/devops 9", message: DEVOPS_ERROR },
        { line: "/sev banana", message: SEV_ERROR },
      ],
    });
  });

  test("CRLF line endings", () => {
    expect(only("Triage:\r\n/sev 1\r\n/devops 2\r\n\r\n/close --force duplicate of #3\r\n")).toEqual([
      { name: "sev", severity: 1 },
      { name: "devops", devops: 2 },
      { name: "close-force", reason: "duplicate of #3" },
    ]);
  });

  test("lone CR line endings", () => {
    expect(only("/sev 1\r/devops 2")).toEqual([
      { name: "sev", severity: 1 },
      { name: "devops", devops: 2 },
    ]);
  });

  test("at most 20 commands and errors together are read", () => {
    const lines = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? "/sev 9" : `/sev ${(i % 5) + 1}`));
    const parsed = parseCommands(lines.join("\n"));
    expect(parsed.commands.length + parsed.errors.length).toBe(20);
    expect(parsed.commands.length).toBe(14);
    expect(parsed.errors.length).toBe(6);
  });

  test("several commands on one line run in order", () => {
    expect(only("/sev 2 /devops 3  /category core-bug")).toEqual([
      { name: "sev", severity: 2 },
      { name: "devops", devops: 3 },
      { name: "category", category: "core-bug" },
    ]);
  });

  test("a bad command on a shared line is reported alone; the others run", () => {
    expect(parseCommands("/sev 9 /devops 3")).toEqual({
      commands: [{ name: "devops", devops: 3 }],
      errors: [{ line: "/sev 9", message: SEV_ERROR }],
    });
  });

  test("/close --force keeps the rest of its line as the reason", () => {
    expect(only("/sev 2 /close --force dup of #3 /sev 1 was wrong")).toEqual([
      { name: "sev", severity: 2 },
      { name: "close-force", reason: "dup of #3 /sev 1 was wrong" },
    ]);
  });

  test("a slash word that is not a command stays an argument", () => {
    expect(parseCommands("/category core-bug/sev 2").errors).toHaveLength(1);
    expect(splitCommandLine("/sev 2 /unknown 3")).toEqual(["/sev 2 /unknown 3"]);
  });

  test("commands in list items run (the list marker is not part of the line)", () => {
    expect(only("- /sev 2\n- /devops 3")).toEqual([
      { name: "sev", severity: 2 },
      { name: "devops", devops: 3 },
    ]);
  });
});

describe("commands that must not run", () => {
  test.each<{ name: string; body: string }>([
    { name: "fenced code", body: "```\n/sev 1\n/close --force x\n```" },
    { name: "fenced code with an info string", body: "```sh\n/sev 1\n```" },
    { name: "tilde fence", body: "~~~\n/sev 1\n~~~" },
    { name: "an unclosed fence runs to the end", body: "```\n/sev 1\n\n\n/resolved" },
    { name: "indented code", body: "Example:\n\n    /sev 1\n    /resolved" },
    { name: "a fence inside a list item", body: "- try:\n  ```\n  /sev 1\n  ```" },
    { name: "inline code", body: "`/sev 1`" },
    { name: "a block quote", body: "> /sev 1" },
    { name: "a nested block quote", body: "> > /resolved" },
    { name: "a quote's lazy continuation line", body: "> someone wrote\n/sev 1" },
    { name: "a quote inside a list item", body: "- > /sev 1" },
    { name: "an HTML comment", body: "<!--\n/sev 1\n-->" },
    { name: "an HTML comment spanning blank lines", body: "<!--\n\n/sev 1\n\n-->" },
    { name: "a details block", body: "<details>\n/sev 1\n</details>" },
    { name: "a pipe table", body: "| command | effect |\n| --- | --- |\n| /sev 1 | set severity |" },
    { name: "a table without outer pipes", body: "/sev 1 | x\n--- | ---\n/resolved | y" },
    { name: "a table body row without pipes", body: "a | b\n--- | ---\n/resolved" },
    { name: "mid-sentence", body: "Please run /sev 1 when you know more." },
    { name: "after a word on the same line", body: "try: /resolved" },
    { name: "a heading", body: "# /sev 1" },
    { name: "a setext heading", body: "/sev 1\n======" },
    { name: "a setext heading (dashes)", body: "/resolved\n---" },
    { name: "a link", body: "[/sev 1](https://example.com)" },
    { name: "a task list item's text", body: "- [ ] /resolved" },
  ])("$name", ({ body }) => {
    expect(parseCommands(body)).toEqual({ commands: [], errors: [] });
  });

  test("a command right after a table still runs", () => {
    expect(only("a | b\n--- | ---\nc | d\n\n/sev 2")).toEqual([{ name: "sev", severity: 2 }]);
  });

  test("a command right after a fence still runs", () => {
    expect(only("```\n/sev 1\n```\n/sev 2")).toEqual([{ name: "sev", severity: 2 }]);
  });

  test("a paragraph line above a table still runs", () => {
    expect(only("/sev 2\n\na | b\n--- | ---\n/resolved | x")).toEqual([{ name: "sev", severity: 2 }]);
  });
});

describe("huge and hostile comments", () => {
  /**
   * Generous for a slow CI machine; before the bounds these took from seconds to minutes each.
   * Measured as this process's CPU time, not wall time, so that other processes on a loaded
   * machine (parallel test files, app processes) do not count.
   */
  const FAST_MS = 2_000;
  const timed = (body: string): { ms: number; parsed: ReturnType<typeof parseCommands> } => {
    const start = process.cpuUsage();
    const parsed = parseCommands(body);
    const used = process.cpuUsage(start);
    return { ms: (used.user + used.system) / 1000, parsed };
  };

  test("a comment longer than GitHub allows is read up to the limit", () => {
    const filler = "x".repeat(MAX_COMMENT_CHARS - 8);
    expect(only(`/sev 2\n\n${filler}\n\n/devops 3`)).toEqual([{ name: "sev", severity: 2 }]);
  });

  test("a long ordinary comment with a command at the end", () => {
    const prose = Array.from(
      { length: 600 },
      (_, i) =>
        `Line ${i} of the investigation notes, with *emphasis*, \`code\` and [a link](https://example.com/${i}).`,
    ).join("\n");
    const { ms, parsed } = timed(`${prose.slice(0, MAX_COMMENT_CHARS - 100)}\n\n/resolved`);
    expect(parsed.commands).toEqual([{ name: "resolved" }]);
    expect(ms).toBeLessThan(FAST_MS);
  });

  test("a comment without any command word is not parsed at all", () => {
    const { ms, parsed } = timed("- - a\n".repeat(20_000));
    expect(parsed).toEqual({ commands: [], errors: [] });
    expect(ms).toBeLessThan(100);
  });

  test.each<{ name: string; body: string }>([
    { name: "64 KB of emphasis delimiters", body: `/sev 2\n\n${"*_".repeat(32_000)}` },
    { name: "64 KB of link openers", body: `/sev 2\n\n${"[a](".repeat(16_000)}` },
    { name: "64 KB of table-like lines", body: `/sev 2\n\n${"a|b\n".repeat(16_000)}` },
    { name: "a 64 KB pipe table", body: `/sev 2\n\na|b\n-|-\n${"c|d\n".repeat(16_000)}` },
    { name: "64 KB of short lines", body: `/sev 2\n\n${"a\n".repeat(32_000)}` },
    { name: "64 KB of blank lines", body: `/sev 2${"\n".repeat(65_000)}` },
    { name: "64 KB of fences", body: `/sev 2\n\n${"```\n".repeat(16_000)}` },
  ])("$name: commands still read quickly", ({ body }) => {
    const { ms, parsed } = timed(body);
    expect(parsed).toEqual({ commands: [{ name: "sev", severity: 2 }], errors: [] });
    expect(ms).toBeLessThan(FAST_MS);
  });

  test.each<{ name: string; body: string }>([
    { name: "64 KB of `- - a` lines", body: `/sev 2\n${"- - a\n".repeat(11_000)}` },
    { name: "16,000 list items", body: `/sev 2\n${"- a\n".repeat(16_000)}` },
    { name: "13,000 ordered items", body: `/sev 2\n${"1. a\n".repeat(13_000)}` },
    { name: "16,000 quote lines", body: `/sev 2\n${"> a\n".repeat(16_000)}` },
    { name: "one line of 32,000 list markers", body: `/sev 2\n${"- ".repeat(32_000)}` },
    { name: "one line of 32,000 quote markers", body: `/sev 2\n${"> ".repeat(32_000)}` },
    {
      name: "an indentation ladder",
      body: `/sev 2\n${Array.from({ length: 250 }, (_, i) => `${" ".repeat(i * 2)}- a`).join("\n")}`,
    },
    {
      name: "a deep list followed by 30,000 lazy lines",
      body: `/sev 2\n${"- ".repeat(100)}a\n${"b\n".repeat(30_000)}`,
    },
    { name: "one list item followed by 30,000 lazy lines", body: `/sev 2\n- a\n${"b\n".repeat(30_000)}` },
  ])("$name: refused quickly with one error", ({ body }) => {
    const { ms, parsed } = timed(body);
    expect(parsed.commands).toEqual([]);
    expect(parsed.errors).toEqual([{ line: "/sev 2", message: expect.stringContaining("too deeply") }]);
    expect(ms).toBeLessThan(FAST_MS);
  });

  test("a realistic comment with lists and quotes is not refused", () => {
    const body = [
      "> @alice wrote: is it the cache?",
      "",
      "Findings:",
      ...Array.from({ length: 40 }, (_, i) => `- host-${i}\n  - cpu ok\n  - disk ok`),
      "1. drained the pool",
      "2. restarted",
      "",
      "/sev 2",
      "/devops 3",
    ].join("\n");
    expect(only(body)).toEqual([
      { name: "sev", severity: 2 },
      { name: "devops", devops: 3 },
    ]);
  });
});

describe("newInEdit: what an edit adds (issue #10 item 5)", () => {
  const cases: Array<{ before: string; after: string; names: string[]; errors: number }> = [
    { before: "/sev 2", after: "/sev 2\n/devops 3", names: ["devops"], errors: 0 },
    { before: "/sev 2", after: "Now with words.\n\n/sev 2", names: [], errors: 0 },
    { before: "/sev 2", after: "/sev 3", names: ["sev"], errors: 0 },
    { before: "/sev1", after: "/sev 1", names: ["sev"], errors: 0 },
    { before: "/sev 2", after: "/sev 2\n/sev 2", names: ["sev"], errors: 0 },
    { before: "hello", after: "hello\n/sev 9", names: [], errors: 1 },
    { before: "/sev 9", after: "/sev 9 ", names: [], errors: 0 },
  ];
  it.each(cases)("$before -> $after", ({ before, after, names, errors }) => {
    const added = newInEdit(before, after);
    expect(added.commands.map((c) => c.name)).toEqual(names);
    expect(added.errors).toHaveLength(errors);
  });
});

describe("/action done (issue #10 item 9)", () => {
  const cases: Array<{ line: string; expected: Command[]; errors: number }> = [
    { line: "/action done other/secret#4", expected: [{ name: "action-done", ref: "other/secret#4" }], errors: 0 },
    { line: "/action done #12", expected: [{ name: "action-done", ref: "#12" }], errors: 0 },
    { line: "/action done Acme/API#3", expected: [{ name: "action-done", ref: "acme/api#3" }], errors: 0 },
    { line: "/action done", expected: [], errors: 1 },
    { line: "/action finish #3", expected: [], errors: 1 },
  ];
  it.each(cases)("$line", ({ line, expected, errors }) => {
    const parsed = parseCommands(line);
    expect(parsed.commands).toEqual(expected);
    expect(parsed.errors).toHaveLength(errors);
  });
});
