// Order sources (shops): name, column mapping for file imports, and the push API key, kept only as
// its sha256 so a leaked database doesn't leak working keys.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { DataSource } from 'typeorm'
import type { ColumnMapping, OrderSource, OrderSourceWithKey } from '@scrm/shared'
import { ORDER_FIELDS } from '@scrm/shared'
import { AppError, conflict, notFound } from '../../lib/errors.ts'
import { OrderSourceEntity, type OrderSourceRow } from './order.entity.ts'

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/** 'ok_' + 40 hex characters; the first 10 characters are shown in the console to tell keys apart. */
const newKey = () => `ok_${randomBytes(20).toString('hex')}`

export class OrderSourceService {
  constructor(private readonly db: DataSource) {}

  private get repo() {
    return this.db.getRepository(OrderSourceEntity)
  }

  async list(): Promise<OrderSource[]> {
    const rows = await this.repo.find({ order: { id: 'ASC' } })
    const counts: Array<{ sourceId: number; n: number }> = await this.db.query(
      'SELECT source_id AS sourceId, COUNT(*) AS n FROM shop_order GROUP BY source_id',
    )
    const byId = new Map(counts.map((c) => [Number(c.sourceId), Number(c.n)]))
    return rows.map((r) => this.toDto(r, byId.get(r.id) ?? 0))
  }

  async get(id: number): Promise<OrderSourceRow> {
    const row = await this.repo.findOneBy({ id })
    if (!row) throw notFound(`Order source ${id}`)
    return row
  }

  async create(name: string): Promise<OrderSourceWithKey> {
    const trimmed = name.trim()
    if (await this.repo.findOneBy({ name: trimmed }))
      throw conflict('name_taken', `A source named ${trimmed} exists`)
    const key = newKey()
    const now = new Date()
    const row = await this.repo.save({
      name: trimmed,
      apiKeyHash: sha256(key),
      apiKeyPrefix: key.slice(0, 10),
      columnMapping: '{}',
      createdAt: now,
      updatedAt: now,
    })
    return { ...this.toDto(row, 0), apiKey: key }
  }

  /** A new key; the old one stops working at once. */
  async rotateKey(id: number): Promise<OrderSourceWithKey> {
    const row = await this.get(id)
    const key = newKey()
    row.apiKeyHash = sha256(key)
    row.apiKeyPrefix = key.slice(0, 10)
    row.updatedAt = new Date()
    await this.repo.save(row)
    return { ...(await this.dtoWithCount(row)), apiKey: key }
  }

  async saveMapping(id: number, mapping: ColumnMapping): Promise<OrderSource> {
    const row = await this.get(id)
    const clean: ColumnMapping = {}
    for (const f of ORDER_FIELDS) {
      const v = mapping[f]?.trim()
      if (v) clean[f] = v
    }
    row.columnMapping = JSON.stringify(clean)
    row.updatedAt = new Date()
    await this.repo.save(row)
    return this.dtoWithCount(row)
  }

  mappingOf(row: OrderSourceRow): ColumnMapping {
    try {
      return JSON.parse(row.columnMapping || '{}') as ColumnMapping
    } catch {
      return {}
    }
  }

  /**
   * The source a push request's bearer key belongs to. Every stored hash is compared with
   * timingSafeEqual and without stopping early, so the response time says nothing about the key.
   */
  async authenticate(authorization: string | undefined): Promise<OrderSourceRow> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    const given = Buffer.from(sha256(m?.[1] ?? ''), 'hex')
    const rows = await this.repo.find()
    let found: OrderSourceRow | null = null
    for (const r of rows) {
      const stored = Buffer.from(r.apiKeyHash, 'hex')
      if (stored.length === given.length && timingSafeEqual(stored, given) && m) found = r
    }
    if (!found)
      throw new AppError(401, 'invalid_api_key', 'Missing or wrong API key (Authorization: Bearer <key>)')
    return found
  }

  private async dtoWithCount(row: OrderSourceRow): Promise<OrderSource> {
    const [c] = await this.db.query('SELECT COUNT(*) AS n FROM shop_order WHERE source_id = ?', [row.id])
    return this.toDto(row, Number(c?.n ?? 0))
  }

  private toDto(r: OrderSourceRow, orderCount: number): OrderSource {
    return {
      id: r.id,
      name: r.name,
      apiKeyPrefix: r.apiKeyPrefix,
      mapping: this.mappingOf(r),
      orderCount,
      createdAt: new Date(r.createdAt).toISOString(),
      updatedAt: new Date(r.updatedAt).toISOString(),
    }
  }
}
