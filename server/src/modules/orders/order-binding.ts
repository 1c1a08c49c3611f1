// Binding orders to customers: by the buyer's mobile (the advisor's remark mobiles on a follow), by
// unionid (customer.unionid), or by an advisor naming the order number. All set-based: candidates come
// from one indexed join per scope, updates go out grouped by (customer, advisor).
import type { DataSource } from 'typeorm'
import { conflict, notFound } from '../../lib/errors.ts'
import { dbTime, type SqlKind, sqlKind } from './order-store.ts'
import { mobilesOf } from './order-values.ts'

/** What to try binding: new orders by id, or orders that could now match these customers. */
export type BindScope = { orderIds: number[] } | { externalUserIds: string[] }

interface Candidate {
  id: number
  externalUserId: string
  userId: string | null
}

const CHUNK = 500
const chunks = <T>(xs: T[], n = CHUNK): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n))
const marks = (n: number) => Array.from({ length: n }, () => '?').join(',')

export class OrderBinder {
  private readonly kind: SqlKind
  /** Follows changed at or after this time still need their mobiles re-read (null: never swept here). */
  private followWatermark: Date | null = null

  constructor(private readonly db: DataSource) {
    this.kind = sqlKind(db)
  }

  /**
   * Re-reads the remark mobiles of these customers' follows into customer_mobile (active follows only),
   * so binding by mobile is an indexed equality join instead of a LIKE over a comma list.
   */
  async refreshMobiles(externalUserIds: string[]): Promise<void> {
    for (const ids of chunks([...new Set(externalUserIds)])) {
      const follows: Array<{ e: string; u: string; m: string; s: string }> = await this.db.query(
        `SELECT external_user_id AS e, user_id AS u, remark_mobiles AS m, status AS s
           FROM customer_follow WHERE external_user_id IN (${marks(ids.length)})`,
        ids,
      )
      const rows = follows
        .filter((f) => f.s === 'active')
        .flatMap((f) => mobilesOf(f.m ?? '').map((mobile) => [mobile, f.e, f.u]))
      await this.db.query(`DELETE FROM customer_mobile WHERE external_user_id IN (${marks(ids.length)})`, ids)
      for (const part of chunks(rows))
        await this.db.query(
          `${this.kind === 'mysql' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO'} customer_mobile (mobile, external_user_id, user_id) VALUES ${part.map(() => '(?,?,?)').join(',')}`,
          part.flat(),
        )
    }
  }

  /**
   * The periodic sweep: customers whose follows or profile changed since the last sweep get their
   * mobiles re-read and their possible orders bound. The first sweep of a process reads everything
   * (in pages). Returns the customers that gained orders.
   */
  async sweep(): Promise<string[]> {
    const startedAt = new Date()
    const since = this.followWatermark
    const bound: string[] = []
    let after = ''
    for (;;) {
      // Customers touched since `since`, in pages by id (a customer with many follows is one entry).
      const params: unknown[] = [after]
      let where = 'external_user_id > ?'
      if (since) {
        where +=
          ' AND (updated_at >= ? OR external_user_id IN (SELECT external_user_id FROM customer WHERE updated_at >= ?))'
        params.push(dbTime(this.kind, since), dbTime(this.kind, since))
      }
      const rows: Array<{ e: string }> = await this.db.query(
        `SELECT DISTINCT external_user_id AS e FROM customer_follow WHERE ${where} ORDER BY external_user_id LIMIT 1000`,
        params,
      )
      if (!rows.length) break
      const ids = rows.map((r) => r.e)
      await this.refreshMobiles(ids)
      bound.push(...(await this.bind({ externalUserIds: ids })))
      after = ids[ids.length - 1]
      if (rows.length < 1000) break
    }
    // Overlap a minute: a transaction that stamped updated_at just before this sweep may commit after it.
    this.followWatermark = new Date(startedAt.getTime() - 60_000)
    return [...new Set(bound)]
  }

