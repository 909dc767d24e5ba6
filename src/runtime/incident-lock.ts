/** Serialises work per incident (in this process; across processes too when Redis is configured). */
export interface IncidentLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}
