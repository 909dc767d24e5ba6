/**
 * `incident-keeper <command> [args]`: dispatches to one module per subcommand. Commands load lazily,
 * so `lint` never pulls in Probot. Side-effect free: `bin/incident-keeper.js` calls {@link main}.
 */
import { readFile } from "node:fs/promises";
import type { LintIo } from "./lint.js";

/** What commands get from the process; tests pass fakes. Extend here when a command needs more. */
export interface CliIo extends LintIo {
  env: Record<string, string | undefined>;
}

/** A subcommand: its arguments (after the command name) to an exit code. */
export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;

interface CommandEntry {
  summary: string;
  load: () => Promise<CliCommand>;
}

/** Every subcommand; adding one is one line. */
export const COMMANDS: Record<string, CommandEntry> = {
  lint: {
    summary: "check an incident write-up's sections and action items",
    load: async () => (await import("./lint.js")).runLint,
  },
  report: {
    summary: "incident metrics over a date range as Markdown with SVG charts, JSON or CSV (env as sweep)",
    load: async () => {
      const { runReport } = await import("./report.js");
      return (argv, io) => runReport(argv, io.env, io);
    },
  },
  sweep: {
    summary: "one reminder pass over every installation, then exit (env: APP_ID, PRIVATE_KEY, GHE_HOST...)",
    load: async () => {
      const { runSweep } = await import("./sweep.js");
      return (_argv, io) => runSweep(io.env, io);
    },
  },
};

/** The top-level help: every command with its one-line summary. */
export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const list = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return (
    `usage: incident-keeper <command> [options]\n\ncommands:\n${list.join("\n")}\n\n` +
    "Run incident-keeper <command> --help for a command's options.\n"
  );
}

/** Runs the command named by `argv[0]`; resolves to the process exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "-h" || name === "--help" || name === "help") {
    io.stdout(usage());
    return 0;
  }
  const entry = name === undefined ? undefined : Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.stderr(
      `${name === undefined ? "incident-keeper: missing command" : `incident-keeper: unknown command "${name}"`}` +
        `\n\n${usage()}`,
    );
    return 2;
  }
  const command = await entry.load();
  return command(rest, io);
}

/** The real process's files and streams. */
export function processIo(): CliIo {
  return {
    env: process.env,
    readFile: (path) => readFile(path, "utf8"),
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin)
        chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(chunks).toString("utf8");
    },
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  };
}
