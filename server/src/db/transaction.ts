import type { DataSource, EntityManager } from 'typeorm'

// TypeORM's SQLite driver shares one connection: two concurrent transactions would nest into each
// other, and a plain write issued meanwhile would join (and roll back with) someone else's transaction.
// On SQLite, transactions and the inbox writes that must never be rolled back take turns here.
const queues = new WeakMap<DataSource, Promise<unknown>>()

export function serialized<T>(db: DataSource, fn: () => Promise<T>): Promise<T> {
  if (db.options.type !== 'better-sqlite3') return fn()
  const prev = queues.get(db) ?? Promise.resolve()
  const next = prev.then(fn, fn)
  queues.set(
    db,
    next.catch(() => undefined),
  )
  return next
}

export function inTransaction<T>(db: DataSource, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  return serialized(db, () => db.transaction(fn))
}
