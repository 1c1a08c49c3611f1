// The recompute. Full run (nightly, admin "recompute now"): a handful of set-based statements over
// all customers — order facts and latest interactions into two work tables, one INSERT … SELECT with
// window ranks into customer_segment_next, then a swap (RENAME on MySQL, copy in one transaction on
// SQLite). Incremental run (after order events): the same SELECT restricted to the changed customers,
// upserted, with RFM scores from the cut-offs of the last full run so they stay comparable.
import type { DataSource, QueryRunner } from 'typeorm'
import type { FastifyBaseLogger } from 'fastify'
import {
  ACTIVITY_BANDS,
  ACTIVITY_LABEL,
  PRICE_LABEL,
  PRICE_SENSITIVITIES,
  PURCHASE_LABEL,
  RFM_GROUPS,
  RFM_LABEL,
  type CustomerSegmentView,
  type PurchaseValue,
  type SegmentCount,
  type SegmentOverview,
  type SegmentRun,
  type SegmentSettings,
} from '@scrm/shared'
import { inTransaction, serialized } from '../../db/transaction.ts'
import {
  CustomerSegmentEntity,
  MemberTierEntity,
  SegmentRunEntity,
  type CustomerSegmentRow,
  type SegmentRunRow,
} from './segment.entity.ts'
import {
  activitySelect,
  clockAt,
  dialectOf,
  insertIgnore,
  orderAggSelect,
  readTime,
  rfmScores,
  SEGMENT_COLUMNS,
  segmentSelect,
  timeLit,
  truncate,
  type Clock,
  type Dialect,
  type RfmCuts,
} from './segment-sql.ts'
import { loadSettings, readSetting, writeSetting } from './segment-settings.ts'
import type { TagMirror } from './tag-mirror.ts'

const UPDATABLE = SEGMENT_COLUMNS.split(', ').filter((c) => c !== 'external_user_id')

/** Quotes ids for an IN list (they are WeCom ids, but never trust them into SQL text unescaped). */
export function quoteIds(d: Dialect, ids: string[]): string {
  return ids.map((s) => `'${(d === 'mysql' ? s.replace(/\\/g, '\\\\') : s).replace(/'/g, "''")}'`).join(', ')
}

export const runOut = (r: SegmentRunRow): SegmentRun => ({
  id: r.id,
  kind: r.kind,
  startedAt: r.startedAt.toISOString(),
  durationMs: r.durationMs,
  customers: r.customers,
  error: r.error,
})

/** Purchase tag codes of one computed row (same rules as the SQL in segment-sql.ts). */
export function purchaseTags(row: CustomerSegmentRow, s: SegmentSettings): PurchaseValue[] {
  if (row.orderCount === 0) return ['not_bought']
  const out: PurchaseValue[] = ['bought']
  out.push(
    row.totalCents >= s.valueHighCents
      ? 'value_high'
      : row.totalCents >= s.valueMidCents
        ? 'value_mid'
        : 'value_low',
  )
  out.push(
    row.orderCount === 1 ? 'freq_once' : row.orderCount <= s.frequentOrders ? 'freq_repeat' : 'freq_frequent',
  )
  if (row.avgIntervalDays !== null)
    out.push(
      row.avgIntervalDays <= s.intervalMonthlyDays
        ? 'interval_monthly'
        : row.avgIntervalDays <= s.intervalQuarterlyDays
          ? 'interval_quarterly'
          : 'interval_long',
    )
  return out
}

