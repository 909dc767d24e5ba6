/**
 * app.yml is what Probot's setup flow posts to GitHub: it must parse with the parser Probot uses, and
 * declare exactly the permissions and events of src/github/app-manifest.ts, whose events are in turn
 * exactly those the handlers register.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Probot } from "probot";
import { createApp } from "../../src/index.js";
import { APP_EVENTS, APP_PERMISSIONS } from "../../src/github/app-manifest.js";
import { KeyedLock } from "../../src/runtime/keyed-lock.js";
import { fixedClock } from "../../src/clock.js";
import { testPrivateKey } from "../support/probot.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
// The `yaml` module as Probot itself resolves it (lib/manifest-creation.js: `yaml.parse(file)`).
const probotRequire = createRequire(`${root}node_modules/probot/lib/manifest-creation.js`);
const probotYaml = probotRequire("yaml") as { parse: (text: string) => unknown };

interface Manifest {
  name: string;
  description: string;
  public: boolean;
  default_events: string[];
  default_permissions: Record<string, string>;
}

function appYml(): Manifest {
  return probotYaml.parse(readFileSync(`${root}app.yml`, "utf8")) as Manifest;
}

/** Every webhook event name the app registers a handler for, as `app.on` receives it. */
async function registeredEvents(): Promise<string[]> {
  const probot = new Probot({ appId: 1, privateKey: testPrivateKey(), logLevel: "fatal" });
  const names: string[] = [];
  const on = probot.on.bind(probot);
  probot.on = ((name: string | string[], handler: never) => {
    names.push(...[name].flat());
    return on(name as never, handler);
  }) as typeof probot.on;
  await probot.load(
    createApp({ clock: fixedClock("2026-12-01T00:00:00Z"), lock: new KeyedLock(), sweepIntervalMinutes: 0 }),
  );
  return names;
}

describe("app.yml", () => {
  it("parses with Probot's own YAML parser", () => {
    expect(() => appYml()).not.toThrow();
    const manifest = appYml();
    expect(manifest.name).toBe("incident-keeper");
    expect(manifest.description).toMatch(/^Runs your incident-response process inside GitHub issues: classification/);
    expect(manifest.public).toBe(false);
  });

  it("declares exactly the permissions of the typed table", () => {
    const wanted = Object.fromEntries(Object.entries(APP_PERMISSIONS).map(([name, need]) => [name, need.access]));
    expect(appYml().default_permissions).toEqual(wanted);
  });

  it("declares exactly the events of the typed table", () => {
    expect([...appYml().default_events].sort()).toEqual(Object.keys(APP_EVENTS).sort());
  });

  it("gives every permission and event a comment saying why", () => {
    const lines = readFileSync(`${root}app.yml`, "utf8").split("\n");
    const keys = [
      ...Object.keys(APP_PERMISSIONS).map((name) => `  ${name}:`),
      ...Object.keys(APP_EVENTS).map((name) => `  - ${name}`),
    ];
    for (const key of keys) {
      const index = lines.findIndex((line) => line.startsWith(key));
      expect({ key, found: index > 0 }).toEqual({ key, found: true });
      expect({ key, comment: lines[index - 1]?.trim().startsWith("#") }).toEqual({ key, comment: true });
    }
  });

  it("subscribes to exactly the events the handlers register", async () => {
    const events = new Set((await registeredEvents()).map((name) => name.split(".")[0]));
    expect([...events].sort()).toEqual(Object.keys(APP_EVENTS).sort());
  });
});
