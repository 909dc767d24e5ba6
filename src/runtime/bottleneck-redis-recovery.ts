/**
 * Probot's cluster-wide throttling (REDIS_URL) keeps Bottleneck's limiter settings in Redis. A Redis
 * restarted without its data has lost them; Bottleneck 2.19.5 (its last release, 2019) is meant to
 * recover (its scripts answer `SETTINGS_KEY_NOT_FOUND` / `UNKNOWN_CLIENT`, and it then re-initialises
 * and retries), but it compares the message exactly, while Redis 7 prefixes Lua error replies with
 * `ERR `. Unpatched, every API call of the app then fails until the process restarts (measured in
 * test/reliability/redis-restart.test.ts). This strips the prefix of those two replies only, at the
 * one place Bottleneck's Redis scripts are called (`IORedisConnection.__scriptFn__`), so Bottleneck's
 * own recovery runs.
 */
import Bottleneck from "bottleneck";

const RECOVERABLE = /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/;

type ScriptFn = (...args: unknown[]) => Promise<unknown>;
interface ScriptConnection {
  __scriptFn__: (this: ScriptConnection, name: string) => ScriptFn;
}

let installed = false;

/** Installs the fix (once per process; a no-op afterwards). */
export function recoverBottleneckAfterRedisDataLoss(): void {
  if (installed) return;
  const prototype = Bottleneck.IORedisConnection.prototype as unknown as ScriptConnection;
  const original = prototype.__scriptFn__;
  if (typeof original !== "function") return; // another Bottleneck: nothing to fix
  installed = true;
  prototype.__scriptFn__ = function (this: ScriptConnection, name: string): ScriptFn {
    const script = original.call(this, name);
    // Bottleneck passes a node-style callback as the last argument and reads the error there.
    return (...args) => {
      const callback = args.at(-1);
      if (typeof callback === "function")
        args[args.length - 1] = (error: unknown, replies: unknown): unknown => {
          const match = error instanceof Error ? RECOVERABLE.exec(error.message) : null;
          if (match?.[1] && error instanceof Error) error.message = match[1];
          return (callback as (error: unknown, replies: unknown) => unknown)(error, replies);
        };
      return script(...args);
    };
  };
}
