// Writing tasks: every producer (run-out, other reminder triggers, SOP rules) hands over rows with a
// unique dedupe key (trigger + customer + period) and they are inserted with INSERT IGNORE, so a rerun,
// a second instance or a retried job never creates a task twice.
import type { DataSource } from 'typeorm'
import type { TaskKind } from '@scrm/shared'
import { insertIgnore } from '../../db/data-source.ts'
import { serialized } from '../../db/transaction.ts'
import { chunk, isSqlite, readTime, sqlTime } from './sql.ts'

export interface NewTask {
  kind: TaskKind
  ruleId?: number | null
  productId?: number | null
  externalUserId: string
  userId: string
  dedupeKey: string
  title: string
  detail?: string
  scriptId?: number | null
  scriptReason?: string
  message?: string
  dueAt?: Date | null
}

const COLUMNS =
  'kind, rule_id, product_id, external_user_id, user_id, dedupe_key, title, detail, script_id, script_reason, message, due_at, status, close_reason, created_at'

/** Inserts the tasks whose key is new; returns how many were inserted. */
export async function insertTasks(db: DataSource, tasks: NewTask[], now: Date): Promise<number> {
  let inserted = 0
  const kind = isSqlite(db) ? 'sqlite' : 'mysql'
  for (const part of chunk(tasks, 200)) {
    const params: unknown[] = []
    for (const t of part)
      params.push(
        t.kind,
        t.ruleId ?? null,
        t.productId ?? null,
        t.externalUserId,
        t.userId,
        t.dedupeKey.slice(0, 160),
        t.title.slice(0, 128),
        (t.detail ?? '').slice(0, 500),
        t.scriptId ?? null,
        (t.scriptReason ?? '').slice(0, 128),
        (t.message ?? '').slice(0, 500),
        t.dueAt ? sqlTime(db, t.dueAt) : null,
        sqlTime(db, now),
      )
    const values = part.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', '', ?)").join(', ')
    inserted += await serialized(db, () =>
      writeCount(db, `${insertIgnore(kind)} followup_task (${COLUMNS}) VALUES ${values}`, params),
    )
  }
  return inserted
}

/** Runs a raw write and returns the rows it changed (structured results: both drivers report them). */
export async function writeCount(db: DataSource, sql: string, params: unknown[]): Promise<number> {
  const q = db.createQueryRunner()
  try {
    const res = await q.query(sql, params, true)
    return res.affected ?? 0
  } finally {
    await q.release()
  }
}

export interface FollowPick {
  userId: string
  addTime: Date
}

/**
 * The advisor each customer's reminder goes to: the one credited with their latest order when that
 * follow is still active, else the advisor who added them first. Customers no one follows get none.
 */
export async function advisorsFor(db: DataSource, externalUserIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  if (externalUserIds.length === 0) return out
  const follows = new Map<string, FollowPick[]>()
  for (const ids of chunk([...new Set(externalUserIds)], 500)) {
    const marks = ids.map(() => '?').join(', ')
    const rows: { ext: string; userId: string; addTime: unknown }[] = await db.query(
      `SELECT external_user_id AS ext, user_id AS userId, add_time AS addTime FROM customer_follow
        WHERE status = 'active' AND external_user_id IN (${marks})`,
      ids,
    )
    for (const r of rows) {
      const list = follows.get(r.ext) ?? []
      list.push({ userId: r.userId, addTime: readTime(r.addTime)! })
      follows.set(r.ext, list)
    }
    const credited: { ext: string; userId: string | null }[] = await db
      .query(
        `SELECT o.external_user_id AS ext, o.user_id AS userId FROM shop_order o
          WHERE o.status = 'paid' AND o.external_user_id IN (${marks}) AND o.user_id IS NOT NULL
          ORDER BY o.ordered_at DESC`,
        ids,
      )
      .catch(() => [])
    const latest = new Map<string, string>()
    for (const c of credited) if (c.userId && !latest.has(c.ext)) latest.set(c.ext, c.userId)
    for (const ext of ids) {
      const list = follows.get(ext)
      if (!list?.length) continue
      const byOrder = latest.get(ext)
      const chosen = list.find((f) => f.userId === byOrder) ?? list.sort((a, b) => +a.addTime - +b.addTime)[0]
      out.set(ext, chosen.userId)
    }
  }
  return out
}
