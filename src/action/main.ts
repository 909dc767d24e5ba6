/** Entry of the GitHub Action (see action.yml): runs the app once for the workflow's event. */
import { runAction } from "./run-action.js";

runAction(process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`incident-keeper action failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
