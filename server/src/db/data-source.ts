import { mkdirSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { DataSource, type DataSourceOptions } from 'typeorm'
import { migrations } from '@scrm/migrations'
import { entities } from './entities.ts'

const ROOT = resolve(import.meta.dirname, '../../..')

export type DbKind = 'mysql' | 'sqlite'

export function dbKindOf(url: string): DbKind {
  return url.startsWith('sqlite:') ? 'sqlite' : 'mysql'
}

/** Resolves `sqlite:./data/x.sqlite` against the repository root, so it does not depend on the cwd. */
export function sqlitePath(url: string): string {
  const p = url.slice('sqlite:'.length)
  if (p === ':memory:') return p
  return isAbsolute(p) ? p : resolve(ROOT, p)
}

export function createDataSource(url: string, opts: { poolSize?: number } = {}): DataSource {
  const common = { entities, migrations, synchronize: false, migrationsTransactionMode: 'each' as const }
  let options: DataSourceOptions
  if (dbKindOf(url) === 'sqlite') {
    const database = sqlitePath(url)
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true })
    options = {
      ...common,
      type: 'better-sqlite3',
      database,
      enableWAL: true,
      // Concurrent writers (callbacks, dispatcher, sync) wait for the lock instead of failing at once.
      timeout: 10_000,
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('synchronous = NORMAL')
        db.pragma('foreign_keys = ON')
      },
    }
  } else {
    options = {
      ...common,
      type: 'mysql',
      url: url.replace(/^mariadb:/, 'mysql:'),
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      poolSize: opts.poolSize ?? 20,
      supportBigNumbers: true,
    }
  }
  return new DataSource(options)
}

/** Raw-SQL dialect differences kept in one place. */
export function insertIgnore(kind: DbKind): string {
  return kind === 'mysql' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO'
}

/**
 * The generated id of a single-row INSERT run with `updateEntity(false)` (which skips TypeORM's
 * read-back SELECT on MySQL): mysql2 reports `insertId`, better-sqlite3 the last rowid.
 */
export function insertedId(raw: unknown): number {
  const id = typeof raw === 'object' && raw !== null ? (raw as { insertId?: unknown }).insertId : raw
  const n = Number(id)
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`no generated id in the insert result`)
  return n
}
