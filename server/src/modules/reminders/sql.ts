// Raw-SQL helpers for the reminders module: datetime parameters and values differ between the drivers
// (SQLite keeps 'YYYY-MM-DD HH:MM:SS.SSS' UTC text, MySQL datetime(3) through a UTC connection).
import type { DataSource } from 'typeorm'

export const isSqlite = (db: DataSource) => db.options.type === 'better-sqlite3'

/** A Date as a bind parameter both drivers compare correctly with stored datetimes. */
export const sqlTime = (db: DataSource, d: Date): Date | string =>
  isSqlite(db) ? d.toISOString().replace('T', ' ').replace('Z', '') : d

/** A datetime read by a raw query (a string on SQLite, a Date on MySQL). */
export function readTime(v: unknown): Date | null {
  if (v === null || v === undefined || v === '') return null
  if (v instanceof Date) return v
  const s = String(v)
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`)
}

/** Whether a table exists (tables of modules built in parallel may not be there yet). */
export async function hasTable(db: DataSource, name: string): Promise<boolean> {
  const q = db.createQueryRunner()
  try {
    return await q.hasTable(name)
  } finally {
    await q.release()
  }
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
