// Sidebar customer-profile API at 100k customers on MariaDB/MySQL: the real server in a child process,
// a mirror of 100,000 customers (120,000 follows, 360,000 follow tags, 500 groups with 50,000 customer
// members) written straight into its tables, then GET /api/sidebar/customers/:id for random customers of
// one advisor over keep-alive HTTP. Prints p50 / p95 / p99 against the 30 ms p95 target, and the
// sidebar's first-load JS (gzip) against its 150 KB budget.
// Run: cd bench && node --import tsx sidebar-profile.ts   (BENCH_REQUESTS, BENCH_CONCURRENCY=1,8, BENCH_CUSTOMERS)
import { createHmac } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import mysql from 'mysql2/promise'
import {
  CUSTOMER_COLUMNS,
  FOLLOW_COLUMNS,
  ROOT,
  fmt,
  insertRows,
  percentile,
  startOfflineServer,
  throwawayMysql,
} from './lib.ts'

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000)
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000)
// One advisor's sidebar reads one profile at a time; 8 at once saturates this 2-core box (server, MariaDB
// and the load generator share it), which shows queueing rather than the API's own cost.
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? '1,8').split(',').map(Number)
const PORT = '3792'
const BASE = `http://127.0.0.1:${PORT}`
const SECRET = 'bench-session-secret-'.padEnd(40, 'x')
const STAFF = ['lina', 'wangfang', 'zhangwei', 'liuyang']
const P95_TARGET_MS = 30
const JS_BUDGET_KB = 150

/** The advisor session cookie exactly as the server signs it (@fastify/cookie's HMAC-SHA256 signer). */
function advisorCookie(userId: string): string {
  const value = `${Date.now() + 3600_000}.${userId}`
  const sig = createHmac('sha256', SECRET).update(value).digest('base64').replace(/=+$/, '')
  return `scrm_advisor=${encodeURIComponent(`${value}.${sig}`)}`
}

async function fill(url: string): Promise<string[]> {
  const c = await mysql.createConnection({ uri: url })
  const now = new Date()
  const day = (d: number) => new Date(now.getTime() - d * 86_400_000)
  await insertRows(
    c,
    'staff',
    ['user_id', 'name', 'avatar', 'is_follow_user', 'synced_at'],
    STAFF.map((u) => [u, u, '', 1, now]),
  )
  const groups = ['渠道', '肤质', '会员等级']
  await insertRows(
    c,
    'tag_group',
    ['group_id', 'name', 'sort_order', 'created_at'],
    groups.map((g, i) => [`g${i}`, g, i, now]),
  )
  await insertRows(
    c,
    'tag',
    ['tag_id', 'group_id', 'name', 'sort_order', 'created_at'],
    groups.flatMap((_, gi) => [0, 1, 2, 3].map((t) => [`t${gi}_${t}`, `g${gi}`, `标签${gi}${t}`, t, now])),
  )
  const ext = (i: number) => `wmbench${String(i).padStart(8, '0')}`
  const customers: unknown[][] = []
  const follows: unknown[][] = []
  const tags: unknown[][] = []
  for (let i = 0; i < CUSTOMERS; i++) {
    customers.push([ext(i), `客户${i}`, '', 1, 2, day(i % 400), now])
    const owners = i % 5 === 0 ? [STAFF[i % 4], STAFF[(i + 1) % 4]] : [STAFF[i % 4]]
    for (const u of owners) {
      follows.push([ext(i), u, `客户${i}-备注`, '', '', day(i % 400), 1, i % 2 ? 'c1' : 'c2', 'active', now])
      for (let g = 0; g < 3; g++) tags.push([ext(i), u, `t${g}_${(i + g) % 4}`])
    }
  }
  await insertRows(c, 'customer', CUSTOMER_COLUMNS, customers)
  await insertRows(c, 'customer_follow', FOLLOW_COLUMNS, follows)
  await insertRows(c, 'follow_tag', ['external_user_id', 'user_id', 'tag_id'], tags)
  const chats: unknown[][] = []
  const members: unknown[][] = []
  for (let g = 0; g < 500; g++) {
    chats.push([`wrbench${g}`, `群${g}`, STAFF[g % 4], 100, 'active', now, now])
    for (let k = 0; k < 100; k++)
      members.push([`wrbench${g}`, ext(((g * 100 + k) * 2) % CUSTOMERS), 2, now, 3, STAFF[g % 4], 0])
  }
  await insertRows(
    c,
    'group_chat',
    ['chat_id', 'name', 'owner_user_id', 'member_count', 'status', 'created_at', 'updated_at'],
    chats,
  )
  await insertRows(
    c,
    'group_member',
    ['chat_id', 'member_id', 'type', 'join_time', 'join_scene', 'invitor', 'is_admin'],
    members,
  )
  await c.query('ANALYZE TABLE customer, customer_follow, follow_tag, group_member, group_chat')
  await c.end()
  console.log(
    `  data: ${CUSTOMERS.toLocaleString()} customers, ${follows.length.toLocaleString()} follows, ${tags.length.toLocaleString()} follow tags, ${members.length.toLocaleString()} group members`,
  )
  return follows.filter((f) => f[1] === 'lina').map((f) => f[0] as string)
}

