/** The baseline of the throughput bench: a Probot app that only acknowledges every delivery. */
export default (app) => {
  app.onAny(async () => {});
};
