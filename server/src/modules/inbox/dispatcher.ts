import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { Brackets, In, type DataSource, type EntityManager } from 'typeorm'
import type { DbKind } from '../../db/data-source.ts'
import { serialized } from '../../db/transaction.ts'
import { parseEventXml } from '../../wecom/callback.ts'
import type { EventHandlerRegistry, EventStep } from './handler-registry.ts'
import { InboxEntity, type InboxRow } from './inbox.entity.ts'
import { PriorityGate } from './priority-gate.ts'
import { backoffDelay } from '../../lib/time.ts'

export interface DispatcherOptions {
  batchSize: number
  /** How long a claim lasts; a crashed instance's rows are taken over after it. */
  leaseMs: number
  maxAttempts: number
  /** Safety net for rows whose wake-up was missed (retries coming due, other instances' leftovers). */
  pollMs: number
  backoffBaseMs: number
  /** Rows claimed and not yet past their urgent steps (one entity's rows always run one after another). */
  maxInFlight: number
  /** Longest a bookkeeping step waits for urgent steps elsewhere to finish. */
  maxYieldMs: number
  /** Rows in their bookkeeping steps at once while urgent steps run elsewhere, and at most. */
  bookkeepingBackground: number
  bookkeepingMax: number
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  batchSize: 100,
  leaseMs: 60_000,
  maxAttempts: 6,
  pollMs: 1_000,
  backoffBaseMs: 2_000,
  maxInFlight: 64,
  maxYieldMs: 5_000,
  bookkeepingBackground: 2,
  bookkeepingMax: 8,
}

/** A row's progress through its urgent steps (see `leaveUrgentPhase`). */
interface UrgentPhase {
  started: boolean
  over: boolean
}

/** Steps ordered before 50 (the welcome) are urgent; the rest is bookkeeping that can wait a little. */
const isUrgent = (step: EventStep) => (step.order ?? 100) < 50

/** MySQL may pick any of two contending transactions as a deadlock victim; the claim is simply redone. */
async function withDeadlockRetry(fn: () => Promise<unknown>, tries = 5) {
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (err) {
      const code =
        (err as { driverError?: { code?: string }; code?: string }).driverError?.code ??
        (err as { code?: string }).code
      if (i >= tries || (code !== 'ER_LOCK_DEADLOCK' && code !== 'ER_LOCK_WAIT_TIMEOUT')) throw err
      await new Promise((r) => setTimeout(r, Math.random() * 20 * i))
    }
  }
}

/**
 * Hands inbox rows to the registered steps. Claims are a conditional UPDATE stamped with a fresh
 * token, so on one shared database each row is claimed by exactly one instance at a time; MySQL also
 * uses `FOR UPDATE SKIP LOCKED` to keep instances from contending for the same candidates.
 */
export class InboxDispatcher {
  private running = false
  private stopping = false
  private inFlight = 0
  private readonly gate: PriorityGate
  // The last queued handling per entity key: the next row of that entity waits for it.
  private readonly chains = new Map<string, Promise<void>>()
  private loop: Promise<void> | null = null
  private wakeUp: (() => void) | null = null
  private pendingWake = false
  readonly opts: DispatcherOptions

  constructor(
    private readonly db: DataSource,
    private readonly kind: DbKind,
    private readonly registry: EventHandlerRegistry,
    private readonly log: FastifyBaseLogger,
    opts: Partial<DispatcherOptions> = {},
  ) {
    this.opts = { ...DEFAULT_DISPATCHER_OPTIONS, ...opts }
    this.gate = new PriorityGate({
      background: this.opts.bookkeepingBackground,
      max: this.opts.bookkeepingMax,
      maxWaitMs: this.opts.maxYieldMs,
    })
  }