async function load(ids: string[], concurrency: number): Promise<number[]> {
  const cookie = advisorCookie('lina')
  const times: number[] = []
  let next = 0
  const worker = async () => {
    while (next < REQUESTS) {
      next++
      const id = ids[Math.floor(Math.random() * ids.length)]
      const t0 = performance.now()
      const res = await fetch(`${BASE}/api/sidebar/customers/${id}`, { headers: { cookie } })
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`profile ${id}: HTTP ${res.status}`)
      times.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return times.sort((a, b) => a - b)
}

/** First-load JS of the sidebar page: the entry and every chunk it imports statically (modulepreload). */
function sidebarFirstLoadJs(): { files: string[]; gzipKb: number } | null {
  const dist = join(ROOT, 'sidebar-web/dist')
  const html = join(dist, 'sidebar/index.html')
  if (!existsSync(html)) return null
  const page = readFileSync(html, 'utf8')
  const files = [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1])
  // The entry boots the app with a dynamic import (after the simulated-host check); count App's chunk
  // graph too, by following static imports from the entry's own chunks.
  const seen = new Set(files)
  const queue = [...files]
  while (queue.length) {
    const f = queue.shift()!
    const src = readFileSync(join(dist, f), 'utf8')
    for (const m of src.matchAll(/(?:from\s*|import\s*\(\s*)["']\.\/([^"']+\.js)["']/g)) {
      const dep = `/assets/${m[1]}`
      if (!seen.has(dep) && !/element-plus|echarts|admin/.test(dep)) {
        seen.add(dep)
        queue.push(dep)
      }
    }
  }
  const gzip = [...seen].reduce((n, f) => n + gzipSync(readFileSync(join(dist, f))).length, 0)
  return { files: [...seen], gzipKb: gzip / 1024 }
}

export async function benchSidebarProfile() {
  const js = sidebarFirstLoadJs()
  if (js)
    console.log(
      `  sidebar first-load JS: ${fmt(js.gzipKb)} KB gzip in ${js.files.length} files (budget ≤ ${JS_BUDGET_KB} KB: ${js.gzipKb <= JS_BUDGET_KB ? 'ok' : 'OVER'})`,
    )
  else console.log('  sidebar first-load JS: sidebar-web/dist missing (run pnpm --filter sidebar-web build)')
  const db = await throwawayMysql()
  const server = startOfflineServer(PORT, db.url, { SESSION_SECRET: SECRET })
  try {
    await server.ready
    const t0 = performance.now()
    const ids = await fill(db.url)
    console.log(
      `  filled in ${fmt((performance.now() - t0) / 1000)} s; lina follows ${ids.length.toLocaleString()} of them`,
    )
    await load(ids.slice(0, 200), 4) // warm-up
    for (const concurrency of CONCURRENCIES) {
      const t1 = performance.now()
      const times = await load(ids, concurrency)
      const secs = (performance.now() - t1) / 1000
      const p95 = percentile(times, 95)
      console.log(
        `  GET /api/sidebar/customers/:id × ${REQUESTS} (concurrency ${concurrency}): p50 ${fmt(percentile(times, 50))} ms, ` +
          `p95 ${fmt(p95)} ms (target < ${P95_TARGET_MS} ms: ${p95 < P95_TARGET_MS ? 'ok' : 'MISSED'}), p99 ${fmt(percentile(times, 99))} ms, ${fmt(REQUESTS / secs, 0)} req/s`,
      )
    }
  } finally {
    await server.stop()
    await db.drop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSidebarProfile()
