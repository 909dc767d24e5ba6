/**
 * Nock for tests that count API calls. Registers the file's hooks: no real network; after each test
 * every declared interceptor must have been used and no request may have gone unmatched. `logged`
 * records each matched request of a scope as `METHOD /path` in `requests` (emptied before each test).
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "@jest/globals";
import nock from "nock";

export interface StrictNock {
  /** `METHOD /path` of every request matched by a logged scope, in order (this test's only). */
  requests: string[];
  /** Logs every request the scope matches; returns the scope. */
  logged(scope: nock.Scope): nock.Scope;
}

export function useStrictNock(): StrictNock {
  const requests: string[] = [];
  const unmatched: string[] = [];
  const onNoMatch = (req: { method?: string; url?: string; path?: string }): void => {
    unmatched.push(`${req.method ?? "?"} ${req.url ?? req.path ?? "?"}`);
  };
  beforeAll(() => {
    nock.disableNetConnect();
    nock.emitter.on("no match", onNoMatch);
  });
  afterAll(() => {
    nock.emitter.removeListener("no match", onNoMatch);
  });
  beforeEach(() => {
    requests.length = 0;
    unmatched.length = 0;
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
    expect(unmatched).toEqual([]);
  });
  return {
    requests,
    logged: (scope) =>
      scope.on("request", (req: Request) => requests.push(`${req.method} ${new URL(req.url).pathname}`)),
  };
}