/** One customer's segments (for the sidebar and other modules); `computedAt` null before any run. */
export async function segmentOf(db: DataSource, externalUserId: string): Promise<CustomerSegmentView> {
  const row = await db.getRepository(CustomerSegmentEntity).findOneBy({ externalUserId })
  if (!row)
    return {
      externalUserId,
      computedAt: null,
      tier: null,
      rfmGroup: null,
      rfmLabel: null,
      scores: null,
      activity: 'inactive',
      lastInteractionAt: null,
      priceSensitivity: null,
      orderCount: 0,
      totalCents: 0,
      lastOrderAt: null,
      avgIntervalDays: null,
      purchase: [],
    }
  const settings = await loadSettings(db)
  return {
    externalUserId,
    computedAt: row.computedAt.toISOString(),
    tier: row.tierId !== null ? { id: row.tierId, name: row.tierName ?? '' } : null,
    rfmGroup: row.rfmGroup,
    rfmLabel: row.rfmGroup ? (RFM_LABEL[row.rfmGroup as keyof typeof RFM_LABEL] ?? row.rfmGroup) : null,
    scores: row.rScore !== null ? { r: row.rScore, f: row.fScore ?? 0, m: row.mScore ?? 0 } : null,
    activity: row.activity,
    lastInteractionAt: row.lastInteractionAt?.toISOString() ?? null,
    priceSensitivity: row.priceSensitivity,
    orderCount: row.orderCount,
    totalCents: Number(row.totalCents),
    lastOrderAt: row.lastOrderAt?.toISOString() ?? null,
    avgIntervalDays: row.avgIntervalDays,
    purchase: purchaseTags({ ...row, totalCents: Number(row.totalCents) }, settings),
  }
}

export class SegmentService {
  private chain: Promise<unknown> = Promise.resolve()
  private readonly pending = new Set<string>()
  private draining: Promise<void> | null = null
  readonly dialect: Dialect

  constructor(
    private readonly db: DataSource,
    private readonly mirror: TagMirror,
    private readonly log: FastifyBaseLogger,
  ) {
    this.dialect = dialectOf(db)
  }

  /** A write on the shared SQLite connection takes its turn (it must not join another transaction). */
  private write(sql: string, params?: unknown[]): Promise<unknown> {
    return serialized(this.db, () => this.db.query(sql, params))
  }

  /** Segment work of this process runs one piece at a time (the work tables are shared). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn)
    this.chain = next.catch(() => undefined)
    return next
  }

  /**
   * The full recompute over every customer; the scheduler calls it under its lease (one instance).
   * Tiers always look at the last calendar month, so they change when the month turns or the admin
   * changes the thresholds — the monthly recompute is the first nightly run of the month.
   */
  recomputeAll(now = new Date()): Promise<SegmentRunRow> {
    return this.exclusive(() => this.fullRun(now))
  }

