/** Serialises work per incident (in this process; across processes too when Redis is configured). */
export interface IncidentLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /**
   * True when the lock also excludes every other process (Redis): the sweep then re-reads a chunk of
   * due incidents at once while holding their locks (src/sweep/due-chunks.ts). Absent: this process only.
   */
  readonly shared?: boolean;
}