  start() {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  /**
   * Stops claiming; claimed rows that have not started go back to pending for the next start (or
   * another instance), rows being handled get up to `graceMs` to finish. What is still running after
   * that keeps its lease and is taken over when the lease ends.
   */
  async stop(graceMs = 5_000) {
    this.running = false
    this.stopping = true
    this.wake()
    this.gate.openAll()
    let timer: NodeJS.Timeout | undefined
    const settled = this.loop?.then(() => Promise.all(this.chains.values()))
    await Promise.race([settled, new Promise((r) => (timer = setTimeout(r, graceMs)))])
    clearTimeout(timer)
  }

  wake() {
    this.pendingWake = true
    this.wakeUp?.()
  }

  /** Claims and handles everything due now, then returns how many rows it handled (tests drive this). */
  async drain(): Promise<number> {
    let total = 0
    while (!this.stopping) {
      const rows = await this.claim(this.opts.batchSize)
      if (rows.length === 0) return total
      await Promise.all(rows.map((row) => this.schedule(row)))
      total += rows.length
    }
    return total
  }

  /**
   * A pipeline, not batches: rows are claimed whenever there is room, so a slow row never holds up
   * the welcome of the next customer. The loop sleeps only when nothing is due; a new callback, a
   * finished row that frees room, or the poll interval wakes it.
   */
  private async run() {
    while (this.running) {
      this.pendingWake = false
      let claimed = 0
      try {
        const room = this.opts.maxInFlight - this.inFlight
        if (room > 0) {
          const rows = await this.claim(Math.min(room, this.opts.batchSize))
          for (const row of rows) void this.schedule(row)
          claimed = rows.length
        }
      } catch (err) {
        this.log.error({ err }, 'inbox dispatcher could not claim rows; retrying after the poll interval')
      }
      if (!this.running) break
      if ((claimed > 0 && this.inFlight < this.opts.maxInFlight) || this.pendingWake) continue
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.opts.pollMs)
        this.wakeUp = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wakeUp = null
    }
  }

  /** Queues a row behind the rows of the same entity already in hand; resolves when it is handled. */
  private schedule(row: InboxRow): Promise<void> {
    this.inFlight++
    const key = row.entityKey
    const phase: UrgentPhase = { started: false, over: false }
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(() => {
        phase.started = true
        this.gate.urgentStarted()
        return this.handleRow(row, phase)
      })
      .catch((err) => this.log.error({ err, inboxId: row.id }, 'inbox row handling crashed'))
      .finally(() => {
        this.leaveUrgentPhase(phase)
        if (this.chains.get(key) === next) this.chains.delete(key)
      })
    this.chains.set(key, next)
    return next
  }

  /**
   * Once per row: it no longer holds a slot (`inFlight`) nor counts as urgent work. A row leaves when
   * its urgent steps are done, so more rows can be claimed while its bookkeeping waits at the gate.
   */
  private leaveUrgentPhase(phase: UrgentPhase) {
    if (phase.over) return
    phase.over = true
    if (phase.started) this.gate.urgentEnded()
    this.inFlight--
    if (this.inFlight === this.opts.maxInFlight - 1) this.wake()
  }

  /** Ready rows, plus rows whose claimer's lease ran out. `p` is the table alias ('' in an UPDATE). */
  private dueCondition(now: Date, p: string) {
    return new Brackets((qb) =>
      qb
        .where(`(${p}status IN (:...ready) AND ${p}next_attempt_at <= :now)`, {
          ready: ['pending', 'retry'],
          now,
        })
        .orWhere(`(${p}status = :processing AND ${p}lease_until < :now)`, { processing: 'processing', now }),
    )
  }

