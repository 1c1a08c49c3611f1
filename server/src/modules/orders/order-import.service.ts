// File imports: an upload is streamed to disk, previewed with the source's mapping, then read row by
// row in a background job that writes orders in batches and keeps counters the admin page polls.
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import type { FastifyBaseLogger } from 'fastify'
import type { DataSource } from 'typeorm'
import type { ColumnMapping, ImportPreview, ImportReject, OrderField, OrderImport } from '@scrm/shared'
import { ORDER_FIELDS, REQUIRED_ORDER_FIELDS } from '@scrm/shared'
import { AppError, badRequest, notFound } from '../../lib/errors.ts'
import { kindOf, previewRows, readRows, type FileKind } from './order-files.ts'
import { OrderImportEntity, OrderImportRejectEntity, type OrderImportRow } from './order.entity.ts'
import { OrderStore, ProductMatcher } from './order-store.ts'
import type { OrderSourceService } from './order-source.service.ts'
import {
  type OrderDraft,
  type OrderLineDraft,
  RowError,
  guessMapping,
  normalizeMobile,
  orderFingerprint,
  parseCoupon,
  parseOrderTime,
  parseQuantity,
  parseStatus,
  parseYuan,
  text,
} from './order-values.ts'

/** Rejected rows kept per import for the report (the counter keeps counting past it). */
export const MAX_STORED_REJECTS = 5000
const BATCH_ORDERS = 500
const UPLOAD_TTL_MS = 24 * 3600_000

// Per order number, for the whole file: a fingerprint of its header fields and what became of it.
// Packed in one number (fingerprint * 4 + state) so 100k orders cost a few MB, not objects each.
const PENDING = 0
const INSERTED = 1
const DUPLICATE = 2
const REJECTED = 3

interface PendingOrder {
  draft: OrderDraft
  firstRow: number
  rows: number[]
  /** Set when one of its rows was rejected: the whole order is then rejected with it. */
  poisonedBy: { row: number; reason: string } | null
}

export type OnOrdersStored = (orderIds: number[]) => Promise<void>

export class OrderImportService {
  private readonly running = new Set<Promise<void>>()
  private readonly store: OrderStore

  constructor(
    private readonly db: DataSource,
    private readonly sources: OrderSourceService,
    private readonly uploadDir: string,
    private readonly log: FastifyBaseLogger,
    private readonly onStored: OnOrdersStored,
  ) {
    this.store = new OrderStore(db)
  }

  // ── uploads ──

  async saveUpload(
    fileName: string,
    stream: Readable,
  ): Promise<{ uploadId: string; fileKind: FileKind; bytes: number }> {
    const fileKind = kindOf(fileName)
    if (!fileKind) {
      stream.resume()
      throw badRequest('unsupported_file', 'Upload a .csv or .xlsx file')
    }
    await mkdir(this.uploadDir, { recursive: true })
    void this.cleanOldUploads()
    const uploadId = randomBytes(16).toString('hex')
    const path = this.pathOf(uploadId, fileKind)
    await pipeline(stream, createWriteStream(path))
    if ((stream as Readable & { truncated?: boolean }).truncated) {
      await rm(path, { force: true })
      throw new AppError(413, 'file_too_large', 'The file is larger than the upload limit')
    }
    return { uploadId, fileKind, bytes: (await stat(path)).size }
  }

  async preview(uploadId: string, sourceId: number): Promise<ImportPreview> {
    const source = await this.sources.get(sourceId)
    const { path, kind } = await this.findUpload(uploadId)
    const { headers, rows } = await previewRows(path, kind, 20)
    const saved = this.sources.mappingOf(source)
    const mappingSaved = Object.keys(saved).length > 0
    return { headers, rows, mapping: mappingSaved ? saved : guessMapping(headers), mappingSaved }
  }

  // ── import runs ──

  async start(
    sourceId: number,
    uploadId: string,
    fileName: string,
    mapping: ColumnMapping | undefined,
    by: string,
  ) {
    const source = await this.sources.get(sourceId)
    if (mapping) await this.sources.saveMapping(sourceId, mapping)
    const effective = mapping ?? this.sources.mappingOf(source)
    const missing = REQUIRED_ORDER_FIELDS.filter((f) => !effective[f])
    if (missing.length) throw badRequest('mapping_incomplete', `Map a column to: ${missing.join(', ')}`)
    const { path, kind } = await this.findUpload(uploadId)
    const repo = this.db.getRepository(OrderImportEntity)
    const run = await repo.save({
      sourceId,
      fileName: fileName.slice(0, 255),
      fileKind: kind,
      status: 'queued',
      fileBytes: (await stat(path)).size,
      bytesRead: 0,
      rowsRead: 0,
      ordersInserted: 0,
      duplicates: 0,
      rejected: 0,
      error: null,
      createdBy: by.slice(0, 64),
      createdAt: new Date(),
      finishedAt: null,
    })
    const job = this.run(run, path, kind, effective)
      .catch(async (err) => {
        this.log.error({ err, importId: run.id }, 'order import failed')
        await repo.update(run.id, {
          status: 'failed',
          error: String((err as Error)?.message ?? err).slice(0, 2000),
          finishedAt: new Date(),
        })
      })
      .finally(() => {
        this.running.delete(job)
        void rm(path, { force: true })
      })
    this.running.add(job)
    return toDto(run)
  }

