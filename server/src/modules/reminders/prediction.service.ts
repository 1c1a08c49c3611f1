// Run-out predictions per customer and product, materialised in runout_prediction so the daily scan
// finds who is due with one indexed query. Recomputed for a customer when their orders change (the
// orders module's onOrderChanged) or their cycle is edited, and for everyone by the daily scan.
import { In, type DataSource } from 'typeorm'
import type { RunoutPrediction } from '@scrm/shared'
import { inTransaction } from '../../db/transaction.ts'
import { badRequest, notFound } from '../../lib/errors.ts'
import { ProductEntity } from '../products/product.entity.ts'
import { CustomerCycleEntity, RunoutPredictionEntity, type RunoutPredictionRow } from './reminder.entity.ts'
import { DAY_MS, predictRunout, type Purchase } from './runout.ts'
import { chunk, hasTable, readTime } from './sql.ts'

interface ItemRow {
  ext: string
  productId: number | string
  orderedAt: unknown
  quantity: number | string
  cycleDays: number | string | null
  unitsPerOrder: number | string | null
  remindDaysBefore: number | string | null
  customCycle: number | string | null
}

export class PredictionService {
  private ordersReady = false

  constructor(private readonly db: DataSource) {}

  /** The orders tables come from another module's migration; until they exist there is nothing to predict. */
  private async hasOrders(): Promise<boolean> {
    if (!this.ordersReady) this.ordersReady = await hasTable(this.db, 'shop_order_item')
    return this.ordersReady
  }

  /** Recomputes (replaces) the predictions of these customers; returns how many predictions they have now. */
  async recomputeFor(externalUserIds: string[], now = new Date()): Promise<number> {
    const ids = [...new Set(externalUserIds.filter(Boolean))]
    if (ids.length === 0 || !(await this.hasOrders())) return 0
    let written = 0
    for (const part of chunk(ids, 500)) {
      const marks = part.map(() => '?').join(', ')
      const items: ItemRow[] = await this.db.query(
        `SELECT o.external_user_id AS ext, i.product_id AS productId, o.ordered_at AS orderedAt,
                i.quantity AS quantity, p.cycle_days AS cycleDays, p.units_per_order AS unitsPerOrder,
                p.remind_days_before AS remindDaysBefore, cc.cycle_days AS customCycle
           FROM shop_order o
           JOIN shop_order_item i ON i.order_id = o.id
           JOIN product p ON p.id = i.product_id AND p.deleted_at IS NULL
           LEFT JOIN customer_cycle cc ON cc.external_user_id = o.external_user_id AND cc.product_id = i.product_id
          WHERE o.status = 'paid' AND o.external_user_id IN (${marks})
            AND (p.cycle_days IS NOT NULL OR cc.cycle_days IS NOT NULL)`,
        part,
      )
      const groups = new Map<string, { purchases: Purchase[]; item: ItemRow }>()
      for (const it of items) {
        const key = `${it.ext}\u0000${it.productId}`
        const g = groups.get(key) ?? { purchases: [], item: it }
        g.purchases.push({ orderedAt: readTime(it.orderedAt)!, quantity: Number(it.quantity) })
        groups.set(key, g)
      }
      const rows: RunoutPredictionRow[] = []
      for (const { purchases, item } of groups.values()) {
        const cycle = Number(item.customCycle ?? item.cycleDays)
        const res = predictRunout(purchases, cycle, Number(item.unitsPerOrder ?? 1))
        if (!res) continue
        rows.push({
          externalUserId: item.ext,
          productId: Number(item.productId),
          lastOrderAt: res.lastOrderAt,
          runoutAt: res.runoutAt,
          remindAt: new Date(res.runoutAt.getTime() - Number(item.remindDaysBefore ?? 3) * DAY_MS),
          cycleDays: cycle,
          quantity: res.quantity,
          computedAt: now,
        })
      }
      await inTransaction(this.db, async (m) => {
        const repo = m.getRepository(RunoutPredictionEntity)
        await repo.delete({ externalUserId: In(part) })
        for (const rs of chunk(rows, 200)) await repo.insert(rs)
      })
      written += rows.length
    }
    return written
  }

  /** Recomputes every customer with orders (in pages) and drops predictions of customers without any. */
  async recomputeAll(now = new Date()): Promise<number> {
    if (!(await this.hasOrders())) return 0
    let after = ''
    let total = 0
    for (;;) {
      const page: { ext: string }[] = await this.db.query(
        `SELECT DISTINCT external_user_id AS ext FROM shop_order
          WHERE external_user_id IS NOT NULL AND external_user_id > ? ORDER BY external_user_id LIMIT 500`,
        [after],
      )
      if (page.length === 0) break
      total += await this.recomputeFor(
        page.map((p) => p.ext),
        now,
      )
      after = page.at(-1)!.ext
    }
    await this.db
      .getRepository(RunoutPredictionEntity)
      .createQueryBuilder()
      .delete()
      .where('computed_at < :now', { now })
      .execute()
    return total
  }

  async forCustomer(externalUserId: string): Promise<RunoutPrediction[]> {
    const rows = await this.db
      .getRepository(RunoutPredictionEntity)
      .find({ where: { externalUserId }, order: { runoutAt: 'ASC' } })
    if (rows.length === 0) return []
    const products = await this.db
      .getRepository(ProductEntity)
      .findBy({ id: In(rows.map((r) => r.productId)) })
    const custom = await this.db.getRepository(CustomerCycleEntity).findBy({ externalUserId })
    const byId = new Map(products.map((p) => [p.id, p]))
    const customIds = new Set(custom.map((c) => c.productId))
    return rows.map((r) => ({
      productId: r.productId,
      productName: byId.get(r.productId)?.name ?? '',
      lastOrderAt: r.lastOrderAt.toISOString(),
      runoutAt: r.runoutAt.toISOString(),
      remindAt: r.remindAt.toISOString(),
      cycleDays: r.cycleDays,
      productCycleDays: byId.get(r.productId)?.cycleDays ?? r.cycleDays,
      customCycle: customIds.has(r.productId),
      quantity: r.quantity,
    }))
  }

  /** Sets (or clears, with null) this customer's own cycle for a product and recomputes their predictions. */
  async setCycle(
    externalUserId: string,
    productId: number,
    cycleDays: number | null,
    by: string,
  ): Promise<RunoutPrediction[]> {
    const product = await this.db.getRepository(ProductEntity).findOneBy({ id: productId })
    if (!product || product.deletedAt) throw notFound('Product')
    const repo = this.db.getRepository(CustomerCycleEntity)
    if (cycleDays === null) await repo.delete({ externalUserId, productId })
    else {
      if (cycleDays < 1) throw badRequest('bad_cycle', 'The cycle must be at least 1 day')
      await repo.upsert({ externalUserId, productId, cycleDays, updatedBy: by, updatedAt: new Date() }, [
        'externalUserId',
        'productId',
      ])
    }
    await this.recomputeFor([externalUserId])
    return this.forCustomer(externalUserId)
  }
}
