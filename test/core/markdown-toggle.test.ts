import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import type { Root } from "mdast";
import { extractActionItems, type IssueRef } from "../../src/core/action-items.js";
import { parseMarkdown, rememberToggledChecks } from "../../src/core/markdown.js";
import { setChecksForRefs, setTaskChecked } from "../../src/core/task-list.js";

/** A parse that never sees the cache: what parseMarkdown must return for `body` (no BOM here). */
const freshParse = (body: string): Root =>
  fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });

const fixtures = readdirSync(new URL("../fixtures/writeups/", import.meta.url))
  .filter((name) => name.endsWith(".md") && !name.startsWith("large"))
  .map((name) => [name, readFileSync(new URL(`../fixtures/writeups/${name}`, import.meta.url), "utf8")] as const);

/** Every checkbox of the Actions section flipped, one by one and all at once, through setChecksForRefs. */
function flips(body: string): { ref: IssueRef; checked: boolean }[][] {
  const boxes = extractActionItems(body).filter((item) => item.checkboxOffset !== null && item.ref !== null);
  const each = boxes.map((item) => [{ ref: item.ref!, checked: item.checkbox !== "checked" }]);
  return boxes.length > 1 ? [...each, each.flat()] : each;
}

describe("the ticked body's tree follows from the tree already parsed", () => {
  const withBoxes = fixtures.filter(([, body]) => flips(body).length > 0);

  it("has fixtures with checkboxes to tick", () => {
    expect(withBoxes.length).toBeGreaterThan(0);
  });

  it.each(withBoxes)("%s: the derived tree equals a fresh parse of the ticked body", (_name, body) => {
    for (const changes of flips(body)) {
      const before = structuredClone(parseMarkdown(body));
      const ticked = setChecksForRefs(body, { changes, context: { owner: "acme", repo: "api" } });
      expect(ticked.changed).toBeGreaterThan(0);
      expect(parseMarkdown(ticked.body)).toEqual(freshParse(ticked.body));
      // The tree of the body before is not touched (the cache shares trees, never mutates them).
      expect(parseMarkdown(body)).toEqual(before);
      expect(parseMarkdown(body)).toEqual(freshParse(body));
    }
  });

  it("holds for generated task lists (ticked and unticked, nested, quoted, with definitions)", () => {
    const line = fc.record({
      indent: fc.constantFrom("", "  ", "   "),
      quote: fc.constantFrom("", "> "),
      marker: fc.constantFrom("-", "*", "+", "1.", "2)"),
      box: fc.constantFrom(" ", "x", "X", "\t"),
      text: fc.constantFrom("#12 fix", "acme/api#7", "[x] see #3", "*#4* done", "[x]", "https://x.io #5", "`#6`"),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.nat(), (lines, definition, pick) => {
        const items = lines.map((l) => `${l.quote}${l.indent}${l.marker} [${l.box}] ${l.text}`);
        const body = `## Actions\n\n${items.join("\n")}\n${definition ? "\n[x]: https://github.com/acme/api/issues/9\n" : ""}`;
        const boxes = extractActionItems(body).filter((item) => item.checkboxOffset !== null);
        fc.pre(boxes.length > 0);
        const item = boxes[pick % boxes.length]!;
        const checked = item.checkbox !== "checked";
        const after = setTaskChecked(body, { checkboxOffset: item.checkboxOffset! }, checked);
        rememberToggledChecks(body, after, new Map([[item.checkboxOffset!, checked]]));
        expect(parseMarkdown(after)).toEqual(freshParse(after));
      }),
      { numRuns: 200, seed: 12 },
    );
  });
});

describe("rememberToggledChecks remembers nothing it cannot prove", () => {
  const body = "## Actions\n\n- [ ] #1 one\n- [ ] #2 two\n";
  const first = body.indexOf("[ ]") + 1;
  const second = body.lastIndexOf("[ ]") + 1;
  const tick = (text: string, offset: number): string => `${text.slice(0, offset)}x${text.slice(offset + 1)}`;

  const cases: [string, () => string, Map<number, boolean>][] = [
    // Another byte changed too: the tree of the body before says nothing about it.
    ["a change beside the checkbox", () => tick(body, first).replace("one", "onf"), new Map([[first, true]])],
    // The toggles name the wrong checkbox: the derived tree would tick the wrong item.
    ["toggles keyed by the wrong offset", () => tick(body, first), new Map([[second, true]])],
    // A checkbox changed but the toggles do not say so.
    ["an unlisted checkbox", () => tick(tick(body, first), second), new Map([[first, true]])],
    // Said ticked, written unticked.
    ["the wrong state", () => tick(body, first), new Map([[first, false]])],
    // An offset that is no checkbox of the tree.
    ["an offset outside any checkbox", () => tick(body, 3), new Map([[3, true]])],
  ];
  it.each(cases)("%s: the next parse is GitHub's tree of the text", (_name, after, toggles) => {
    parseMarkdown(body);
    const text = after();
    rememberToggledChecks(body, text, toggles);
    expect(parseMarkdown(text)).toEqual(freshParse(text));
  });

  it("a body never parsed is not derived from", () => {
    const unseen = "## Actions\n\n- [ ] #8 eight unseen\n";
    const offset = unseen.indexOf("[ ]") + 1;
    rememberToggledChecks(unseen, tick(unseen, offset), new Map([[offset, true]]));
    expect(parseMarkdown(tick(unseen, offset))).toEqual(freshParse(tick(unseen, offset)));
  });
});
