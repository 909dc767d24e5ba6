import { describe, expect, test } from "@jest/globals";
import { render } from "../../src/render/templates.js";

const view = (actionsTotal: number, closeWhenDone: boolean) => ({
  marker: "<!-- m -->",
  closeWhenDone,
  actionsTotal,
  noActions: actionsTotal === 0,
  oneAction: actionsTotal === 1,
  manyActions: actionsTotal > 1,
});

describe("the completion comment counts its actions in plain English", () => {
  test.each([
    [0, false, "The write-up is filled in and no follow-up actions are listed. This incident can be closed."],
    [1, false, "The write-up is filled in and its follow-up action is done. This incident can be closed."],
    [3, true, "The write-up is filled in and all 3 follow-up actions are done. Closing the incident."],
  ])("%i action(s), close_when_done %s", (total, close, sentence) => {
    expect(render("writeup-complete", view(total, close))).toBe(`<!-- m -->\n### ✅ Incident complete\n\n${sentence}`);
  });
});