  /** Binds the unbound orders in scope that match a customer by mobile or unionid; returns those customers. */
  async bind(scope: BindScope): Promise<string[]> {
    const byMobile: Candidate[] = []
    const byUnionid: Candidate[] = []
    if ('orderIds' in scope) {
      for (const ids of chunks(scope.orderIds)) {
        byMobile.push(
          ...(await this.db.query(
            `SELECT o.id AS id, cm.external_user_id AS externalUserId, cm.user_id AS userId
               FROM shop_order o JOIN customer_mobile cm ON cm.mobile = o.buyer_mobile
              WHERE o.id IN (${marks(ids.length)}) AND o.buyer_mobile IS NOT NULL AND o.external_user_id IS NULL`,
            ids,
          )),
        )
        byUnionid.push(
          ...(await this.db.query(
            `SELECT o.id AS id, c.external_user_id AS externalUserId
               FROM shop_order o JOIN customer c ON c.unionid = o.buyer_unionid
              WHERE o.id IN (${marks(ids.length)}) AND o.buyer_unionid IS NOT NULL AND o.external_user_id IS NULL`,
            ids,
          )),
        )
      }
    } else {
      for (const ids of chunks(scope.externalUserIds)) {
        byMobile.push(
          ...(await this.db.query(
            `SELECT o.id AS id, cm.external_user_id AS externalUserId, cm.user_id AS userId
               FROM customer_mobile cm JOIN shop_order o ON o.buyer_mobile = cm.mobile
              WHERE cm.external_user_id IN (${marks(ids.length)}) AND o.external_user_id IS NULL`,
            ids,
          )),
        )
        byUnionid.push(
          ...(await this.db.query(
            `SELECT o.id AS id, c.external_user_id AS externalUserId
               FROM customer c JOIN shop_order o ON o.buyer_unionid = c.unionid
              WHERE c.external_user_id IN (${marks(ids.length)}) AND c.unionid IS NOT NULL AND o.external_user_id IS NULL`,
            ids,
          )),
        )
      }
    }
    // Mobile first: it names the advisor whose remark holds the number. Several matches for one order
    // (a shared family number) go to the lowest (customer, advisor) so replays choose the same one.
    const pick = new Map<number, Candidate & { by: 'mobile' | 'unionid' }>()
    const better = (a: Candidate, b: Candidate) =>
      a.externalUserId < b.externalUserId ||
      (a.externalUserId === b.externalUserId && (a.userId ?? '') < (b.userId ?? ''))
    for (const c of byMobile) {
      const cur = pick.get(Number(c.id))
      if (!cur || better(c, cur)) pick.set(Number(c.id), { ...c, id: Number(c.id), by: 'mobile' })
    }
    const unionOnly = byUnionid.filter((c) => !pick.has(Number(c.id)))
    const credited = await this.creditedAdvisors([...new Set(unionOnly.map((c) => c.externalUserId))])
    for (const c of unionOnly) {
      const cur = pick.get(Number(c.id))
      const cand = {
        ...c,
        id: Number(c.id),
        userId: credited.get(c.externalUserId) ?? null,
        by: 'unionid' as const,
      }
      if (!cur || better(cand, cur)) pick.set(Number(c.id), cand)
    }
    return this.apply([...pick.values()])
  }

  /** The advisor credited for a unionid match: the customer's earliest active follow. */
  private async creditedAdvisors(externalUserIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    for (const ids of chunks(externalUserIds)) {
      const rows: Array<{ e: string; u: string }> = await this.db.query(
        `SELECT external_user_id AS e, user_id AS u FROM customer_follow
          WHERE external_user_id IN (${marks(ids.length)}) AND status = 'active' ORDER BY add_time, user_id`,
        ids,
      )
      for (const r of rows) if (!out.has(r.e)) out.set(r.e, r.u)
    }
    return out
  }

  /** One UPDATE per chunk of orders, whoever they go to (CASE per id), not one per customer. */
  private async apply(picks: Array<Candidate & { by: 'mobile' | 'unionid' }>): Promise<string[]> {
    const now = dbTime(this.kind, new Date())
    for (const part of chunks(picks)) {
      const cases = (get: (p: Candidate & { by: string }) => unknown) => {
        const params: unknown[] = []
        for (const p of part) params.push(p.id, get(p))
        return { sql: `CASE id ${part.map(() => 'WHEN ? THEN ?').join(' ')} END`, params }
      }
      const e = cases((p) => p.externalUserId)
      const u = cases((p) => p.userId)
      const b = cases((p) => p.by)
      // `external_user_id IS NULL` again: an advisor may have bound one of them meanwhile.
      await this.db.query(
        `UPDATE shop_order SET external_user_id = ${e.sql}, user_id = ${u.sql}, bound_by = ${b.sql}, bound_at = ?
          WHERE id IN (${marks(part.length)}) AND external_user_id IS NULL`,
        [...e.params, ...u.params, ...b.params, now, ...part.map((p) => p.id)],
      )
    }
    return [...new Set(picks.map((p) => p.externalUserId))]
  }

  /**
   * An advisor binds an order number to their customer (any source). 404 for an unknown number, 409 when
   * it is already someone else's; binding it to the same customer again is a no-op.
   */
  async bindByAdvisor(userId: string, externalUserId: string, orderNo: string): Promise<number[]> {
    const rows: Array<{ id: number; e: string | null }> = await this.db.query(
      'SELECT id, external_user_id AS e FROM shop_order WHERE order_no = ?',
      [orderNo.trim()],
    )
    if (!rows.length) throw notFound(`Order ${orderNo}`)
    if (rows.some((r) => r.e && r.e !== externalUserId))
      throw conflict('order_bound_elsewhere', `Order ${orderNo} is already bound to another customer`)
    const free = rows.filter((r) => !r.e).map((r) => Number(r.id))
    if (free.length)
      await this.db.query(
        `UPDATE shop_order SET external_user_id = ?, user_id = ?, bound_by = 'advisor', bound_at = ?
          WHERE id IN (${marks(free.length)}) AND external_user_id IS NULL`,
        [externalUserId, userId, dbTime(this.kind, new Date()), ...free],
      )
    const after: Array<{ id: number; e: string | null }> = await this.db.query(
      `SELECT id, external_user_id AS e FROM shop_order WHERE id IN (${marks(rows.length)})`,
      rows.map((r) => r.id),
    )
    if (after.some((r) => r.e !== externalUserId))
      throw conflict('order_bound_elsewhere', `Order ${orderNo} is already bound to another customer`)
    return rows.map((r) => Number(r.id))
  }
}
