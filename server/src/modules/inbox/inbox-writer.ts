import type { DataSource } from 'typeorm'
import { serialized } from '../../db/transaction.ts'
import { insertIgnore } from '../../db/data-source.ts'
import type { InboxStatus } from './inbox.entity.ts'

export interface NewInboxRow {
  hash: string
  event: string
  changeType: string
  entityKey: string
  payload: string
  status: Extract<InboxStatus, 'pending' | 'ignored'>
}

interface Waiting {
  row: NewInboxRow
  receivedAt: Date
  done: (err?: unknown) => void
}

/**
 * Durable write of accepted callbacks. Callbacks arriving together are written by one multi-row
 * `INSERT … IGNORE` (the unique hash drops WeCom's retries), and each request is acknowledged only
 * after its row is committed. Batching is what lets one MySQL take thousands of callbacks a second.
 */
export class InboxWriter {
  private queue: Waiting[] = []
  private flushing = 0
  private scheduled = false

  constructor(
    private readonly db: DataSource,
    private readonly onCommitted: () => void,
    private readonly maxBatch = 500,
    private readonly maxParallel = 4,
  ) {}

  write(row: NewInboxRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, receivedAt: new Date(), done: (err) => (err ? reject(err) : resolve()) })
      this.schedule()
    })
  }

  private schedule() {
    if (this.scheduled || this.flushing >= this.maxParallel || this.queue.length === 0) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      void this.flush()
    })
  }

  // One hand-written multi-row statement: the query builder's per-row work dominated this hot path.
  private insert(batch: Waiting[]) {
    const sqlite = this.db.options.type === 'better-sqlite3'
    const time = (d: Date) => (sqlite ? d.toISOString().replace('T', ' ').replace('Z', '') : d)
    const params: unknown[] = []
    for (const { row, receivedAt } of batch) {
      const t = time(receivedAt)
      params.push(
        row.hash,
        row.event,
        row.changeType,
        row.entityKey,
        row.payload,
        row.status,
        t,
        t,
        row.status === 'ignored' ? t : null,
      )
    }
    const values = batch.map(() => "(?, ?, ?, ?, ?, ?, 0, '', ?, ?, ?)").join(', ')
    return this.db.query(
      `${insertIgnore(sqlite ? 'sqlite' : 'mysql')} callback_inbox (hash, event, change_type, entity_key, payload, status, attempts, steps_done, next_attempt_at, received_at, processed_at) VALUES ${values}`,
      params,
    )
  }

  private async flush() {
    const batch = this.queue.splice(0, this.maxBatch)
    if (batch.length === 0) return
    this.flushing++
    this.schedule()
    try {
      await serialized(this.db, () => this.insert(batch))
      for (const w of batch) w.done()
      this.onCommitted()
    } catch (err) {
      for (const w of batch) w.done(err)
    } finally {
      this.flushing--
      this.schedule()
    }
  }
}
