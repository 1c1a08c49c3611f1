// Shared bits of the benchmarks: a throwaway MySQL database, the server process, bulk inserts, sealed
// callbacks, admin login, stats.
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import mysql from 'mysql2/promise'
import { PROCESS_CRYPTO, sealedTagEvent, startServerProcess } from '../server/test/helpers/server-process.ts'

export const ROOT = resolve(import.meta.dirname, '..')
export const MYSQL_ADMIN = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'
export const BENCH_CRYPTO = PROCESS_CRYPTO

export async function throwawayMysql(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `scrm_bench_${randomBytes(4).toString('hex')}`
  const admin = new URL(MYSQL_ADMIN)
  const connect = () =>
    mysql.createConnection({
      host: admin.hostname,
      port: Number(admin.port || 3306),
      user: decodeURIComponent(admin.username),
      password: decodeURIComponent(admin.password),
    })
  const c = await connect()
  await c.query(`CREATE DATABASE \`${name}\``)
  await c.end()
  const url = new URL(MYSQL_ADMIN)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const d = await connect()
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``)
      await d.end()
    },
  }
}

export const sealedTagEvents = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => sealedTagEvent(`${prefix}${i}`))

/** The server in a child process; BENCH_PROFILE=1 writes a CPU profile to /tmp/prof. */
export function startServer(env: Record<string, string>) {
  return startServerProcess(env, process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [])
}

/** The server on `port` and `databaseUrl` with WeCom out of reach and no workers: the app's own API only. */
export function startOfflineServer(port: string, databaseUrl: string, env: Record<string, string> = {}) {
  return startServer({
    PORT: port,
    DATABASE_URL: databaseUrl,
    WECOM_SIMULATOR: 'false',
    WECOM_API_BASE: 'http://127.0.0.1:9',
    WORKERS: 'false',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...env,
  })
}

/** Logs in to the admin API at `base` and returns the Cookie header to send. */
export async function adminLogin(base: string, credentials: { username: string; password: string }) {
  const res = await fetch(`${base}/api/admin/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  })
  if (!res.ok) throw new Error(`admin login: ${res.status} ${await res.text()}`)
  return (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ')
}

/** Inserts `rows` into `table` in batches of 5,000 (one multi-row INSERT each). */
export async function insertRows(c: mysql.Connection, table: string, cols: string[], rows: unknown[][]) {
  for (let i = 0; i < rows.length; i += 5000) {
    await c.query(`INSERT INTO \`${table}\` (${cols.map((x) => `\`${x}\``).join(',')}) VALUES ?`, [
      rows.slice(i, i + 5000),
    ])
  }
}

/** Columns of the directory mirror's tables, in the order the benches fill them. */
export const CUSTOMER_COLUMNS = [
  'external_user_id',
  'name',
  'avatar',
  'type',
  'gender',
  'created_at',
  'updated_at',
]
export const FOLLOW_COLUMNS = [
  'external_user_id',
  'user_id',
  'remark',
  'description',
  'remark_mobiles',
  'add_time',
  'add_way',
  'state',
  'status',
  'updated_at',
]

/** The p-th percentile of ascending `sorted` (NaN when empty). */
export const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN

export const fmt = (n: number, d = 1) => n.toFixed(d)
