import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { LINT_USAGE, runLint } from "../../src/cli/lint.js";
import { main, type CliIo } from "../../src/cli/main.js";

const fixturePath = (name: string): string => `test/fixtures/writeups/${name}`;

/** Files come from the fixtures directory (or `files`), output is captured. */
function fakeIo(
  options: { files?: Record<string, string>; stdin?: string } = {},
): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    env: {},
    readFile: (path) => {
      const inline = options.files?.[path];
      if (inline !== undefined) return Promise.resolve(inline);
      if (!path.startsWith("test/fixtures/")) {
        return Promise.reject(
          Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" }),
        );
      }
      return Promise.resolve(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"));
    },
    stdin: () => Promise.resolve(options.stdin ?? ""),
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    out: () => out,
    err: () => err,
  };
}

describe("lint --json", () => {
  it("prints the stable document for a complete write-up, bare refs in --repo", async () => {
    const io = fakeIo();
    const code = await runLint([fixturePath("issue-form.md"), "--repo", "acme/platform", "--json"], io);
    expect(io.out()).toBe(
      `${JSON.stringify(
        {
          sections: {
            timeline: { present: true, filled: true, heading: "Timeline" },
            rca: { present: true, filled: true, heading: "RCA" },
            actions: { present: true, filled: true, heading: "Actions" },
          },
          actions: [
            {
              text: "Add a CI check that pool size * replicas <= max_connections #512",
              ref: "acme/platform#512",
              done: false,
            },
            { text: "Roll back the pool size (acme/platform#483)", ref: "acme/platform#483", done: true },
            { text: "Document the database connection budget in the runbook", ref: null, done: false },
          ],
          ok: true,
        },
        null,
        2,
      )}\n`,
    );
    expect(code).toBe(0);
    expect(io.err()).toBe("");
  });

  it("keeps bare refs as #N without --repo and normalises URLs", async () => {
    const io = fakeIo();
    await runLint(["--json", fixturePath("code-blocks.md")], io);
    const refs = (JSON.parse(io.out()) as { actions: { ref: string | null }[] }).actions.map((action) => action.ref);
    expect(refs).toEqual([null, null, "#2147483647", "#18"]);

    const tableIo = fakeIo();
    await runLint(["--json", "--repo", "acme/other", fixturePath("table-actions.md")], tableIo);
    const table = JSON.parse(tableIo.out()) as { actions: { ref: string; done: boolean }[] };
    expect(table.actions).toEqual([
      {
        text: "1 | Stagger ingress restarts | @carol | https://github.com/acme/infra/issues/204",
        ref: "acme/infra#204",
        done: false,
      },
      { text: "2 | Alert on expiring certificates | @dave | acme/infra#205", ref: "acme/infra#205", done: false },
      { text: "3 | Review rotation schedule | @erin | PR", ref: "sre/certs#9", done: false },
    ]);
  });

  it.each([
    ["issue-form-unfilled.md", { present: true, filled: false, heading: "RCA" }],
    ["empty-sections.md", { present: false, filled: false, heading: null }],
    ["placeholders.md", { present: true, filled: false, heading: "RCA" }],
  ])("exits 1 for %s", async (name, rca) => {
    const io = fakeIo();
    expect(await runLint([fixturePath(name), "--json"], io)).toBe(1);
    const document = JSON.parse(io.out()) as { sections: { rca: unknown }; ok: boolean };
    expect(document.sections.rca).toEqual(rca);
    expect(document.ok).toBe(false);
  });

  it("keeps the key order of the documented shape", async () => {
    const io = fakeIo();
    await runLint([fixturePath("crlf.md"), "--json"], io);
    const document = JSON.parse(io.out()) as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(document)).toEqual(["sections", "actions", "ok"]);
    expect(Object.keys(document.sections!)).toEqual(["timeline", "rca", "actions"]);
    expect(Object.keys(document.sections!.timeline!)).toEqual(["present", "filled", "heading"]);
    expect(Object.keys((document.actions as unknown as object[])[0]!)).toEqual(["text", "ref", "done"]);
  });
});

