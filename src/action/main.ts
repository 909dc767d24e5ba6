/**
 * Entry of the GitHub Action (see action.yml). `command: run` (the default) runs the app once for the
 * workflow's event; `command: lint` lints write-up files without the app (Probot is never loaded).
 */
const command = (process.env.INPUT_COMMAND ?? "").trim() || "run";

async function start(): Promise<number> {
  if (command === "lint") return (await import("./lint-action.js")).runLintAction(process.env);
  if (command === "run") return (await import("./run-action.js")).runAction(process.env);
  process.stderr.write(`incident-keeper action: unknown command "${command}" (expected run or lint)\n`);
  return 2;
}

start().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`incident-keeper action failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
