/**
 * The write-up corpus (test/fixtures/writeup-corpus): 48 write-ups in the styles of the public
 * postmortem templates, each with the reading a careful person gives it (expected.yml), and the
 * agreement of the app's analysis with that reading. Four judgements per write-up: the state of
 * each of the three sections (filled / unfilled / missing) and the set of action references.
 */
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { analyzeWriteup } from "../../src/core/action-items.js";
import { refKey } from "../../src/core/writeup.js";
import type { SectionRule } from "../../src/core/sections.js";

export const CORPUS_DIR = new URL("../fixtures/writeup-corpus/", import.meta.url);
export const CORPUS_REPO = { owner: "acme", repo: "web" };

type Judged = "filled" | "unfilled" | "missing";
export interface CorpusReading {
  timeline: Judged;
  rca: Judged;
  actions: Judged;
  refs: string[];
}

export interface Disagreement {
  file: string;
  judgement: "timeline" | "rca" | "actions" | "refs";
  expected: string;
  actual: string;
}

export interface Agreement {
  documents: number;
  judgements: number;
  agreed: number;
  ratio: number;
  disagreements: Disagreement[];
}

export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith(".md"))
    .sort();
}

export function corpusExpected(): Record<string, CorpusReading> {
  return parse(readFileSync(new URL("expected.yml", CORPUS_DIR), "utf8")) as Record<string, CorpusReading>;
}

export function readCorpusFile(name: string): string {
  return readFileSync(new URL(name, CORPUS_DIR), "utf8");
}

/** How the app reads one write-up, in the corpus's terms. */
export function readingOf(body: string, rules?: readonly SectionRule[]): CorpusReading {
  const { sections, actions } = analyzeWriteup(body, rules ? { rules } : {});
  const judged = (key: "timeline" | "rca" | "actions"): Judged =>
    sections[key].state === "missing" ? "missing" : sections[key].filled ? "filled" : "unfilled";
  const refs = [...new Set(actions.flatMap((item) => item.refs.map((ref) => refKey(ref, CORPUS_REPO))))].sort();
  return { timeline: judged("timeline"), rca: judged("rca"), actions: judged("actions"), refs };
}

/** Agreement of the app's reading with the expected one over the whole corpus. */
export function measureAgreement(rules?: readonly SectionRule[]): Agreement {
  const expected = corpusExpected();
  const disagreements: Disagreement[] = [];
  let judgements = 0;
  for (const file of corpusFiles()) {
    const want = expected[file];
    if (!want) throw new Error(`${file} has no entry in expected.yml`);
    const got = readingOf(readCorpusFile(file), rules);
    for (const key of ["timeline", "rca", "actions"] as const) {
      judgements += 1;
      if (got[key] !== want[key]) disagreements.push({ file, judgement: key, expected: want[key], actual: got[key] });
    }
    judgements += 1;
    const wantRefs = [...want.refs]
      .map((ref) => ref.toLowerCase())
      .sort()
      .join(" ");
    if (got.refs.join(" ") !== wantRefs)
      disagreements.push({ file, judgement: "refs", expected: wantRefs, actual: got.refs.join(" ") });
  }
  const agreed = judgements - disagreements.length;
  return { documents: corpusFiles().length, judgements, agreed, ratio: agreed / judgements, disagreements };
}
