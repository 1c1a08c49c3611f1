import { sleep } from '../lib/time.ts'

/**
 * Keeps each API path under a per-minute budget (WeCom allows 10,000/min per API per corp) and caps
 * concurrent calls (45033 = too many concurrent calls). Fixed one-minute windows; a caller over budget
 * waits for the next window instead of earning 45009.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()
  private active = 0
  private readonly waiters: Array<() => void> = []

  constructor(
    private readonly perMinute: number,
    private readonly maxConcurrent: number,
  ) {}

  async acquire(path: string): Promise<() => void> {
    for (;;) {
      const now = Date.now()
      let w = this.windows.get(path)
      if (!w || now - w.start >= 60_000) {
        w = { start: now, count: 0 }
        this.windows.set(path, w)
      }
      if (w.count < this.perMinute) {
        w.count++
        break
      }
      await sleep(w.start + 60_000 - now)
    }
    if (this.active >= this.maxConcurrent) await new Promise<void>((r) => this.waiters.push(r))
    else this.active++
    // The slot passes straight to the next waiter, so `active` never drops below the true count.
    return () => {
      const next = this.waiters.shift()
      if (next) next()
      else this.active--
    }
  }
}
