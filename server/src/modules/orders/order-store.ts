// Batch writes of orders, shared by file imports and the push API. Idempotent on (source, order_no):
// an order number already stored for the source is a duplicate and changes nothing.
import type { DataSource, EntityManager } from 'typeorm'
import { inTransaction } from '../../db/transaction.ts'
import type { OrderDraft, OrderLineDraft } from './order-values.ts'

export type SqlKind = 'mysql' | 'sqlite'

export const sqlKind = (db: DataSource): SqlKind =>
  db.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql'

/** A Date as a raw-SQL parameter: mysql2 takes Dates (UTC, timezone 'Z'); SQLite keeps TypeORM's text form. */
export const dbTime = (kind: SqlKind, d: Date): Date | string =>
  kind === 'sqlite' ? d.toISOString().replace('T', ' ').replace('Z', '') : d

/** A datetime read back through a raw query (a Date on MySQL, UTC text on SQLite). */
export const readTime = (v: unknown): Date =>
  v instanceof Date ? v : new Date(String(v).replace(' ', 'T') + (String(v).endsWith('Z') ? '' : 'Z'))

/**
 * Insert-or-skip on a unique key, per dialect. On MySQL `ON DUPLICATE KEY UPDATE id = id` rather than
 * INSERT IGNORE, which would also turn truncations and bad values into silent warnings.
 */
export function insertSkippingDuplicates(
  kind: SqlKind,
  table: string,
  cols: string[],
  rowCount: number,
): string {
  const row = `(${cols.map(() => '?').join(',')})`
  const values = Array.from({ length: rowCount }, () => row).join(',')
  const head = `INSERT INTO ${table} (${cols.join(',')}) VALUES ${values}`
  return kind === 'mysql' ? `${head} ON DUPLICATE KEY UPDATE id = id` : `${head} ON CONFLICT DO NOTHING`
}

const ORDER_COLS = [
  'source_id',
  'order_no',
  'buyer_mobile',
  'buyer_unionid',
  'buyer_name',
  'total_cents',
  'discount_cents',
  'coupon_used',
  'status',
  'ordered_at',
  'created_at',
]
const ITEM_COLS = ['order_id', 'product_id', 'sku', 'product_name', 'quantity', 'amount_cents']

/** Order lines to products of the library: by SKU, else by exact name. Loaded once per import/push. */
export class ProductMatcher {
  private constructor(
    private readonly bySku: Map<string, number>,
    private readonly byName: Map<string, number>,
  ) {}

  static async load(db: DataSource | EntityManager): Promise<ProductMatcher> {
    const rows: Array<{ id: number; sku: string | null; name: string }> = await db.query(
      'SELECT id, sku, name FROM product WHERE deleted_at IS NULL ORDER BY id',
    )
    const bySku = new Map<string, number>()
    const byName = new Map<string, number>()
    for (const r of rows) {
      if (r.sku && !bySku.has(r.sku)) bySku.set(r.sku, Number(r.id))
      if (!byName.has(r.name)) byName.set(r.name, Number(r.id))
    }
    return new ProductMatcher(bySku, byName)
  }

  match(line: OrderLineDraft): number | null {
    return (line.sku && this.bySku.get(line.sku)) || this.byName.get(line.productName) || null
  }
}

export interface StoreResult {
  /** Order id by order number, for the orders this call inserted. */
  inserted: Map<string, number>
  /** Order numbers the source already had. */
  duplicates: Set<string>
}

const ORDER_BATCH = 500
const ITEM_BATCH = 1000

export class OrderStore {
  readonly kind: SqlKind

  constructor(private readonly db: DataSource) {
    this.kind = sqlKind(db)
  }

  /** Stores new orders with their lines in one transaction; order numbers must be unique within `orders`. */
  async store(sourceId: number, orders: OrderDraft[], products: ProductMatcher): Promise<StoreResult> {
    const result: StoreResult = { inserted: new Map(), duplicates: new Set() }
    for (let i = 0; i < orders.length; i += ORDER_BATCH) {
      const part = await inTransaction(this.db, (m) =>
        this.storeBatch(m, sourceId, orders.slice(i, i + ORDER_BATCH), products),
      )
      for (const [k, v] of part.inserted) result.inserted.set(k, v)
      for (const k of part.duplicates) result.duplicates.add(k)
    }
    return result
  }

