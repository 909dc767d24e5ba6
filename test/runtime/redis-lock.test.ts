import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { setTimeout as sleep } from "node:timers/promises";
import { RedisIncidentLock } from "../../src/runtime/redis-lock.js";
import { redisUnavailable, startRedis, type RedisServer } from "../support/redis.js";

const skipReason = redisUnavailable();
if (skipReason) console.warn(skipReason);
const describeWithRedis = skipReason ? describe.skip : describe;

describeWithRedis("the Redis incident lock (two 'processes')", () => {
  let redis: RedisServer;
  let a: RedisIncidentLock;
  let b: RedisIncidentLock;
  beforeAll(async () => {
    redis = await startRedis();
    a = RedisIncidentLock.fromUrl(redis.url);
    b = RedisIncidentLock.fromUrl(redis.url);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it("never lets two holders work on the same incident at once (40 interleaved tasks)", async () => {
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    const task = (lock: RedisIncidentLock, i: number) =>
      lock.run("1:acme/api#7", async () => {
        inside += 1;
        maxInside = Math.max(maxInside, inside);
        await sleep(2);
        order.push(i);
        inside -= 1;
      });
    await Promise.all(Array.from({ length: 40 }, (_, i) => task(i % 2 === 0 ? a : b, i)));
    expect(maxInside).toBe(1);
    expect(order.sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it("lets different incidents proceed in parallel", async () => {
    let inside = 0;
    let maxInside = 0;
    const task = (lock: RedisIncidentLock, key: string) =>
      lock.run(key, async () => {
        inside += 1;
        maxInside = Math.max(maxInside, inside);
        await sleep(50);
        inside -= 1;
      });
    await Promise.all([task(a, "1:acme/api#1"), task(b, "1:acme/api#2")]);
    expect(maxInside).toBe(2);
  });

  it("releases the lease when the work throws", async () => {
    await expect(a.run("1:acme/api#9", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(b.run("1:acme/api#9", () => Promise.resolve("next"))).resolves.toBe("next");
  });

  it("works without the lease after the wait limit rather than dropping the event", async () => {
    const stuck = new RedisIncidentLock((a as unknown as { redis: never }).redis, { waitMs: 100 });
    const contention: string[] = [];
    const impatient = RedisIncidentLock.fromUrl(redis.url, {
      waitMs: 100,
      onContention: (key) => contention.push(key),
    });
    let release!: () => void;
    const holding = stuck.run("1:acme/api#10", () => new Promise<void>((r) => (release = r)));
    await sleep(20);
    await expect(impatient.run("1:acme/api#10", () => Promise.resolve("done anyway"))).resolves.toBe("done anyway");
    expect(contention).toEqual(["1:acme/api#10"]);
    release();
    await holding;
    await impatient.close();
  });
});
