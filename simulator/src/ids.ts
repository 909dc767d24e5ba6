import { createHash } from "node:crypto";

/** Hands out increasing ids; each kind of object starts in its own range, like GitHub's. */
export class IdSequence {
  #next: number;

  constructor(start: number) {
    this.#next = start;
  }

  /** The next id. */
  take(): number {
    return this.#next++;
  }
}

/** A node id in GitHub's legacy global-id format (base64 of "<len>:<Type><id>"). */
export function nodeId(type: string, id: number): string {
  const inner = `${type}${id}`;
  return Buffer.from(`0${inner.length}:${inner}`).toString("base64");
}

/** A deterministic 40-hex sha for a fake commit. */
export function fakeSha(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}

/** The git blob sha of a file's text, as GitHub reports it in the contents API. */
export function blobSha(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
