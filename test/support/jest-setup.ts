// Probot reads these at construction; tests must never talk to a real GitHub.
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? "fatal";