describe("lint report", () => {
  it("shows each section and each action item", async () => {
    const io = fakeIo();
    expect(await runLint([fixturePath("bold-pseudo-headings.md")], io)).toBe(0);
    expect(io.out()).toBe(
      [
        "test/fixtures/writeups/bold-pseudo-headings.md",
        "sections:",
        '  ✓ Timeline filled       "Timeline"',
        '  ✓ RCA      filled       "Root cause:"',
        '  ✓ Actions  filled       "Actions"',
        "action items: 3",
        "  [ ] #91              Restore cache eviction (#91)  (line 12)",
        "  [x] (no ref)         Clean up the volume by hand  (line 13)",
        "  [ ] infra/monitoring#14 Alert on disk usage above 80% infra/monitoring#14  (line 14)",
        "ok: the write-up is complete",
        "",
      ].join("\n"),
    );
  });

  it("says what is missing", async () => {
    const io = fakeIo();
    expect(await runLint([fixturePath("empty-sections.md"), "--repo", "acme/platform"], io)).toBe(1);
    expect(io.out()).toContain('  ✗ Timeline empty        "Timeline"\n  ✗ RCA      missing\n');
    expect(io.out()).toContain("action items: 0\nnot ok: Timeline empty, RCA missing, Actions empty\n");
  });

  it("reads standard input for -", async () => {
    const io = fakeIo({ stdin: "## Timeline\n\nx\n\n## RCA\n\ny\n\n## Actions\n\n- [x] #7\n" });
    expect(await runLint(["-", "--json", "--repo", "o/r"], io)).toBe(0);
    expect((JSON.parse(io.out()) as { actions: unknown[] }).actions).toEqual([
      { text: "#7", ref: "o/r#7", done: true },
    ]);
  });

  it("notes a body too complex to analyse and fails", async () => {
    const io = fakeIo({ files: { "big.md": `## Timeline\n\n${"*a".repeat(20_000)}\n` } });
    expect(await runLint(["big.md"], io)).toBe(1);
    expect(io.err()).toMatch(
      /^incident-keeper lint: big\.md: not analysed, the paragraph at line 3 has more than 2000 emphasis markers/,
    );
  });
});

describe("lint usage errors exit 2", () => {
  it.each([
    [[], "missing FILE.md"],
    [["a.md", "b.md"], "unexpected argument: b.md"],
    [["--jsn", "a.md"], "Unknown option '--jsn'"],
    [["a.md", "--repo"], "Option '--repo <value>' argument missing"],
    [["a.md", "--repo", "not-a-repo"], '--repo must look like owner/name, got "not-a-repo"'],
    [["a.md", "--repo", "a/b/c"], '--repo must look like owner/name, got "a/b/c"'],
  ])("%j", async (argv, message) => {
    const io = fakeIo();
    expect(await runLint(argv, io)).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.err()).toContain(LINT_USAGE);
    expect(io.out()).toBe("");
  });

  it("for an unreadable file, with the reason", async () => {
    const io = fakeIo();
    expect(await runLint(["missing.md"], io)).toBe(2);
    expect(io.err()).toBe(
      "incident-keeper lint: cannot read missing.md: ENOENT: no such file or directory, open 'missing.md'\n",
    );
  });

  it("--help prints the usage and exits 0", async () => {
    const io = fakeIo();
    expect(await runLint(["--help"], io)).toBe(0);
    expect(io.out()).toBe(LINT_USAGE);
  });
});

describe("the incident-keeper dispatcher", () => {
  it("runs lint with the arguments after the command", async () => {
    const io = fakeIo();
    expect(await main(["lint", fixturePath("issue-form-unfilled.md"), "--json"], io)).toBe(1);
    expect((JSON.parse(io.out()) as { ok: boolean }).ok).toBe(false);
  });

  it.each([[[]], [["nope"]], [["constructor"]]])("exits 2 for %j with the command list", async (argv) => {
    const io = fakeIo();
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toMatch(/incident-keeper: (missing|unknown) command/);
    expect(io.err()).toMatch(/^ {2}lint +check an incident write-up/m);
    expect(io.err()).toMatch(/^ {2}sweep +one reminder pass/m);
  });

  it("--help lists the commands", async () => {
    const io = fakeIo();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.out()).toMatch(/commands:\n {2}lint +check/);
  });
});