  private async fullRun(now: Date): Promise<SegmentRunRow> {
    const runs = this.db.getRepository(SegmentRunEntity)
    const run = runs.create({
      kind: 'full',
      startedAt: now,
      finishedAt: null,
      durationMs: null,
      customers: 0,
      error: null,
    })
    await runs.insert(run)
    const t0 = performance.now()
    const d = this.dialect
    // On MySQL one connection in READ COMMITTED: the INSERT … SELECTs then take no shared locks on
    // shop_order and friends, so orders keep flowing in during the run.
    const q: QueryRunner | null = d === 'mysql' ? this.db.createQueryRunner() : null
    // Each statement's time goes to the log: where a slow run spends it.
    const steps: Record<string, number> = {}
    let tStep = performance.now()
    const exec = async (sql: string, params?: unknown[]) => {
      const res = await (q ? q.query(sql, params) : this.write(sql, params))
      const key = sql.trim().split(/\s+/).slice(0, 3).join(' ')
      steps[key] = (steps[key] ?? 0) + Math.round(performance.now() - tStep)
      tStep = performance.now()
      return res
    }
    try {
      if (q) {
        await q.connect()
        await q.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED')
        // One batch connection at night may use memory for its group-bys and sorts instead of disk temp tables.
        await q.query(
          'SET SESSION tmp_table_size = 536870912, max_heap_table_size = 536870912, sort_buffer_size = 33554432',
        )
      }
      const clock = clockAt(now)
      const tiers = await this.db.getRepository(MemberTierEntity).find()
      const settings = await loadSettings(this.db)
      for (const t of ['segment_order_agg', 'segment_activity', 'customer_segment_next'])
        await exec(truncate(d, t))
      await exec(
        `INSERT INTO segment_order_agg (external_user_id, order_count, total_cents, first_order_at, last_order_at, promo_orders, month_cents, month_orders)
         ${orderAggSelect(d, clock)}`,
      )
      await exec(`INSERT INTO segment_activity (external_user_id, last_at) ${activitySelect(d)}`)
      const sel = segmentSelect(d, clock, tiers, settings, rfmScores({ ranks: true })).add(
        ` FROM customer c
          LEFT JOIN (SELECT oa.*,
                PERCENT_RANK() OVER (ORDER BY oa.last_order_at) AS pr,
                PERCENT_RANK() OVER (ORDER BY oa.order_count) AS pf,
                PERCENT_RANK() OVER (ORDER BY oa.total_cents) AS pm
              FROM segment_order_agg oa) o ON o.external_user_id = c.external_user_id
          LEFT JOIN segment_activity a ON a.external_user_id = c.external_user_id`,
      )
      await exec(`INSERT INTO customer_segment_next (${SEGMENT_COLUMNS}) ${sel.text}`, sel.params)
      await this.swap(exec)
      await this.saveCuts(exec)
      await this.createInvites(exec, clock)
      const [{ n }] = (await exec('SELECT COUNT(*) AS n FROM customer_segment')) as { n: number | string }[]
      run.customers = Number(n)
      run.durationMs = Math.round(performance.now() - t0)
      await writeSetting(this.db, 'tier_month', clock.tierMonth)
      this.log.info({ customers: run.customers, ms: run.durationMs, steps }, 'segments recomputed')
      await this.mirror.sync(undefined, q ?? undefined).catch((err) => {
        this.log.error({ err }, 'segment tag mirroring failed; the queue resumes next run')
      })
    } catch (err) {
      run.error = String((err as Error)?.message ?? err).slice(0, 2000)
      throw err
    } finally {
      if (q) {
        // The connection goes back to the pool as it came.
        await q.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ').catch(() => undefined)
        await q
          .query(
            'SET SESSION tmp_table_size = DEFAULT, max_heap_table_size = DEFAULT, sort_buffer_size = DEFAULT',
          )
          .catch(() => undefined)
        await q.release()
      }
      run.finishedAt = new Date()
      run.durationMs ??= Math.round(performance.now() - t0)
      await runs.update(
        { id: run.id },
        {
          finishedAt: run.finishedAt,
          durationMs: run.durationMs,
          customers: run.customers,
          error: run.error,
        },
      )
    }
    return run
  }

  private async swap(exec: (sql: string) => Promise<unknown>) {
    if (this.dialect === 'mysql') {
      // Atomic for readers: they see the old table or the new one, never a half-built one.
      await exec(
        'RENAME TABLE customer_segment TO customer_segment_swap, customer_segment_next TO customer_segment, customer_segment_swap TO customer_segment_next',
      )
      return
    }
    await inTransaction(this.db, async (m) => {
      await m.query('DELETE FROM customer_segment')
      await m.query(
        `INSERT INTO customer_segment (${SEGMENT_COLUMNS}) SELECT ${SEGMENT_COLUMNS} FROM customer_segment_next`,
      )
    })
  }

  /** The lowest value that earned each score 2…5 — incremental runs score against these. */
  private async saveCuts(exec: (sql: string) => Promise<unknown>) {
    const mins = (score: string, col: string) =>
      [2, 3, 4, 5].map((i) => `MIN(CASE WHEN ${score} >= ${i} THEN ${col} END) AS ${score[0]}${i}`).join(', ')
    const [row] = (await exec(
      `SELECT ${mins('r_score', 'last_order_at')}, ${mins('f_score', 'order_count')}, ${mins('m_score', 'total_cents')}
         FROM customer_segment WHERE order_count > 0`,
    )) as Record<string, unknown>[]
    const pick = (p: string) => [2, 3, 4, 5].map((i) => row?.[`${p}${i}`] ?? null)
    const cuts: RfmCuts = {
      r: pick('r').map((v) => (v === null ? null : readTime(v)!.toISOString())),
      f: pick('f').map((v) => (v === null ? null : Number(v))),
      m: pick('m').map((v) => (v === null ? null : Number(v))),
    }
    await writeSetting(this.db, 'rfm_cuts', cuts)
  }

