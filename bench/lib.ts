// Shared bits of the benchmarks: throwaway databases, a server child process, sealed callbacks, stats.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import mysql from 'mysql2/promise'
import { sealCallback } from '../server/src/wecom/crypto.ts'

export const ROOT = resolve(import.meta.dirname, '..')
export const MYSQL_ADMIN = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

export const BENCH_CORP = {
  WECOM_CORP_ID: 'wwbenchcorp000001',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'bench-secret',
  WECOM_CALLBACK_TOKEN: 'benchtoken',
  WECOM_CALLBACK_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
}
export const BENCH_CRYPTO = { token: BENCH_CORP.WECOM_CALLBACK_TOKEN, encodingAesKey: BENCH_CORP.WECOM_CALLBACK_AES_KEY, receiveId: BENCH_CORP.WECOM_CORP_ID }

export async function throwawayMysql(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `scrm_bench_${randomBytes(4).toString('hex')}`
  const admin = new URL(MYSQL_ADMIN)
  const connect = () => mysql.createConnection({ host: admin.hostname, port: Number(admin.port || 3306), user: decodeURIComponent(admin.username), password: decodeURIComponent(admin.password) })
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

/** A tag-change event: handled by the product (refreshes the tag list) and unique per `id`. */
export function tagEventXml(id: string): string {
  return `<xml><ToUserName><![CDATA[${BENCH_CORP.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_tag]]></Event><Id><![CDATA[${id}]]></Id><TagType><![CDATA[tag]]></TagType><ChangeType><![CDATA[update]]></ChangeType></xml>`
}

export function sealedTagEvents(n: number, prefix: string) {
  return Array.from({ length: n }, (_, i) => {
    const sealed = sealCallback(BENCH_CRYPTO, tagEventXml(`${prefix}${i}`))
    return { path: `/wecom/callback?${new URLSearchParams(sealed.query)}`, body: sealed.body }
  })
}

export function startServer(env: Record<string, string>): { child: ChildProcess; ready: Promise<void> } {
  const flags = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', 'src/main.ts'], {
    cwd: resolve(ROOT, 'server'),
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', SESSION_SECRET: 'b'.repeat(40), ...BENCH_CORP, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const ready = (async () => {
    const port = env.PORT
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`server exited: ${out}`)
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`)
        if (res.ok) return
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`server did not start: ${out}`)
  })()
  return { child, ready }
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

export const fmt = (n: number, d = 1) => n.toFixed(d)
