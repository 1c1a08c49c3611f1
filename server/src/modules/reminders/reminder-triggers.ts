// The automatic reminder triggers (周期购 and its kin). Each finds its candidates with one set-based
// query, skips customers reminded within the quiet period, and hands tasks with a unique key to
// insertTasks:
//   runout  — predicted run-out within the product's remind_days_before  key: product + run-out time
//   overdue — ≥ 3 orders and silent for 1.5 × their average interval    key: their last order time
//   benefit — member benefits expire within benefitDaysBefore days        key: the expiry date
//   dormant — no order and no interaction for dormantDays                 key: the day (and at most once
//             per dormantDays: a dormant task within that window blocks another)
import type { DataSource } from 'typeorm'
import type { ReminderSettings, TaskKind } from '@scrm/shared'
import { shanghaiDay } from '../acquisition/shanghai-time.ts'
import { ScriptPicker } from './script-pick.ts'
import { advisorsFor, insertTasks, type NewTask } from './task-store.ts'
import { DAY_MS } from './runout.ts'
import { hasTable, isSqlite, readTime, sqlTime } from './sql.ts'

/** The automatic kinds the quiet period applies to (SOP tasks are the admin's explicit rules). */
export const REMINDER_KINDS: TaskKind[] = ['runout', 'overdue', 'benefit', 'dormant']
const KIND_LIST = REMINDER_KINDS.map((k) => `'${k}'`).join(', ')
/** Run-outs longer ago than this are left to the overdue and dormant triggers. */
const RUNOUT_GRACE_DAYS = 14
const MAX_PER_KIND = 5000

const fmtDay = (d: Date) => shanghaiDay(d)

export class ReminderTriggers {
  constructor(
    private readonly db: DataSource,
    private readonly picker: ScriptPicker,
  ) {}

  private quietClause(alias: string) {
    return `NOT EXISTS (SELECT 1 FROM followup_task q WHERE q.external_user_id = ${alias}
      AND q.kind IN (${KIND_LIST}) AND q.created_at > ?)`
  }

  /** Runs every trigger in order; a customer gets at most one reminder per quiet period. */
  async run(settings: ReminderSettings, now: Date): Promise<number> {
    const quietSince = sqlTime(this.db, new Date(now.getTime() - settings.quietDays * DAY_MS))
    const taken = new Set<string>()
    let created = 0
    this.picker.reset()
    const orders = await hasTable(this.db, 'shop_order')
    if (orders) created += await this.emit(await this.runout(now, quietSince), taken, now)
    created += await this.emit(await this.benefit(settings, now, quietSince), taken, now)
    if (orders) created += await this.emit(await this.overdue(now, quietSince), taken, now)
    created += await this.emit(await this.dormant(settings, now, quietSince, orders), taken, now)
    return created
  }

  /** Assigns advisors and scripts, keeps one task per customer, inserts. */
  private async emit(cands: Omit<NewTask, 'userId'>[], taken: Set<string>, now: Date): Promise<number> {
    const fresh = cands.filter((c) => !taken.has(c.externalUserId) && !!taken.add(c.externalUserId))
    if (fresh.length === 0) return 0
    const advisors = await advisorsFor(
      this.db,
      fresh.map((c) => c.externalUserId),
    )
    const tasks: NewTask[] = []
    for (const c of fresh) {
      const userId = advisors.get(c.externalUserId)
      if (!userId) continue
      const pick = await this.picker.pick(userId, c.externalUserId)
      tasks.push({ ...c, userId, scriptId: pick.scriptId, scriptReason: pick.reason })
    }
    return insertTasks(this.db, tasks, now)
  }

  private async runout(now: Date, quietSince: unknown): Promise<Omit<NewTask, 'userId'>[]> {
    const rows: {
      ext: string
      productId: number | string
      runoutAt: unknown
      name: string
      customer: string | null
    }[] = await this.db.query(
      `SELECT rp.external_user_id AS ext, rp.product_id AS productId, rp.runout_at AS runoutAt, p.name AS name,
              c.name AS customer
         FROM runout_prediction rp
         JOIN product p ON p.id = rp.product_id
         LEFT JOIN customer c ON c.external_user_id = rp.external_user_id
        WHERE rp.remind_at <= ? AND rp.runout_at >= ?
          AND NOT EXISTS (SELECT 1 FROM followup_task t WHERE t.kind = 'runout'
                AND t.external_user_id = rp.external_user_id AND t.product_id = rp.product_id AND t.due_at = rp.runout_at)
          AND ${this.quietClause('rp.external_user_id')}
        ORDER BY rp.runout_at, rp.external_user_id LIMIT ${MAX_PER_KIND}`,
      [
        sqlTime(this.db, now),
        sqlTime(this.db, new Date(now.getTime() - RUNOUT_GRACE_DAYS * DAY_MS)),
        quietSince,
      ],
    )
    return rows.map((r) => {
      const runoutAt = readTime(r.runoutAt)!
      const days = Math.ceil((runoutAt.getTime() - now.getTime()) / DAY_MS)
      return {
        kind: 'runout' as const,
        productId: Number(r.productId),
        externalUserId: r.ext,
        dedupeKey: `runout:${r.ext}:${r.productId}:${runoutAt.getTime()}`,
        title: `${r.name} 快用完了`,
        detail:
          days > 0
            ? `预计 ${fmtDay(runoutAt)} 用完（还有 ${days} 天），适合提醒回购`
            : `预计 ${fmtDay(runoutAt)} 已用完，适合提醒回购`,
        dueAt: runoutAt,
      }
    })
  }

