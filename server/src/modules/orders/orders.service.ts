// Orders in: the push API, binding, and the reads behind the console and the sidebar. Other modules
// (segments, reminders) learn about new and newly bound orders through onOrderChanged.
import type { FastifyBaseLogger } from 'fastify'
import type { DataSource } from 'typeorm'
import type {
  CustomerOrders,
  OrderItem,
  OrderListQuery,
  OrderPage,
  PushResult,
  ShopOrder,
} from '@scrm/shared'
import { PUSH_ORDER_LIMIT } from '@scrm/shared'
import { AppError } from '../../lib/errors.ts'
import { OrderBinder } from './order-binding.ts'
import { OrderStore, ProductMatcher, dbTime, readTime, sqlKind } from './order-store.ts'
import {
  type OrderDraft,
  RowError,
  normalizeMobile,
  orderFingerprint,
  parseOrderTime,
  text,
} from './order-values.ts'

export type OrderChangedListener = (externalUserIds: string[]) => Promise<void>

const SHANGHAI_OFFSET_MS = 8 * 3600_000
const CUSTOMER_ORDER_LIMIT = 50

export class OrdersService {
  readonly binder: OrderBinder
  private readonly store: OrderStore
  private readonly listeners: OrderChangedListener[] = []

  constructor(
    private readonly db: DataSource,
    private readonly log: FastifyBaseLogger,
  ) {
    this.binder = new OrderBinder(db)
    this.store = new OrderStore(db)
  }

  /** Called with the customers whose orders changed (new orders bound to them, or orders newly bound). */
  onOrderChanged(listener: OrderChangedListener): void {
    this.listeners.push(listener)
  }

  async emitChanged(externalUserIds: string[]): Promise<void> {
    const ids = [...new Set(externalUserIds)].filter(Boolean)
    if (!ids.length) return
    for (const l of this.listeners) {
      try {
        await l(ids)
      } catch (err) {
        // A subscriber's failure must not undo or fail the order write; it can recompute later.
        this.log.error({ err }, 'onOrderChanged listener failed')
      }
    }
  }

  /** After orders were inserted: bind what matches a known customer, and tell the subscribers. */
  async afterInsert(orderIds: number[]): Promise<void> {
    if (!orderIds.length) return
    await this.emitChanged(await this.binder.bind({ orderIds }))
  }

  /** Customers changed (callback or sync): re-read their mobiles and bind orders waiting for them. */
  async customersChanged(externalUserIds: string[]): Promise<void> {
    await this.binder.refreshMobiles(externalUserIds)
    await this.emitChanged(await this.binder.bind({ externalUserIds }))
  }

  async sweep(): Promise<void> {
    await this.emitChanged(await this.binder.sweep())
  }

  async bindByAdvisor(userId: string, externalUserId: string, orderNo: string): Promise<void> {
    await this.binder.bindByAdvisor(userId, externalUserId, orderNo)
    await this.emitChanged([externalUserId])
  }

  // ── push API ──

  async push(sourceId: number, orders: unknown[]): Promise<PushResult> {
    if (orders.length > PUSH_ORDER_LIMIT)
      throw new AppError(
        413,
        'too_many_orders',
        `At most ${PUSH_ORDER_LIMIT} orders per request (got ${orders.length}); split the batch`,
      )
    const rejected: PushResult['rejected'] = []
    const drafts: OrderDraft[] = []
    const byNo = new Map<string, { fp: number; index: number }>()
    let duplicates = 0
    orders.forEach((raw, index) => {
      const orderNo =
        typeof (raw as { orderNo?: unknown })?.orderNo === 'string'
          ? (raw as { orderNo: string }).orderNo
          : null
      try {
        const d = pushedOrder(raw)
        const prev = byNo.get(d.orderNo)
        if (prev) {
          if (prev.fp !== orderFingerprint(d))
            throw new RowError(
              `duplicate orderNo ${d.orderNo} with different content (first at index ${prev.index})`,
            )
          duplicates++
          return
        }
        byNo.set(d.orderNo, { fp: orderFingerprint(d), index })
        drafts.push(d)
      } catch (err) {
        if (!(err instanceof RowError)) throw err
        rejected.push({ index, orderNo, reason: err.message })
      }
    })
    const res = await this.store.store(sourceId, drafts, await ProductMatcher.load(this.db))
    await this.afterInsert([...res.inserted.values()])
    return { inserted: res.inserted.size, duplicates: duplicates + res.duplicates.size, rejected }
  }

  // ── reads ──

