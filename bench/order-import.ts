// Order file import on MariaDB/MySQL: the real server in a child process, 20,000 customers whose remark
// mobiles are indexed, then a 100,000-row CSV (and the same orders as XLSX) uploaded through the admin
// API and imported by the background job. Prints rows/s and seconds against the 30 s target, and the
// server's peak RSS above its level before the import (the reader streams: it should stay flat).
// Run: cd bench && node --import tsx order-import.ts   (BENCH_ROWS=100000, BENCH_XLSX=0 to skip XLSX)
import { createWriteStream, openAsBlob, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { PROCESS_ADMIN } from '../server/test/helpers/server-process.ts'
import {
  adminLogin,
  CUSTOMER_COLUMNS,
  FOLLOW_COLUMNS,
  fmt,
  insertRows,
  startOfflineServer,
  throwawayMysql,
} from './lib.ts'

const requireFromServer = createRequire(new URL('../server/package.json', import.meta.url))
// exceljs is the server's dependency; only its streaming writer is used here.
interface XlsxRow {
  commit(): void
}
const ExcelJS = requireFromServer('exceljs') as {
  stream: {
    xlsx: {
      WorkbookWriter: new (o: { filename: string; useSharedStrings: boolean; useStyles: boolean }) => {
        addWorksheet(name: string): { addRow(values: unknown[]): XlsxRow; commit(): void }
        commit(): Promise<void>
      }
    }
  }
}

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000)
const CUSTOMERS = 20_000
const PORT = '3794'
const BASE = `http://127.0.0.1:${PORT}`
const TARGET_S = 30
const HEADER = [
  '订单编号',
  '下单时间',
  '手机号',
  '买家',
  '实付金额',
  '优惠金额',
  '优惠券',
  '订单状态',
  'SKU',
  '商品名称',
  '数量',
  '商品金额',
]
const MAPPING = {
  order_no: '订单编号',
  ordered_at: '下单时间',
  buyer_mobile: '手机号',
  buyer_name: '买家',
  total: '实付金额',
  discount: '优惠金额',
  coupon: '优惠券',
  status: '订单状态',
  sku: 'SKU',
  product_name: '商品名称',
  quantity: '数量',
  line_amount: '商品金额',
}
const mobileOf = (i: number) => `139${String(10_000_000 + i).slice(-8)}`

/** One row per order line; 1–4 lines per order; every other order's buyer is a known customer. */
function* orderRows(): Generator<Array<string | number>> {
  let order = 0
  let rows = 0
  while (rows < ROWS) {
    order++
    const lines = Math.min(1 + (order % 4), ROWS - rows)
    const mobile = order % 2 ? mobileOf(order % CUSTOMERS) : mobileOf(CUSTOMERS + order)
    const day = 1 + (order % 28)
    const prices = Array.from({ length: lines }, (_, k) => 59 + ((order + k) % 7) * 40)
    const total = prices.reduce((a, b) => a + b, 0) - (order % 5 === 0 ? 10 : 0)
    for (let k = 0; k < lines; k++) {
      rows++
      yield [
        `B${String(order).padStart(8, '0')}`,
        `2026-10-${String(day).padStart(2, '0')} ${String(order % 24).padStart(2, '0')}:${String(order % 60).padStart(2, '0')}:00`,
        mobile,
        `买家${order % 997}`,
        total.toFixed(2),
        order % 5 === 0 ? '10' : '0',
        order % 5 === 0 ? '满减券' : '',
        order % 50 === 0 ? '已退款' : '已付款',
        `SKU-${(order + k) % 300}`,
        `商品${(order + k) % 300}号 精华液 30ml`,
        String(1 + (k % 2)),
        prices[k].toFixed(2),
      ]
    }
  }
}

async function writeCsv(path: string): Promise<number> {
  const out = createWriteStream(path)
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', r))
  await write(HEADER.join(',') + '\n')
  let n = 0
  for (const r of orderRows()) {
    await write(r.join(',') + '\n')
    n++
  }
  await new Promise<void>((r) => out.end(r))
  return n
}

async function writeXlsx(path: string) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: false,
    useStyles: false,
  })
  const ws = wb.addWorksheet('订单')
  ws.addRow(HEADER).commit()
  for (const r of orderRows()) ws.addRow(r).commit()
  ws.commit()
  await wb.commit()
}

/** The server's resident memory in KB: current (VmRSS) and the peak since the last reset (VmHWM). */
function rssOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}
/** Resets VmHWM to the current RSS (Linux clear_refs 5), so the peak is the import's own. */
function resetPeak(pid: number) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

async function fill(url: string) {
  const c = await mysql.createConnection({ uri: url })
  const now = new Date()
  const customers: unknown[][] = []
  const follows: unknown[][] = []
  const mobiles: unknown[][] = []
  for (let i = 0; i < CUSTOMERS; i++) {
    const e = `wmbench${String(i).padStart(8, '0')}`
    customers.push([e, `客户${i}`, '', 1, 2, now, now])
    follows.push([e, 'lina', '', '', mobileOf(i), now, 1, '', 'active', now])
    mobiles.push([mobileOf(i), e, 'lina'])
  }
  await insertRows(c, 'customer', CUSTOMER_COLUMNS, customers)
  await insertRows(c, 'customer_follow', FOLLOW_COLUMNS, follows)
  // What the orders.bind job builds from remark_mobiles (the bench starts the server without workers).
  await insertRows(c, 'customer_mobile', ['mobile', 'external_user_id', 'user_id'], mobiles)
  await c.end()
}

