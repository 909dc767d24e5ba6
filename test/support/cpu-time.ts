/**
 * This process's CPU time in milliseconds (user + system). Time bounds in tests use it rather than
 * wall time, so that other processes on a loaded machine (parallel test files, app processes,
 * benchmarks) do not count against the code under test.
 */
export function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