  async list(q: OrderListQuery): Promise<OrderPage> {
    const kind = sqlKind(this.db)
    const where: string[] = []
    const params: unknown[] = []
    if (q.sourceId) {
      where.push('o.source_id = ?')
      params.push(q.sourceId)
    }
    if (q.bound === 'bound') where.push('o.external_user_id IS NOT NULL')
    if (q.bound === 'unbound') where.push('o.external_user_id IS NULL')
    if (q.from) {
      where.push('o.ordered_at >= ?')
      params.push(dbTime(kind, new Date(Date.parse(`${q.from}T00:00:00Z`) - SHANGHAI_OFFSET_MS)))
    }
    if (q.to) {
      where.push('o.ordered_at < ?')
      params.push(dbTime(kind, new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000 - SHANGHAI_OFFSET_MS)))
    }
    const term = q.q?.trim()
    if (term) {
      const mobile = normalizeMobile(term)
      if (mobile && /^[\d\s+-]{7,}$/.test(term)) {
        where.push("(o.buyer_mobile = ? OR o.order_no LIKE ? ESCAPE '!')")
        params.push(mobile, `${escapeLike(term)}%`)
      } else {
        where.push("o.order_no LIKE ? ESCAPE '!'")
        params.push(`${escapeLike(term)}%`)
      }
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : ''
    const [{ n }] = await this.db.query(`SELECT COUNT(*) AS n FROM shop_order o ${w}`, params)
    const rows = await this.db.query(
      `${SELECT_ORDER} ${w} ORDER BY o.ordered_at DESC, o.id DESC LIMIT ? OFFSET ?`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    )
    return { items: await this.withItems(rows), total: Number(n) }
  }

  /**
   * When this customer last paid for an order: orders bound to them, or, for a contact just added whose
   * orders still wait unbound, orders carrying their unionid. The welcome's gift window reads this.
   */
  async lastPaidOrderAt(customer: { externalUserId: string; unionid: string | null }): Promise<Date | null> {
    const byUnionid = customer.unionid
      ? ` UNION ALL SELECT MAX(ordered_at) AS t FROM shop_order WHERE buyer_unionid = ? AND status = 'paid'`
      : ''
    const [row] = await this.db.query(
      `SELECT MAX(t) AS lastAt FROM (
         SELECT MAX(ordered_at) AS t FROM shop_order WHERE external_user_id = ? AND status = 'paid'${byUnionid}
       ) latest`,
      customer.unionid ? [customer.externalUserId, customer.unionid] : [customer.externalUserId],
    )
    return row?.lastAt ? readTime(row.lastAt) : null
  }

  async ofCustomer(externalUserId: string): Promise<CustomerOrders> {
    const [rows, [t]] = await Promise.all([
      this.db.query(
        `${SELECT_ORDER} WHERE o.external_user_id = ? ORDER BY o.ordered_at DESC, o.id DESC LIMIT ?`,
        [externalUserId, CUSTOMER_ORDER_LIMIT],
      ),
      this.db.query(
        `SELECT COUNT(*) AS count,
                COALESCE(SUM(CASE WHEN status = 'paid' THEN total_cents ELSE 0 END), 0) AS paid,
                SUM(CASE WHEN status = 'refunded' THEN 1 ELSE 0 END) AS refunded,
                MAX(ordered_at) AS lastAt
           FROM shop_order WHERE external_user_id = ?`,
        [externalUserId],
      ),
    ])
    return {
      items: await this.withItems(rows),
      totals: {
        count: Number(t.count),
        paidCents: Number(t.paid ?? 0),
        refundedCount: Number(t.refunded ?? 0),
        lastOrderAt: t.lastAt ? readTime(t.lastAt).toISOString() : null,
      },
    }
  }

  private async withItems(rows: OrderRow[]): Promise<ShopOrder[]> {
    const ids = rows.map((r) => Number(r.id))
    const items = new Map<number, OrderItem[]>()
    if (ids.length) {
      const lines: Array<OrderItem & { orderId: number }> = await this.db.query(
        `SELECT order_id AS orderId, sku, product_name AS productName, product_id AS productId,
                quantity, amount_cents AS amountCents
           FROM shop_order_item WHERE order_id IN (${ids.map(() => '?').join(',')}) ORDER BY id`,
        ids,
      )
      for (const l of lines) {
        const list = items.get(Number(l.orderId)) ?? []
        list.push({
          sku: l.sku,
          productName: l.productName,
          productId: l.productId === null ? null : Number(l.productId),
          quantity: Number(l.quantity),
          amountCents: Number(l.amountCents),
        })
        items.set(Number(l.orderId), list)
      }
    }
    return rows.map((r) => ({
      id: Number(r.id),
      sourceId: Number(r.sourceId),
      sourceName: r.sourceName ?? '',
      orderNo: r.orderNo,
      orderedAt: readTime(r.orderedAt).toISOString(),
      totalCents: Number(r.totalCents),
      discountCents: Number(r.discountCents),
      couponUsed: !!Number(r.couponUsed),
      status: r.status,
      buyerName: r.buyerName ?? '',
      buyerMobile: r.buyerMobile,
      buyerUnionid: r.buyerUnionid,
      externalUserId: r.externalUserId,
      customerName: r.customerName,
      userId: r.userId,
      boundBy: r.boundBy as ShopOrder['boundBy'],
      boundAt: r.boundAt ? readTime(r.boundAt).toISOString() : null,
      items: items.get(Number(r.id)) ?? [],
    }))
  }
}

