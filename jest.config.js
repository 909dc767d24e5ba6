/** Jest runs the TypeScript sources through SWC as native ESM (see ../shared/STACK-NOTES.md). */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "es6" } },
    ],
  },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  setupFiles: ["<rootDir>/test/support/jest-setup.ts"],
  // One line in the run's output when redis-server is missing and the Redis tests skip.
  globalSetup: "<rootDir>/test/support/redis-notice.mjs",
  testTimeout: 30000,
  // End-to-end files mostly wait on the app process (Probot paces its writes): run more files than cores.
  maxWorkers: 3,
};
