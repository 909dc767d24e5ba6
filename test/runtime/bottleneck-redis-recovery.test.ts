import { describe, expect, it } from "@jest/globals";
import Bottleneck from "bottleneck";
import { recoverBottleneckAfterRedisDataLoss } from "../../src/runtime/bottleneck-redis-recovery.js";

type Callback = (error: unknown, replies: unknown) => void;
interface ScriptConnection {
  __scriptFn__: (this: unknown, name: string) => (...args: unknown[]) => unknown;
}

/** What Bottleneck's callback sees when the Redis script answers `message`. */
function errorSeen(message: string): string | undefined {
  recoverBottleneckAfterRedisDataLoss();
  const client = {
    init: (...args: unknown[]) => {
      (args.at(-1) as Callback)(new Error(message), null);
      return Promise.resolve();
    },
  };
  const prototype = Bottleneck.IORedisConnection.prototype as unknown as ScriptConnection;
  let seen: string | undefined;
  void prototype.__scriptFn__.call({ client }, "init")("key", (error: unknown) => {
    seen = error instanceof Error ? error.message : undefined;
  });
  return seen;
}

describe("Bottleneck's recovery after Redis lost its data (Redis 7 error replies)", () => {
  it.each([
    ["ERR SETTINGS_KEY_NOT_FOUND", "SETTINGS_KEY_NOT_FOUND"],
    ["ERR UNKNOWN_CLIENT", "UNKNOWN_CLIENT"],
    ["SETTINGS_KEY_NOT_FOUND", "SETTINGS_KEY_NOT_FOUND"],
    ["ERR something else", "ERR something else"],
  ])("%s reaches Bottleneck as %s", (answered, seen) => {
    expect(errorSeen(answered)).toBe(seen);
  });
});