interface OrderRow {
  id: number
  sourceId: number
  sourceName: string | null
  orderNo: string
  orderedAt: unknown
  totalCents: number
  discountCents: number
  couponUsed: number | boolean
  status: string
  buyerName: string | null
  buyerMobile: string | null
  buyerUnionid: string | null
  externalUserId: string | null
  customerName: string | null
  userId: string | null
  boundBy: string | null
  boundAt: unknown
}

const SELECT_ORDER = `SELECT o.id, o.source_id AS sourceId, s.name AS sourceName, o.order_no AS orderNo,
  o.ordered_at AS orderedAt, o.total_cents AS totalCents, o.discount_cents AS discountCents,
  o.coupon_used AS couponUsed, o.status, o.buyer_name AS buyerName, o.buyer_mobile AS buyerMobile,
  o.buyer_unionid AS buyerUnionid, o.external_user_id AS externalUserId, c.name AS customerName,
  o.user_id AS userId, o.bound_by AS boundBy, o.bound_at AS boundAt
  FROM shop_order o LEFT JOIN order_source s ON s.id = o.source_id
  LEFT JOIN customer c ON c.external_user_id = o.external_user_id`

// '!' as the LIKE escape: SQLite has no default escape character and MySQL treats '\\' specially.
const escapeLike = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`)

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function yuan(v: unknown, what: string, dflt?: number): number {
  if (v === undefined || v === null) {
    if (dflt === undefined) throw new RowError(`missing ${what}`)
    return dflt
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RowError(`${what} must be a number (yuan)`)
  if (v < 0) throw new RowError(`negative ${what} ${v}`)
  const cents = Math.round(v * 100)
  if (cents > 2_000_000_000) throw new RowError(`${what} too large`)
  return cents
}

function optString(v: unknown, what: string, max: number): string {
  if (v === undefined || v === null) return ''
  if (typeof v !== 'string') throw new RowError(`${what} must be a string`)
  return text(v, what, max)
}

/** One pushed order, checked field by field so the reason names what's wrong. */
export function pushedOrder(raw: unknown): OrderDraft {
  if (!isObj(raw)) throw new RowError('not an object')
  const orderNo = optString(raw.orderNo, 'orderNo', 64)
  if (!orderNo) throw new RowError('missing orderNo')
  if (typeof raw.orderedAt !== 'string') throw new RowError('orderedAt must be a date-time string')
  const status = raw.status ?? 'paid'
  if (status !== 'paid' && status !== 'refunded') throw new RowError(`status must be paid or refunded`)
  if (raw.coupon !== undefined && typeof raw.coupon !== 'boolean')
    throw new RowError('coupon must be true or false')
  if (raw.items !== undefined && !Array.isArray(raw.items)) throw new RowError('items must be an array')
  const items = ((raw.items as unknown[] | undefined) ?? []).map((it, i) => {
    if (!isObj(it)) throw new RowError(`items[${i}] is not an object`)
    const sku = optString(it.sku, `items[${i}].sku`, 64)
    const productName = optString(it.productName, `items[${i}].productName`, 128) || sku
    if (!productName) throw new RowError(`items[${i}] needs a productName or sku`)
    const quantity = it.quantity ?? 1
    if (!Number.isInteger(quantity) || (quantity as number) < 1)
      throw new RowError(`items[${i}].quantity must be a positive integer`)
    return {
      sku,
      productName,
      quantity: quantity as number,
      amountCents: yuan(it.amount, `items[${i}].amount`, 0),
    }
  })
  return {
    orderNo,
    orderedAt: parseOrderTime(raw.orderedAt),
    buyerMobile: normalizeMobile(optString(raw.buyerMobile, 'buyerMobile', 32)),
    buyerUnionid: optString(raw.buyerUnionid, 'buyerUnionid', 64) || null,
    buyerName: optString(raw.buyerName, 'buyerName', 64),
    totalCents: yuan(raw.total, 'total'),
    discountCents: yuan(raw.discount, 'discount', 0),
    couponUsed: raw.coupon === true,
    status,
    items,
  }
}