export async function benchOrderImport() {
  const db = await throwawayMysql()
  const server = startOfflineServer(PORT, db.url, {
    MEDIA_DIR: join(tmpdir(), `scrm-bench-media-${process.pid}`),
  })
  const csv = join(tmpdir(), `bench-orders-${process.pid}.csv`)
  const xlsx = join(tmpdir(), `bench-orders-${process.pid}.xlsx`)
  try {
    await server.ready
    await fill(db.url)
    const cookie = await adminLogin(BASE, PROCESS_ADMIN)
    const api = async (path: string, body?: unknown) => {
      const res = await fetch(`${BASE}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
      return res.json()
    }
    const pid = server.child.pid!

    const rows = await writeCsv(csv)
    const run = async (label: string, path: string, name: string, sourceName: string) => {
      const source = (await api('/api/admin/order-sources', { name: sourceName }).catch(async () => {
        const list = await api('/api/admin/order-sources')
        return list.items.find((s: { name: string }) => s.name === sourceName)
      })) as { id: number }
      const form = new FormData()
      form.append('file', await openAsBlob(path), name)
      const tUp = performance.now()
      const upRes = await fetch(`${BASE}/api/admin/orders/uploads`, {
        method: 'POST',
        headers: { cookie },
        body: form,
      })
      const up = await upRes.json()
      const uploadS = (performance.now() - tUp) / 1000
      const before = rssOf(pid).rss
      const peakReset = resetPeak(pid)
      let sampledPeak = before
      const t0 = performance.now()
      const started = await api('/api/admin/orders/imports', {
        sourceId: source.id,
        uploadId: up.uploadId,
        fileName: name,
        mapping: MAPPING,
      })
      let done: {
        status: string
        rowsRead: number
        ordersInserted: number
        duplicates: number
        rejected: number
        error: string | null
      }
      for (;;) {
        await new Promise((r) => setTimeout(r, 100))
        sampledPeak = Math.max(sampledPeak, rssOf(pid).rss)
        done = await api(`/api/admin/orders/imports/${started.id}`)
        if (done.status === 'done' || done.status === 'failed') break
      }
      const secs = (performance.now() - t0) / 1000
      const peak = peakReset ? rssOf(pid).hwm : sampledPeak
      if (done.status !== 'done') throw new Error(`import failed: ${done.error}`)
      if (done.rejected) {
        const { items } = await api(`/api/admin/orders/imports/${started.id}/rejects`)
        console.log(`  first rejects: ${JSON.stringify(items.slice(0, 5))}`)
      }
      const mb = statSync(path).size / 1024 / 1024
      console.log(
        `  ${label}: ${done.rowsRead.toLocaleString()} rows (${fmt(mb)} MB file) → ${done.ordersInserted.toLocaleString()} new orders, ` +
          `${done.duplicates.toLocaleString()} duplicates, ${done.rejected} rejected in ${fmt(secs, 2)} s = ` +
          `${Math.round(done.rowsRead / secs).toLocaleString()} rows/s (target < ${TARGET_S} s) · upload ${fmt(uploadS, 2)} s · ` +
          `server RSS ${fmt(before / 1024)} MB before, peak +${fmt((peak - before) / 1024)} MB${peakReset ? '' : ' (sampled)'}`,
      )
    }
    console.log(
      `  data: ${rows.toLocaleString()} order lines, ${CUSTOMERS.toLocaleString()} customers with indexed mobiles`,
    )
    await run('CSV import', csv, 'orders.csv', '有赞小店')
    await run('CSV re-import (idempotent)', csv, 'orders.csv', '有赞小店')
    if (process.env.BENCH_XLSX !== '0') {
      await writeXlsx(xlsx)
      await run('XLSX import (same orders, new source)', xlsx, 'orders.xlsx', '天猫旗舰店')
    }
    const c = await mysql.createConnection({ uri: db.url })
    const [[counts]] = (await c.query(
      'SELECT COUNT(*) AS orders, SUM(external_user_id IS NOT NULL) AS bound FROM shop_order',
    )) as unknown as [[{ orders: number; bound: number }]]
    const [[items]] = (await c.query('SELECT COUNT(*) AS n FROM shop_order_item')) as unknown as [
      [{ n: number }],
    ]
    await c.end()
    console.log(
      `  stored: ${Number(counts.orders).toLocaleString()} orders (${Number(counts.bound).toLocaleString()} bound by mobile), ${Number(items.n).toLocaleString()} lines`,
    )
  } finally {
    await server.stop()
    if (process.env.BENCH_KEEP_DB) console.log(`  kept database ${db.url}`)
    else await db.drop()
    rmSync(csv, { force: true })
    rmSync(xlsx, { force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchOrderImport()
