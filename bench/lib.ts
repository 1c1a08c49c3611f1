// Shared bits of the benchmarks: a throwaway MySQL database, the server process, sealed callbacks, stats.
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

export const fmt = (n: number, d = 1) => n.toFixed(d)