  /** Waits for the running imports (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running])
  }

  /**
   * Imports left 'running' by a process that died are failed, so the page doesn't poll forever. Only
   * those over an hour old: another instance may be running a young one (100k rows take seconds).
   */
  async failInterrupted(): Promise<void> {
    await this.db
      .getRepository(OrderImportEntity)
      .createQueryBuilder()
      .update()
      .set({
        status: 'failed',
        error: 'Interrupted by a server restart; upload the file again',
        finishedAt: new Date(),
      })
      .where('status IN (:...s)', { s: ['queued', 'running'] })
      .andWhere('created_at < :t', { t: new Date(Date.now() - 3600_000) })
      .execute()
  }

  async get(id: number): Promise<OrderImport> {
    const row = await this.db.getRepository(OrderImportEntity).findOneBy({ id })
    if (!row) throw notFound(`Import ${id}`)
    return toDto(row)
  }

  async list(sourceId?: number): Promise<OrderImport[]> {
    const rows = await this.db
      .getRepository(OrderImportEntity)
      .find({ where: sourceId ? { sourceId } : {}, order: { id: 'DESC' }, take: 20 })
    return rows.map(toDto)
  }

  async rejects(importId: number, limit = 1000): Promise<ImportReject[]> {
    await this.get(importId)
    const rows = await this.db
      .getRepository(OrderImportRejectEntity)
      .find({ where: { importId }, order: { rowNo: 'ASC', id: 'ASC' }, take: limit })
    return rows.map((r) => ({ rowNo: r.rowNo, orderNo: r.orderNo, reason: r.reason }))
  }

  private async run(
    run: OrderImportRow,
    path: string,
    kind: FileKind,
    mapping: ColumnMapping,
  ): Promise<void> {
    const repo = this.db.getRepository(OrderImportEntity)
    const rejectRepo = this.db.getRepository(OrderImportRejectEntity)
    await repo.update(run.id, { status: 'running' })
    const counter = { bytes: 0 }
    const stats = { rowsRead: 0, ordersInserted: 0, duplicates: 0, rejected: 0 }
    const seen = new Map<string, number>()
    let batch = new Map<string, PendingOrder>()
    let stragglers: Array<{ orderNo: string; line: OrderLineDraft }> = []
    let rejects: Array<{ importId: number; rowNo: number; orderNo: string; reason: string }> = []
    let storedRejects = 0
    const products = await ProductMatcher.load(this.db)

    const reject = (rowNo: number, orderNo: string, reason: string) => {
      stats.rejected++
      if (storedRejects + rejects.length < MAX_STORED_REJECTS)
        rejects.push({ importId: run.id, rowNo, orderNo: orderNo.slice(0, 64), reason: reason.slice(0, 255) })
    }

    const flush = async () => {
      const good: OrderDraft[] = []
      for (const [no, p] of batch) {
        const fp = Math.floor(seen.get(no)! / 4)
        if (p.poisonedBy) {
          seen.set(no, fp * 4 + REJECTED)
          for (const r of p.rows)
            if (r !== p.poisonedBy.row) reject(r, no, `order ${no} has a rejected row ${p.poisonedBy.row}`)
          continue
        }
        good.push(p.draft)
      }
      if (good.length) {
        const res = await this.store.store(run.sourceId, good, products)
        for (const no of res.inserted.keys()) seen.set(no, Math.floor(seen.get(no)! / 4) * 4 + INSERTED)
        for (const no of res.duplicates) seen.set(no, Math.floor(seen.get(no)! / 4) * 4 + DUPLICATE)
        stats.ordersInserted += res.inserted.size
        stats.duplicates += res.duplicates.size
        if (res.inserted.size) await this.onStored([...res.inserted.values()])
      }
      if (stragglers.length) await this.store.appendItems(run.sourceId, stragglers, products)
      if (rejects.length) {
        for (let i = 0; i < rejects.length; i += 500) await rejectRepo.insert(rejects.slice(i, i + 500))
        storedRejects += rejects.length
      }
      batch = new Map()
      stragglers = []
      rejects = []
      await repo.update(run.id, { ...stats, bytesRead: counter.bytes })
    }

    let col: Partial<Record<OrderField, number>> | null = null
    let rowNo = 0
    for await (const cells of readRows(path, kind, counter)) {
      rowNo++
      if (!col) {
        const headers = cells.map((h) => h.trim())
        const unknown = ORDER_FIELDS.filter((f) => mapping[f] && !headers.includes(mapping[f]!))
        if (unknown.length) {
          const reason = `unknown columns in the mapping: ${unknown.map((f) => `${f} → '${mapping[f]}'`).join(', ')}`
          reject(1, '', reason)
          await rejectRepo.insert(rejects)
          await repo.update(run.id, { ...stats, status: 'failed', error: reason, finishedAt: new Date() })
          return
        }
        col = Object.fromEntries(
          ORDER_FIELDS.filter((f) => mapping[f]).map((f) => [f, headers.indexOf(mapping[f]!)]),
        ) as Partial<Record<OrderField, number>>
        continue
      }
      if (!cells.some((c) => c && c.trim())) continue
      stats.rowsRead++
      const cell = (f: OrderField) => (col![f] === undefined ? '' : (cells[col![f]!] ?? ''))
      const orderNo = cell('order_no').trim()
      let draft: OrderDraft
      let line: OrderLineDraft | null
      try {
        if (!orderNo) throw new RowError('missing order number')
        ;({ draft, line } = rowToOrder(orderNo, cell))
      } catch (err) {
        if (!(err instanceof RowError)) throw err
        reject(rowNo, orderNo, err.message)
        const pending = batch.get(orderNo)
        if (pending && !pending.poisonedBy) pending.poisonedBy = { row: rowNo, reason: err.message }
        else if (orderNo && !seen.has(orderNo)) {
          seen.set(orderNo, REJECTED)
        }
        continue
      }
      const fp = orderFingerprint(draft)
      const known = seen.get(orderNo)
      if (known === undefined) {
        if (batch.size >= BATCH_ORDERS) await flush()
        seen.set(orderNo, fp * 4 + PENDING)
        batch.set(orderNo, {
          draft: { ...draft, items: line ? [line] : [] },
          firstRow: rowNo,
          rows: [rowNo],
          poisonedBy: null,
        })
        continue
      }
      const state = known % 4
      if (state === REJECTED) {
        reject(rowNo, orderNo, `order ${orderNo} was rejected at an earlier row`)
        continue
      }
      if (Math.floor(known / 4) !== fp) {
        const first = batch.get(orderNo)?.firstRow
        reject(
          rowNo,
          orderNo,
          `duplicate order number ${orderNo} with different order fields${first ? ` (first at row ${first})` : ''}`,
        )
        continue
      }
      // Another line of an order we have: in the batch, or already written by this import.
      const pending = batch.get(orderNo)
      if (pending) {
        pending.rows.push(rowNo)
        if (line) pending.draft.items.push(line)
      } else if (state === INSERTED && line) stragglers.push({ orderNo, line })
    }
    if (!col) throw badRequest('empty_file', 'The file has no header row')
    await flush()
    await repo.update(run.id, { ...stats, bytesRead: counter.bytes, status: 'done', finishedAt: new Date() })
  }

