/**
 * Urgent work first: a welcome's code dies 20 s after the add, while the mirror, tags and remark can
 * wait a few seconds. Bookkeeping runs at most `background` rows at a time while urgent work is in
 * progress, and up to `max` when there is none or when a row has waited `maxWaitMs` (so it never
 * starves). The cap also keeps bookkeeping from taking every database connection during a burst.
 * Waiters are woken by events, not by polling.
 */
export interface PriorityGateOptions {
  /** Bookkeeping rows allowed while urgent work runs. */
  background: number
  /** Bookkeeping rows allowed at once otherwise. */
  max: number
  /** Longest a bookkeeping row waits behind urgent work. */
  maxWaitMs: number
}

interface Waiter {
  since: number
  grant: () => void
}

export class PriorityGate {
  private urgent = 0
  private active = 0
  private readonly queue: Waiter[] = []
  private timer: NodeJS.Timeout | null = null
  private armedFor: Waiter | null = null

  constructor(
    private readonly opts: PriorityGateOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get waiting(): number {
    return this.queue.length
  }

  get running(): number {
    return this.active
  }

  urgentStarted(): void {
    this.urgent++
  }

  urgentEnded(): void {
    this.urgent--
    this.pump()
  }

  /** Runs `fn` once the gate lets a bookkeeping row through. */
  async bookkeeping<T>(fn: () => Promise<T>): Promise<T> {
    await new Promise<void>((grant) => {
      this.queue.push({ since: this.now(), grant })
      this.pump()
    })
    try {
      return await fn()
    } finally {
      this.active--
      this.pump()
    }
  }

  /** Lets every waiter through (shutdown: the rows finish or give their claim back). */
  openAll(): void {
    for (const w of this.queue.splice(0)) {
      this.active++
      w.grant()
    }
    this.disarm()
  }

  private pump(): void {
    while (this.queue.length) {
      const head = this.queue[0]
      const aged = this.now() - head.since >= this.opts.maxWaitMs
      const limit = this.urgent === 0 || aged ? this.opts.max : this.opts.background
      if (this.active >= limit) break
      this.queue.shift()
      this.active++
      head.grant()
    }
    this.arm()
  }

  /**
   * One timer, for the moment the oldest waiter has aged enough to pass urgent work. It stays set while
   * that waiter is still the oldest, so the many pumps of a burst do not re-create it each time.
   */
  private arm(): void {
    const head = this.queue[0]
    if (!head || this.active >= this.opts.max) return this.disarm()
    if (this.timer && this.armedFor === head) return
    this.disarm()
    this.armedFor = head
    const due = Math.max(0, head.since + this.opts.maxWaitMs - this.now())
    this.timer = setTimeout(() => {
      this.timer = null
      this.armedFor = null
      this.pump()
    }, due)
    this.timer.unref()
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.armedFor = null
  }
}