  async claim(limit: number): Promise<InboxRow[]> {
    const now = new Date()
    const token = randomUUID()
    const lease = {
      status: 'processing' as const,
      claimToken: token,
      leaseUntil: new Date(now.getTime() + this.opts.leaseMs),
    }
    const candidates = (m: EntityManager) =>
      m
        .createQueryBuilder(InboxEntity, 'i')
        .select('i.id', 'id')
        .where(this.dueCondition(now, 'i.'))
        .orderBy('i.id', 'ASC')
        .limit(this.opts.batchSize)
    let candidateCount = 0
    if (this.kind === 'mysql') {
      // The rows are locked by the SELECT, so the UPDATE touches them by primary key only.
      await withDeadlockRetry(() =>
        this.db.transaction(async (m) => {
          const ids = (
            await candidates(m)
              .setLock('pessimistic_write')
              .setOnLocked('skip_locked')
              .getRawMany<{ id: number }>()
          ).map((r) => Number(r.id))
          candidateCount = ids.length
          if (ids.length)
            await m
              .createQueryBuilder()
              .update(InboxEntity)
              .set(lease)
              .where('id IN (:...ids)', { ids })
              .execute()
        }),
      )
    } else {
      // SQLite has one writer at a time; the conditional UPDATE is what makes the claim exclusive.
      await serialized(this.db, async () => {
        const ids = (await candidates(this.db.manager).getRawMany<{ id: number }>()).map((r) => Number(r.id))
        candidateCount = ids.length
        if (ids.length)
          await this.db
            .createQueryBuilder()
            .update(InboxEntity)
            .set(lease)
            .where('id IN (:...ids)', { ids })
            .andWhere(this.dueCondition(now, ''))
            .execute()
      })
    }
    if (candidateCount === 0) return []
    return this.db.getRepository(InboxEntity).find({ where: { claimToken: token }, order: { id: 'ASC' } })
  }

  private async handleRow(row: InboxRow, phase: UrgentPhase) {
    const repo = this.db.getRepository(InboxEntity)
    const mine = { id: row.id, claimToken: row.claimToken! }
    if (this.stopping) {
      await repo.update(mine, {
        status: row.attempts ? 'retry' : 'pending',
        claimToken: null,
        leaseUntil: null,
      })
      return
    }
    const done = new Set(row.stepsDone ? row.stepsDone.split(',') : [])
    try {
      const event = await parseEventXml(row.payload)
      const steps = this.registry.stepsFor(event.Event, event.ChangeType)
      if (steps.length === 0) {
        await repo.update(mine, { status: 'ignored', claimToken: null, processedAt: new Date() })
        return
      }
      // Steps come sorted by order, so the urgent ones (order < 50) are first.
      const runSteps = async (urgent: boolean) => {
        for (const step of steps) {
          if (done.has(step.name) || isUrgent(step) !== urgent) continue
          await step.run(event)
          done.add(step.name)
        }
      }
      await runSteps(true)
      this.leaveUrgentPhase(phase)
      const finish = async () => {
        await runSteps(false)
        await repo.update(mine, {
          status: 'done',
          stepsDone: [...done].join(','),
          claimToken: null,
          lastError: null,
          processedAt: new Date(),
        })
      }
      if (steps.every((s) => done.has(s.name) || isUrgent(s))) await finish()
      else await this.gate.bookkeeping(finish)
    } catch (err) {
      const attempts = row.attempts + 1
      const permanent = (err as { permanent?: boolean }).permanent === true
      const park = permanent || attempts >= this.opts.maxAttempts
      const message = String((err as Error)?.message ?? err).slice(0, 2000)
      this.log.warn(
        { inboxId: row.id, event: row.event, changeType: row.changeType, attempts, park, error: message },
        'callback handling failed',
      )
      const delay = backoffDelay(this.opts.backoffBaseMs, attempts)
      // The steps that succeeded are saved with the failure, so the retry skips them. (After a crash
      // mid-row they run again: every step is idempotent, and a repeated welcome is refused as 41051.)
      await repo.update(mine, {
        status: park ? 'parked' : 'retry',
        stepsDone: [...done].join(','),
        attempts,
        claimToken: null,
        lastError: message,
        nextAttemptAt: new Date(Date.now() + delay),
      })
    }
  }

  /** An admin sends a parked (or any finished) row round again; steps already done are kept. */
  async replay(id: number): Promise<boolean> {
    const res = await this.db
      .getRepository(InboxEntity)
      .update(
        { id, status: In(['parked', 'ignored', 'retry']) },
        { status: 'pending', attempts: 0, nextAttemptAt: new Date(), claimToken: null },
      )
    if (res.affected) this.wake()
    return (res.affected ?? 0) > 0
  }
}