  // ── files ──

  private pathOf(uploadId: string, kind: FileKind) {
    return join(this.uploadDir, `${uploadId}.${kind}`)
  }

  private async findUpload(uploadId: string): Promise<{ path: string; kind: FileKind }> {
    if (!/^[a-f0-9]{32}$/.test(uploadId)) throw notFound('Upload')
    for (const kind of ['csv', 'xlsx'] as const) {
      const path = this.pathOf(uploadId, kind)
      if (
        await stat(path).then(
          () => true,
          () => false,
        )
      )
        return { path, kind }
    }
    throw notFound('Upload')
  }

  private async cleanOldUploads() {
    const names = await readdir(this.uploadDir).catch(() => [] as string[])
    for (const n of names) {
      const p = join(this.uploadDir, n)
      const s = await stat(p).catch(() => null)
      if (s && Date.now() - s.mtimeMs > UPLOAD_TTL_MS) await rm(p, { force: true })
    }
  }
}

/** One file row: the order's fields and, when the row names a product, its line. */
function rowToOrder(
  orderNo: string,
  cell: (f: OrderField) => string,
): { draft: OrderDraft; line: OrderLineDraft | null } {
  const draft: OrderDraft = {
    orderNo: text(orderNo, 'order number', 64),
    orderedAt: parseOrderTime(cell('ordered_at')),
    buyerMobile: normalizeMobile(cell('buyer_mobile')),
    buyerUnionid: text(cell('buyer_unionid'), 'unionid', 64) || null,
    buyerName: text(cell('buyer_name'), 'buyer name', 64),
    totalCents: parseYuan(cell('total'), 'total'),
    discountCents: parseYuan(cell('discount'), 'discount', 0),
    couponUsed: parseCoupon(cell('coupon')),
    status: parseStatus(cell('status')),
    items: [],
  }
  const sku = text(cell('sku'), 'sku', 64)
  const productName = text(cell('product_name'), 'product name', 128)
  const line =
    sku || productName
      ? {
          sku,
          productName: productName || sku,
          quantity: parseQuantity(cell('quantity')),
          amountCents: parseYuan(cell('line_amount'), 'line amount', 0),
        }
      : null
  return { draft, line }
}

function toDto(r: OrderImportRow): OrderImport {
  return {
    id: r.id,
    sourceId: r.sourceId,
    fileName: r.fileName,
    fileKind: r.fileKind,
    status: r.status,
    fileBytes: r.fileBytes,
    bytesRead: r.bytesRead,
    rowsRead: r.rowsRead,
    ordersInserted: r.ordersInserted,
    duplicates: r.duplicates,
    rejected: r.rejected,
    error: r.error,
    createdAt: new Date(r.createdAt).toISOString(),
    finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
  }
}