  private async overdue(now: Date, quietSince: unknown): Promise<Omit<NewTask, 'userId'>[]> {
    // Seconds from a to b, per dialect, so the interval test stays in SQL (time-zone free on both).
    const diff = (a: string, b: string) =>
      isSqlite(this.db)
        ? `((julianday(${b}) - julianday(${a})) * 86400)`
        : `TIMESTAMPDIFF(SECOND, ${a}, ${b})`
    const rows: { ext: string; n: number | string; firstAt: unknown; lastAt: unknown }[] =
      await this.db.query(
        `SELECT o.external_user_id AS ext, COUNT(*) AS n, MIN(o.ordered_at) AS firstAt, MAX(o.ordered_at) AS lastAt
         FROM shop_order o
        WHERE o.status = 'paid' AND o.external_user_id IS NOT NULL
          AND ${this.quietClause('o.external_user_id')}
        GROUP BY o.external_user_id
       HAVING COUNT(*) >= 3 AND MAX(o.ordered_at) > MIN(o.ordered_at)
          AND ${diff('MAX(o.ordered_at)', '?')} > 1.5 * ${diff('MIN(o.ordered_at)', 'MAX(o.ordered_at)')} / (COUNT(*) - 1)
        LIMIT ${MAX_PER_KIND}`,
        [quietSince, sqlTime(this.db, now)],
      )
    const out: Omit<NewTask, 'userId'>[] = []
    for (const r of rows) {
      const first = readTime(r.firstAt)!
      const last = readTime(r.lastAt)!
      const n = Number(r.n)
      const avg = (last.getTime() - first.getTime()) / (n - 1) / DAY_MS
      const silent = Math.floor((now.getTime() - last.getTime()) / DAY_MS)
      out.push({
        kind: 'overdue',
        externalUserId: r.ext,
        dedupeKey: `overdue:${r.ext}:${last.getTime()}`,
        title: '老客超过平时的回购间隔',
        detail: `共 ${n} 单，平均 ${Math.max(1, Math.round(avg))} 天一单，已 ${silent} 天没有下单`,
        dueAt: new Date(last.getTime() + avg * 1.5 * DAY_MS),
      })
    }
    return out
  }

  private async benefit(
    settings: ReminderSettings,
    now: Date,
    quietSince: unknown,
  ): Promise<Omit<NewTask, 'userId'>[]> {
    const today = fmtDay(now)
    const until = fmtDay(new Date(now.getTime() + settings.benefitDaysBefore * DAY_MS))
    const rows: { ext: string; expires: string }[] = await this.db.query(
      `SELECT d.external_user_id AS ext, d.benefit_expires_on AS expires FROM customer_dates d
        WHERE d.benefit_expires_on >= ? AND d.benefit_expires_on <= ? AND ${this.quietClause('d.external_user_id')}
        ORDER BY d.benefit_expires_on LIMIT ${MAX_PER_KIND}`,
      [today, until, quietSince],
    )
    return rows.map((r) => ({
      kind: 'benefit' as const,
      externalUserId: r.ext,
      dedupeKey: `benefit:${r.ext}:${r.expires}`,
      title: '会员权益即将到期',
      detail: `年度会员权益 ${r.expires} 到期，提醒客户及时使用或续享`,
      dueAt: new Date(`${r.expires}T00:00:00+08:00`),
    }))
  }

  private async dormant(
    settings: ReminderSettings,
    now: Date,
    quietSince: unknown,
    orders: boolean,
  ): Promise<Omit<NewTask, 'userId'>[]> {
    const since = sqlTime(this.db, new Date(now.getTime() - settings.dormantDays * DAY_MS))
    const segments = await hasTable(this.db, 'customer_segment')
    const params: unknown[] = [since]
    const checks = [
      `NOT EXISTS (SELECT 1 FROM customer_note n WHERE n.external_user_id = f.external_user_id AND n.created_at > ?)`,
      `NOT EXISTS (SELECT 1 FROM script_usage u WHERE u.external_user_id = f.external_user_id AND u.used_at > ?)`,
      `NOT EXISTS (SELECT 1 FROM product_send s WHERE s.external_user_id = f.external_user_id AND s.sent_at > ?)`,
      `NOT EXISTS (SELECT 1 FROM followup_task d WHERE d.external_user_id = f.external_user_id AND d.kind = 'dormant' AND d.created_at > ?)`,
    ]
    params.push(since, since, since, since)
    if (orders) {
      checks.push(
        `NOT EXISTS (SELECT 1 FROM shop_order o WHERE o.external_user_id = f.external_user_id AND o.ordered_at > ?)`,
      )
      params.push(since)
    }
    if (segments) {
      checks.push(
        `NOT EXISTS (SELECT 1 FROM customer_segment g WHERE g.external_user_id = f.external_user_id AND g.last_interaction_at > ?)`,
      )
      params.push(since)
    }
    params.push(quietSince)
    const rows: { ext: string; addTime: unknown; name: string | null }[] = await this.db.query(
      `SELECT f.external_user_id AS ext, MIN(f.add_time) AS addTime, MAX(c.name) AS name
         FROM customer_follow f LEFT JOIN customer c ON c.external_user_id = f.external_user_id
        WHERE f.status = 'active' AND f.add_time < ?
          AND ${checks.join('\n          AND ')}
          AND ${this.quietClause('f.external_user_id')}
        GROUP BY f.external_user_id
        ORDER BY MIN(f.add_time) LIMIT ${MAX_PER_KIND}`,
      params,
    )
    const day = fmtDay(now)
    return rows.map((r) => ({
      kind: 'dormant' as const,
      externalUserId: r.ext,
      dedupeKey: `dormant:${r.ext}:${day}`,
      title: '沉睡客户待唤醒',
      detail: `超过 ${settings.dormantDays} 天没有下单也没有互动`,
      dueAt: now,
    }))
  }
}