  private async storeBatch(
    m: EntityManager,
    sourceId: number,
    orders: OrderDraft[],
    products: ProductMatcher,
  ): Promise<StoreResult> {
    const nos = orders.map((o) => o.orderNo)
    const existing = await this.idsOf(m, sourceId, nos)
    const fresh = orders.filter((o) => !existing.has(o.orderNo))
    const inserted = new Map<string, number>()
    if (fresh.length) {
      const now = dbTime(this.kind, new Date())
      const params: unknown[] = []
      for (const o of fresh)
        params.push(
          sourceId,
          o.orderNo,
          o.buyerMobile,
          o.buyerUnionid,
          o.buyerName,
          o.totalCents,
          o.discountCents,
          o.couponUsed ? 1 : 0,
          o.status,
          dbTime(this.kind, o.orderedAt),
          now,
        )
      await m.query(insertSkippingDuplicates(this.kind, 'shop_order', ORDER_COLS, fresh.length), params)
      // Read the ids back; a number that raced in from elsewhere since the check above is left alone
      // (its lines belong to whoever inserted it): only rows without lines yet are ours.
      const ids = await this.idsOf(
        m,
        sourceId,
        fresh.map((o) => o.orderNo),
      )
      const withLines = new Set<number>(
        ids.size
          ? (
              await m.query(
                `SELECT DISTINCT order_id AS id FROM shop_order_item WHERE order_id IN (${[...ids.values()].map(() => '?').join(',')})`,
                [...ids.values()],
              )
            ).map((r: { id: number }) => Number(r.id))
          : [],
      )
      for (const o of fresh) {
        const id = ids.get(o.orderNo)
        if (id !== undefined && !withLines.has(id)) inserted.set(o.orderNo, id)
        else existing.set(o.orderNo, id ?? 0)
      }
      await this.insertItems(
        m,
        fresh.flatMap((o) =>
          inserted.has(o.orderNo) ? o.items.map((line) => ({ orderId: inserted.get(o.orderNo)!, line })) : [],
        ),
        products,
      )
    }
    return { inserted, duplicates: new Set(existing.keys()) }
  }

  /** Adds lines to orders stored earlier in the same import (an export that split an order's lines apart). */
  async appendItems(
    sourceId: number,
    lines: Array<{ orderNo: string; line: OrderLineDraft }>,
    products: ProductMatcher,
  ) {
    if (!lines.length) return
    await inTransaction(this.db, async (m) => {
      const ids = await this.idsOf(m, sourceId, [...new Set(lines.map((l) => l.orderNo))])
      await this.insertItems(
        m,
        lines.filter((l) => ids.has(l.orderNo)).map((l) => ({ orderId: ids.get(l.orderNo)!, line: l.line })),
        products,
      )
    })
  }

  private async insertItems(
    m: EntityManager,
    items: Array<{ orderId: number; line: OrderLineDraft }>,
    products: ProductMatcher,
  ) {
    for (let i = 0; i < items.length; i += ITEM_BATCH) {
      const part = items.slice(i, i + ITEM_BATCH)
      const params: unknown[] = []
      for (const { orderId, line } of part)
        params.push(
          orderId,
          products.match(line),
          line.sku,
          line.productName,
          line.quantity,
          line.amountCents,
        )
      const row = `(${ITEM_COLS.map(() => '?').join(',')})`
      await m.query(
        `INSERT INTO shop_order_item (${ITEM_COLS.join(',')}) VALUES ${part.map(() => row).join(',')}`,
        params,
      )
    }
  }

  private async idsOf(m: EntityManager, sourceId: number, orderNos: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>()
    if (!orderNos.length) return out
    const rows: Array<{ id: number; orderNo: string }> = await m.query(
      `SELECT id, order_no AS orderNo FROM shop_order WHERE source_id = ? AND order_no IN (${orderNos.map(() => '?').join(',')})`,
      [sourceId, ...orderNos],
    )
    for (const r of rows) out.set(r.orderNo, Number(r.id))
    return out
  }
}
