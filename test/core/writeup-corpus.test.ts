import { describe, expect, it } from "@jest/globals";
import { corpusExpected, corpusFiles, measureAgreement } from "../support/writeup-corpus.js";

describe("agreement with a careful reader on the write-up corpus", () => {
  it("has at least 40 write-ups, each with an expected reading", () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(Object.keys(corpusExpected()).sort()).toEqual(files);
  });

  it("agrees on at least 98% of the judgements", () => {
    const agreement = measureAgreement();
    // Printed so that a regression shows which write-up and which judgement moved.
    const report = agreement.disagreements.map(
      (d) => `${d.file} ${d.judgement}: expected ${d.expected || "(none)"}, got ${d.actual || "(none)"}`,
    );
    expect({ ratio: agreement.ratio >= 0.98, report }).toEqual({ ratio: true, report: expect.any(Array) });
    expect(agreement.agreed / agreement.judgements).toBeGreaterThanOrEqual(0.98);
  });
});
