// A fixed-window request limit per key, in this process's memory. Behind a load balancer each
// instance counts on its own, so the real limit is this times the instances: fine for stopping
// a runaway script; a shared limit would move to PostgreSQL or the edge.
interface Window {
  startedAt: number;
  count: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    /** Read at each request, so that a changed configuration applies at once. */
    private readonly limit: () => number,
    private readonly windowMs: number,
  ) {}

  /** Counts a request; returns the seconds to wait when over the limit, else null. */
  take(key: string, now = Date.now()): number | null {
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      if (this.windows.size > 50_000) this.sweep(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.limit()) return null;
    return Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= this.windowMs) this.windows.delete(key);
  }
}
