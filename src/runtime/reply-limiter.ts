/**
 * Limits how often the app answers the same person (e.g. refusals to a stranger on a public
 * repository), so that a spammer cannot make the app spam back. Memory only: losing it costs at most
 * a few extra replies.
 */
export class ReplyLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly maxReplies = 3,
    private readonly windowMs = 3_600_000,
    private readonly maxKeys = 10_000,
  ) {}

  /** True (and counted) when a reply to `key` is allowed at `nowMs`. */
  allow(key: string, nowMs: number): boolean {
    const recent = (this.sent.get(key) ?? []).filter((at) => nowMs - at < this.windowMs);
    if (recent.length >= this.maxReplies) {
      this.sent.set(key, recent);
      return false;
    }
    if (!this.sent.has(key) && this.sent.size >= this.maxKeys) {
      const oldest = this.sent.keys().next().value;
      if (oldest !== undefined) this.sent.delete(oldest);
    }
    this.sent.set(key, [...recent, nowMs]);
    return true;
  }
}