  /** A task for the advisor (the customer's first active follow) when a customer is in a tier with a group code. */
  private async createInvites(exec: (sql: string) => Promise<unknown>, clock: Clock, ids?: string) {
    await exec(
      `${insertIgnore(this.dialect)} segment_invite (external_user_id, user_id, tier_id, group_code_id, status, created_at)
       SELECT s.external_user_id,
              (SELECT f.user_id FROM customer_follow f WHERE f.external_user_id = s.external_user_id AND f.status = 'active'
                ORDER BY f.add_time, f.id LIMIT 1),
              s.tier_id, t.group_code_id, 'pending', ${timeLit(clock.now)}
         FROM customer_segment s JOIN member_tier t ON t.id = s.tier_id
        WHERE t.group_code_id IS NOT NULL${ids ? ` AND s.external_user_id IN (${ids})` : ''}
          AND EXISTS (SELECT 1 FROM customer_follow f WHERE f.external_user_id = s.external_user_id AND f.status = 'active')`,
    )
  }

  /** Recomputes these customers now (tiers included), then mirrors their tags. */
  recomputeCustomers(ids: string[], now = new Date()): Promise<void> {
    return this.exclusive(() => this.incremental([...new Set(ids)].filter(Boolean), now))
  }

  private async incremental(ids: string[], now: Date): Promise<void> {
    if (ids.length === 0) return
    const d = this.dialect
    const clock = clockAt(now)
    const tiers = await this.db.getRepository(MemberTierEntity).find()
    const settings = await loadSettings(this.db)
    const cuts = await readSetting<RfmCuts>(this.db, 'rfm_cuts', { r: [], f: [], m: [] })
    const exec = (sql: string, params?: unknown[]) => this.write(sql, params)
    for (let i = 0; i < ids.length; i += 500) {
      const list = quoteIds(d, ids.slice(i, i + 500))
      const sel = segmentSelect(d, clock, tiers, settings, rfmScores({ cuts })).add(
        ` FROM customer c
          LEFT JOIN (${orderAggSelect(d, clock, `AND external_user_id IN (${list})`)}) o ON o.external_user_id = c.external_user_id
          LEFT JOIN (${activitySelect(d, list)}) a ON a.external_user_id = c.external_user_id
          WHERE c.external_user_id IN (${list})`,
      )
      const upsert =
        d === 'mysql'
          ? ` ON DUPLICATE KEY UPDATE ${UPDATABLE.map((c) => `${c} = VALUES(${c})`).join(', ')}`
          : ` ON CONFLICT(external_user_id) DO UPDATE SET ${UPDATABLE.map((c) => `${c} = excluded.${c}`).join(', ')}`
      await exec(`INSERT INTO customer_segment (${SEGMENT_COLUMNS}) ${sel.text}${upsert}`, sel.params)
      await this.createInvites(exec, clock, list)
      await this.mirror.sync(list).catch((err) => {
        this.log.error({ err }, 'segment tag mirroring failed for changed customers; the next run retries')
      })
    }
  }

  /** Order events: the changed customers are recomputed in the background, coalesced. */
  notifyOrdersChanged(ids: string[]): void {
    for (const id of ids) if (id) this.pending.add(id)
    if (!this.draining)
      this.draining = (async () => {
        try {
          while (this.pending.size > 0) {
            const batch = [...this.pending].slice(0, 1000)
            for (const id of batch) this.pending.delete(id)
            await this.recomputeCustomers(batch).catch((err) =>
              this.log.error({ err, customers: batch.length }, 'incremental segment recompute failed'),
            )
          }
        } finally {
          this.draining = null
        }
      })()
  }

  /** Resolves when no order-triggered recompute is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining
    await this.chain
  }

  async lastRun(): Promise<SegmentRunRow | null> {
    return this.db.getRepository(SegmentRunEntity).findOne({ where: { kind: 'full' }, order: { id: 'DESC' } })
  }

  async overview(): Promise<Omit<SegmentOverview, 'mirror'>> {
    const db = this.db
    const counts = async (col: string) =>
      new Map(
        (
          (await db.query(`SELECT ${col} AS v, COUNT(*) AS n FROM customer_segment GROUP BY ${col}`)) as {
            v: unknown
            n: number | string
          }[]
        ).map((r) => [r.v === null ? null : String(r.v), Number(r.n)]),
      )
    const list = (m: Map<string | null, number>, values: readonly string[], label: (v: string) => string) => {
      const out: SegmentCount[] = values.map((v) => ({ value: v, label: label(v), count: m.get(v) ?? 0 }))
      if (m.get(null)) out.push({ value: 'none', label: '无订单', count: m.get(null)! })
      return out
    }
    const tiers = await db.getRepository(MemberTierEntity).find({ order: { rank: 'DESC' } })
    const tierCounts = await counts('tier_id')
    const settings = await loadSettings(db)
    const [p] = (await db.query(
      `SELECT COUNT(*) AS customers,
              SUM(CASE WHEN order_count > 0 THEN 1 ELSE 0 END) AS bought,
              SUM(CASE WHEN order_count > 0 AND total_cents >= ${settings.valueHighCents} THEN 1 ELSE 0 END) AS vh,
              SUM(CASE WHEN order_count > 0 AND total_cents >= ${settings.valueMidCents} AND total_cents < ${settings.valueHighCents} THEN 1 ELSE 0 END) AS vm,
              SUM(CASE WHEN order_count > 0 AND total_cents < ${settings.valueMidCents} THEN 1 ELSE 0 END) AS vl,
              SUM(CASE WHEN order_count = 1 THEN 1 ELSE 0 END) AS once,
              SUM(CASE WHEN order_count > 1 AND order_count <= ${settings.frequentOrders} THEN 1 ELSE 0 END) AS rep,
              SUM(CASE WHEN order_count > ${settings.frequentOrders} THEN 1 ELSE 0 END) AS freq
         FROM customer_segment`,
    )) as Record<string, number | string | null>[]
    const n = (k: string) => Number(p?.[k] ?? 0)
    const lastRun = await this.lastRun()
    const [{ invites }] = (await db.query(
      "SELECT COUNT(*) AS invites FROM segment_invite WHERE status = 'pending'",
    )) as { invites: number | string }[]
    return {
      customers: n('customers'),
      buyers: n('bought'),
      tiers: [
        ...tiers.map((t) => ({
          value: String(t.id),
          label: t.name,
          count: tierCounts.get(String(t.id)) ?? 0,
        })),
        { value: 'none', label: '未达等级', count: tierCounts.get(null) ?? 0 },
      ],
      rfm: list(await counts('rfm_group'), RFM_GROUPS, (v) => RFM_LABEL[v as keyof typeof RFM_LABEL]),
      activity: list(
        await counts('activity'),
        ACTIVITY_BANDS,
        (v) => ACTIVITY_LABEL[v as keyof typeof ACTIVITY_LABEL],
      ),
      price: list(
        await counts('price_sensitivity'),
        PRICE_SENSITIVITIES,
        (v) => PRICE_LABEL[v as keyof typeof PRICE_LABEL],
      ),
      purchase: [
        { value: 'bought', label: PURCHASE_LABEL.bought, count: n('bought') },
        { value: 'not_bought', label: PURCHASE_LABEL.not_bought, count: n('customers') - n('bought') },
        { value: 'value_high', label: PURCHASE_LABEL.value_high, count: n('vh') },
        { value: 'value_mid', label: PURCHASE_LABEL.value_mid, count: n('vm') },
        { value: 'value_low', label: PURCHASE_LABEL.value_low, count: n('vl') },
        { value: 'freq_once', label: PURCHASE_LABEL.freq_once, count: n('once') },
        { value: 'freq_repeat', label: PURCHASE_LABEL.freq_repeat, count: n('rep') },
        { value: 'freq_frequent', label: PURCHASE_LABEL.freq_frequent, count: n('freq') },
      ],
      lastRun: lastRun ? runOut(lastRun) : null,
      tierMonth: (await readSetting<string | null>(db, 'tier_month', null)) ?? clockAt(new Date()).tierMonth,
      pendingInvites: Number(invites),
    }
  }
}
