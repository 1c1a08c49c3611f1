// Orders in (issue 8): CSV/XLSX import with rejected-row reports and idempotent re-import, the push API,
// and binding orders to customers by mobile, unionid and advisor (also late, when the customer appears),
// against the simulated corp over real HTTP, on SQLite and MariaDB.
// First: it fixes exceljs's UTF-8 decoding and must run before anything loads exceljs.
import '../src/modules/orders/exceljs-utf8.ts'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import ExcelJS from 'exceljs'
import {
  normalizeMobile,
  parseOrderTime,
  parseYuan,
  guessMapping,
} from '../src/modules/orders/order-values.ts'
import { readRows } from '../src/modules/orders/order-files.ts'
import { ORDER_BIND_JOB } from '../src/modules/orders/orders.plugin.ts'
import { adminCookie } from './helpers/app.ts'
import { DATABASE_KINDS } from './helpers/databases.ts'
import { eventually, startWithSimulator, type SimulatedSetup } from './helpers/simulated-corp.ts'
import { advisorCookie, jsonApi } from './helpers/sidebar-session.ts'

process.env.MEDIA_DIR ??= join(tmpdir(), `scrm-test-media-${process.pid}`)

test('values: mobiles, Shanghai wall-clock times, yuan, header guesses', () => {
  assert.equal(normalizeMobile('+86 138-0013-8000'), '13800138000')
  assert.equal(normalizeMobile('0086 13800138000'), '13800138000')
  assert.equal(normalizeMobile('—'), null)
  assert.equal(parseOrderTime('2026-11-01 10:00:00').toISOString(), '2026-11-01T02:00:00.000Z')
  assert.equal(parseOrderTime('2026/11/1').toISOString(), '2026-10-31T16:00:00.000Z')
  assert.equal(parseOrderTime('2026-11-01T10:00:00Z').toISOString(), '2026-11-01T10:00:00.000Z')
  assert.throws(() => parseOrderTime('2026-02-30 10:00'), /bad date/)
  assert.throws(() => parseOrderTime('yesterday'), /bad date/)
  assert.equal(parseYuan('¥1,299.50', 'total'), 129950)
  assert.throws(() => parseYuan('-5', 'total'), /negative total/)
  assert.equal(parseYuan('', 'discount', 0), 0)
  const m = guessMapping(['订单编号', '下单时间', '手机号', '实付金额', '商品名称', '数量', '其他'])
  assert.deepEqual(m, {
    order_no: '订单编号',
    ordered_at: '下单时间',
    buyer_mobile: '手机号',
    total: '实付金额',
    product_name: '商品名称',
    quantity: '数量',
  })
})

test('CSV from Excel on a Chinese Windows (GBK) is decoded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scrm-gbk-'))
  try {
    // '订单号,下单时间,实付金额' in GBK, then one ASCII row.
    const header = Buffer.from('b6a9b5a5bac52ccfc2b5a5cab1bce42ccab5b8b6bdf0b6ee', 'hex')
    const path = join(dir, 'gbk.csv')
    writeFileSync(path, Buffer.concat([header, Buffer.from('\nG1,2026-11-01 10:00,12.5\n')]))
    const rows = []
    for await (const r of readRows(path, 'csv')) rows.push(r)
    assert.deepEqual(rows, [
      ['订单号', '下单时间', '实付金额'],
      ['G1', '2026-11-01 10:00', '12.5'],
    ])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

const MAPPING = {
  order_no: '订单编号',
  ordered_at: '下单时间',
  buyer_mobile: '手机号',
  buyer_unionid: 'UnionID',
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
/** The files' header row: the mapped columns, in the mapping's order. */
const HEADER = Object.values(MAPPING)
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
const toCsv = (rows: string[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n'

for (const kind of DATABASE_KINDS) {
  describe(`orders in: import, push, binding [${kind}]`, () => {
    let s: SimulatedSetup
    let base: string
    let admin: string
    let lina: string
    let linaCustomer: string
    let linaMobile: string
    let othersCustomer: string
    let unionCustomer: { id: string; unionid: string }
    let sourceId: number
    let apiKey: string
    const changed: string[][] = []
    const dir = mkdtempSync(join(tmpdir(), 'scrm-orders-'))

    const api = jsonApi(() => base)
    const push = (orders: unknown[], key = apiKey) =>
      api('/api/integrations/orders', '', {
        method: 'POST',
        body: { orders },
        headers: { authorization: `Bearer ${key}` },
      })

    async function upload(name: string, data: Buffer) {
      const form = new FormData()
      form.append('file', new Blob([new Uint8Array(data)]), name)
      const res = await fetch(`${base}/api/admin/orders/uploads`, {
        method: 'POST',
        headers: { cookie: admin },
        body: form,
      })
      const body = await res.json()
      assert.equal(res.status, 201, JSON.stringify(body))
      return body as { uploadId: string; fileKind: string; bytes: number }
    }
    async function importFile(name: string, data: Buffer, mapping?: Record<string, string>) {
      const up = await upload(name, data)
      const started = await api('/api/admin/orders/imports', admin, {
        method: 'POST',
        body: { sourceId, uploadId: up.uploadId, fileName: name, ...(mapping ? { mapping } : {}) },
      })
      assert.equal(started.status, 202, JSON.stringify(started.body))
      const done = await eventually(async () => {
        const r = await api(`/api/admin/orders/imports/${started.body.id}`, admin)
        return r.body.status === 'done' || r.body.status === 'failed' ? r.body : null
      }, 30_000)
      const rejects = (await api(`/api/admin/orders/imports/${started.body.id}/rejects`, admin)).body.items
      return { run: done, rejects: rejects as Array<{ rowNo: number; orderNo: string; reason: string }> }
    }
    const orderRow = async (orderNo: string) =>
      (
        await s.t.app.db.query(
          'SELECT external_user_id AS e, user_id AS u, bound_by AS b, total_cents AS t FROM shop_order WHERE order_no = ?',
          [orderNo],
        )
      )[0] as { e: string | null; u: string | null; b: string | null; t: number } | undefined
    const count = async (table: string) =>
      Number((await s.t.app.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n)

    before(async () => {
      s = await startWithSimulator(kind, { workers: true, sync: true })
      base = s.base
      // A full sync sends no callbacks: the periodic bind job indexes the follows' remark mobiles.
      assert.equal(await s.t.app.scheduler.runNow(ORDER_BIND_JOB), true)
      admin = await adminCookie(s.t.app)
      lina = await advisorCookie(base, 'lina')
      s.t.app.orders.onOrderChanged(async (ids) => void changed.push(ids))
      const customers = [...s.sim.corp.data.customers.values()]
      const withMobile = customers.find(
        (c) => c.follows.length === 1 && c.follows[0].userid === 'lina' && c.follows[0].remark_mobiles.length,
      )!
      linaCustomer = withMobile.external_userid
      linaMobile = withMobile.follows[0].remark_mobiles[0]
      othersCustomer = customers.find(
        (c) => c.follows.length === 1 && c.follows[0].userid === 'wangfang',
      )!.external_userid
      const u = customers.find((c) => c.unionid && c.follows.some((f) => f.userid === 'zhangwei'))!
      unionCustomer = { id: u.external_userid, unionid: u.unionid! }
    })
    after(async () => {
      await s.close()
      rmSync(dir, { recursive: true, force: true })
    })

    test('admin creates a source: the key is shown once, only its prefix afterwards', async () => {
      const created = await api('/api/admin/order-sources', admin, {
        method: 'POST',
        body: { name: '有赞小店' },
      })
      assert.equal(created.status, 201)
      assert.match(created.body.apiKey, /^ok_[0-9a-f]{40}$/)
      sourceId = created.body.id
      apiKey = created.body.apiKey
      const list = await api('/api/admin/order-sources', admin)
      assert.equal(list.body.items[0].apiKeyPrefix, apiKey.slice(0, 10))
      assert.equal(JSON.stringify(list.body).includes(apiKey), false)
      const dup = await api('/api/admin/order-sources', admin, { method: 'POST', body: { name: '有赞小店' } })
      assert.equal(dup.status, 409)
      const stored = await s.t.app.db.query('SELECT api_key_hash AS h FROM order_source')
      assert.match(stored[0].h, /^[0-9a-f]{64}$/)
    })

    /** A line of order A1001: its order columns repeat on each line, the product columns differ. */
    const a1001Line = (sku: string, product: string, amount: string) => [
      'A1001',
      '2026-11-01 10:00:00',
      `+86 ${linaMobile.slice(0, 3)}-${linaMobile.slice(3)}`,
      '',
      '李女士',
      '¥298.00',
      '20',
      '满200减20',
      '已付款',
      sku,
      product,
      '1',
      amount,
    ]
    const csvRows = () => [
      HEADER,
      // A two-line order bound by the buyer's mobile (written with +86 and dashes).
      a1001Line('SKU-1', '玻尿酸精华', '198'),
      a1001Line('SKU-2', '修护面霜', '100'),
      // Bound by unionid.
      [
        'A1002',
        '2026/11/02 09:30',
        '',
        unionCustomer.unionid,
        '张先生',
        '99',
        '',
        '',
        'paid',
        'SKU-3',
        '洁面乳',
        '2',
        '99',
      ],
      // Unknown buyer: stays unbound.
      ['A1003', '2026-11-03 12:00', '13900000001', '', '', '59.9', '0', '否', '', '', '面膜', '3', '59.9'],
      ['', '2026-11-03 12:00', '', '', '', '10', '', '', '', '', '赠品', '1', '0'], // row 6: no order number
      ['A1004', '11/03/2026', '', '', '', '10', '', '', '', '', '小样', '1', '10'], // row 7: bad date
      ['A1005', '2026-11-04 08:00', '', '', '', '-5', '', '', '', '', '退差价', '1', '0'], // row 8: negative
      ['A1003', '2026-11-05 12:00', '13900000001', '', '', '80', '0', '否', '', '', '面膜', '1', '80'], // row 9: same no, other content
      ['A1006', '2026-11-05 12:00', '', '', '', '30', '', '', '已关闭', '', '眼霜', '1', '30'], // row 10: unknown status
      ['A1007', '2026-11-06 12:00', '', '', '', '30', '', '', '已退款', '', '眼霜', '1', '30'],
    ]

    test('CSV import: preview with a guessed mapping, progress counters, rejected rows with reasons, binding', async () => {
      const data = Buffer.from(toCsv(csvRows()))
      const up = await upload('orders.csv', data)
      assert.equal(up.fileKind, 'csv')
      const preview = await api(
        `/api/admin/orders/uploads/${up.uploadId}/preview?sourceId=${sourceId}`,
        admin,
      )
      assert.equal(preview.status, 200)
      assert.deepEqual(preview.body.headers, HEADER)
      assert.equal(preview.body.rows.length, 10)
      assert.equal(preview.body.rows[0][0], 'A1001')
      assert.equal(preview.body.mappingSaved, false)
      assert.equal(preview.body.mapping.order_no, '订单编号')
      assert.equal(preview.body.mapping.total, '实付金额')

      const { run, rejects } = await importFile('orders.csv', data, MAPPING)
      assert.equal(run.status, 'done')
      assert.equal(run.rowsRead, 10)
      assert.equal(run.ordersInserted, 4) // A1001, A1002, A1003, A1007
      assert.equal(run.duplicates, 0)
      assert.equal(run.rejected, 5)
      assert.equal(run.bytesRead, data.length)
      assert.deepEqual(
        rejects.map((r) => r.rowNo),
        [6, 7, 8, 9, 10],
      )
      const reason = (row: number) => rejects.find((r) => r.rowNo === row)!.reason
      assert.match(reason(6), /missing order number/)
      assert.match(reason(7), /bad date/)
      assert.match(reason(8), /negative total/)
      assert.match(reason(9), /duplicate order number A1003 with different order fields \(first at row 5\)/)
      assert.match(reason(10), /unknown status/)

      // The mapping is saved on the source for next time.
      const sources = await api('/api/admin/order-sources', admin)
      assert.deepEqual(sources.body.items[0].mapping, MAPPING)
      const again = await upload('orders.csv', data)
      const preview2 = await api(
        `/api/admin/orders/uploads/${again.uploadId}/preview?sourceId=${sourceId}`,
        admin,
      )
      assert.equal(preview2.body.mappingSaved, true)
      assert.deepEqual(preview2.body.mapping, MAPPING)

      // Binding: mobile (advisor credited from the follow holding the number), unionid, none.
      assert.deepEqual(await orderRow('A1001'), { e: linaCustomer, u: 'lina', b: 'mobile', t: 29800 })
      const a2 = await orderRow('A1002')
      assert.equal(a2?.e, unionCustomer.id)
      assert.equal(a2?.b, 'unionid')
      assert.ok(a2?.u)
      assert.equal((await orderRow('A1003'))?.e, null)
      assert.ok(changed.flat().includes(linaCustomer))
      assert.ok(changed.flat().includes(unionCustomer.id))

      const list = await api(`/api/admin/orders?sourceId=${sourceId}&q=A1001`, admin)
      assert.equal(list.body.total, 1)
      const o = list.body.items[0]
      assert.equal(o.orderedAt, '2026-11-01T02:00:00.000Z')
      assert.equal(o.discountCents, 2000)
      assert.equal(o.couponUsed, true)
      assert.equal(o.buyerMobile, linaMobile)
      assert.deepEqual(
        o.items.map((i: { sku: string; amountCents: number }) => [i.sku, i.amountCents]),
        [
          ['SKU-1', 19800],
          ['SKU-2', 10000],
        ],
      )
      const unbound = await api(`/api/admin/orders?bound=unbound&sourceId=${sourceId}`, admin)
      assert.deepEqual(unbound.body.items.map((x: { orderNo: string }) => x.orderNo).sort(), [
        'A1003',
        'A1007',
      ])
      const byMobile = await api(`/api/admin/orders?q=${linaMobile}`, admin)
      assert.deepEqual(
        byMobile.body.items.map((x: { orderNo: string }) => x.orderNo),
        ['A1001'],
      )
      const days = await api(`/api/admin/orders?from=2026-11-02&to=2026-11-03&sourceId=${sourceId}`, admin)
      assert.deepEqual(days.body.items.map((x: { orderNo: string }) => x.orderNo).sort(), ['A1002', 'A1003'])
    })

    test('re-importing the same file changes nothing', async () => {
      const before = [await count('shop_order'), await count('shop_order_item')]
      const { run } = await importFile('orders.csv', Buffer.from(toCsv(csvRows())))
      assert.equal(run.status, 'done')
      assert.equal(run.ordersInserted, 0)
      assert.equal(run.duplicates, 4)
      assert.equal(run.rejected, 5)
      assert.deepEqual([await count('shop_order'), await count('shop_order_item')], before)
    })

    test('XLSX import: dates as date cells, numbers as numbers, GBK-free', async () => {
      const wb = new ExcelJS.Workbook()
      const ws = wb.addWorksheet('订单')
      ws.addRow(HEADER)
      ws.addRow([
        'X2001',
        new Date(Date.UTC(2026, 10, 7, 15, 30)),
        '',
        '',
        '王女士',
        128.5,
        0,
        '',
        '已支付',
        'SKU-9',
        '防晒霜',
        1,
        128.5,
      ])
      ws.getCell('B2').numFmt = 'yyyy-mm-dd hh:mm'
      ws.addRow(['X2002', '2026-11-08 09:00', '', '', '', 66, 6, '是', '', '', '卸妆水', 2, 66])
      ws.addRow(['X2003', '2026-11-08 09:00', '', '', '', -1, 0, '', '', '', '卸妆水', 1, 0])
      // Enough Chinese text that characters straddle the reader's chunks (exceljs-utf8.ts).
      for (let i = 0; i < 1500; i++)
        ws.addRow([
          `X3${i}`,
          '2026-11-09 09:00',
          '',
          '',
          `顾客${i}号`,
          10,
          0,
          '',
          i % 2 ? '已退款' : '已支付',
          '',
          `第${i}号氨基酸洁面乳（敏感肌专用）`,
          1,
          10,
        ])
      const path = join(dir, 'orders.xlsx')
      await wb.xlsx.writeFile(path)
      const { run, rejects } = await importFile('export.xlsx', readFileSync(path))
      assert.equal(run.status, 'done', run.error)
      assert.equal(run.rowsRead, 1503)
      assert.equal(run.ordersInserted, 1502)
      assert.deepEqual(rejects, [{ rowNo: 4, orderNo: 'X2003', reason: 'negative total -1' }])
      const list = await api(`/api/admin/orders?q=X2001`, admin)
      // The sheet's wall clock is Asia/Shanghai.
      assert.equal(list.body.items[0].orderedAt, '2026-11-07T07:30:00.000Z')
      assert.equal(list.body.items[0].totalCents, 12850)
      const late = await api(`/api/admin/orders?q=X31499`, admin)
      assert.equal(late.body.items[0].items[0].productName, '第1499号氨基酸洁面乳（敏感肌专用）')
      assert.equal(late.body.items[0].status, 'refunded')
      const again = await importFile('export.xlsx', readFileSync(path))
      assert.equal(again.run.ordersInserted, 0)
      assert.equal(again.run.duplicates, 1502)
    })

    test('a mapping naming a column the file lacks fails the import with the reason', async () => {
      const { run, rejects } = await importFile('orders.csv', Buffer.from(toCsv(csvRows())), {
        ...MAPPING,
        buyer_unionid: '买家UnionID',
      })
      assert.equal(run.status, 'failed')
      assert.match(run.error, /unknown columns in the mapping: buyer_unionid → '买家UnionID'/)
      assert.equal(rejects[0].rowNo, 1)
      // Put the working mapping back.
      await api(`/api/admin/order-sources/${sourceId}/mapping`, admin, {
        method: 'PUT',
        body: { mapping: MAPPING },
      })
    })

    test('push API: 401 without the right key, 413 over 1,000 orders, per-index rejects, idempotent', async () => {
      assert.equal((await push([], 'ok_wrong')).status, 401)
      const noAuth = await api('/api/integrations/orders', '', { method: 'POST', body: { orders: [] } })
      assert.equal(noAuth.status, 401)
      assert.equal(noAuth.body.code, 'invalid_api_key')

      const many = Array.from({ length: 1001 }, (_, i) => ({
        orderNo: `BIG${i}`,
        orderedAt: '2026-11-10 10:00:00',
        buyerName: '批量买家',
        total: 199,
        items: [
          { sku: `SKU-${i}`, productName: '一个名字较长的商品用来撑大请求体积', quantity: 1, amount: 199 },
        ],
      }))
      const tooMany = await push(many)
      assert.equal(tooMany.status, 413)
      assert.match(tooMany.body.message, /At most 1000 orders/)
      const full = await push(many.slice(0, 1000))
      assert.equal(full.status, 200)
      assert.equal(full.body.inserted, 1000)

      const batch = [
        {
          orderNo: 'P1',
          orderedAt: '2026-11-11T10:00:00+08:00',
          total: 88,
          buyerMobile: '13900000002',
          items: [{ productName: '精华', amount: 88 }],
        },
        { orderNo: 'P2', orderedAt: 'not a date', total: 10 },
        { orderNo: 'P3', orderedAt: '2026-11-11 10:00', total: -1 },
        { orderedAt: '2026-11-11 10:00', total: 1 },
        'junk',
        { orderNo: 'P1', orderedAt: '2026-11-11T10:00:00+08:00', total: 99 },
        {
          orderNo: 'P4',
          orderedAt: '2026-11-11 11:00',
          total: 20,
          status: 'refunded',
          coupon: true,
          discount: 5,
        },
      ]
      const first = await push(batch)
      assert.equal(first.status, 200)
      assert.equal(first.body.inserted, 2)
      assert.equal(first.body.duplicates, 0)
      assert.deepEqual(
        first.body.rejected.map((r: { index: number }) => r.index),
        [1, 2, 3, 4, 5],
      )
      assert.match(first.body.rejected[0].reason, /bad date/)
      assert.match(first.body.rejected[1].reason, /negative total/)
      assert.match(first.body.rejected[2].reason, /missing orderNo/)
      assert.match(
        first.body.rejected[4].reason,
        /duplicate orderNo P1 with different content \(first at index 0\)/,
      )
      const second = await push(batch)
      assert.equal(second.body.inserted, 0)
      assert.equal(second.body.duplicates, 2)
      assert.equal((await orderRow('P1'))?.t, 8800)
    })

    test('rotating the key: the old key stops working', async () => {
      const rotated = await api(`/api/admin/order-sources/${sourceId}/rotate-key`, admin, { method: 'POST' })
      assert.equal(rotated.status, 200)
      assert.notEqual(rotated.body.apiKey, apiKey)
      assert.equal((await push([])).status, 401)
      apiKey = rotated.body.apiKey
      assert.equal((await push([])).status, 200)
    })

    test('sidebar: the customer’s orders with totals; the advisor binds an order number (404/409/403)', async () => {
      const mine = await api(`/api/sidebar/customers/${linaCustomer}/orders`, lina)
      assert.equal(mine.status, 200)
      assert.deepEqual(
        mine.body.items.map((o: { orderNo: string }) => o.orderNo),
        ['A1001'],
      )
      assert.equal(mine.body.totals.count, 1)
      assert.equal(mine.body.totals.paidCents, 29800)

      const bind = (ext: string, orderNo: string) =>
        api(`/api/sidebar/customers/${ext}/orders/bind`, lina, { method: 'POST', body: { orderNo } })
      const ok = await bind(linaCustomer, 'A1007')
      assert.equal(ok.status, 200)
      assert.deepEqual(
        ok.body.items.map((o: { orderNo: string }) => o.orderNo),
        ['A1007', 'A1001'],
      )
      assert.equal(ok.body.totals.count, 2)
      assert.equal(ok.body.totals.refundedCount, 1)
      assert.equal(ok.body.totals.paidCents, 29800)
      assert.deepEqual(await orderRow('A1007'), { e: linaCustomer, u: 'lina', b: 'advisor', t: 3000 })
      assert.ok(changed.flat().filter((x) => x === linaCustomer).length >= 2)
      assert.equal((await bind(linaCustomer, 'A1007')).status, 200) // again: no-op
      assert.equal((await bind(linaCustomer, 'NOPE-404')).status, 404)
      const taken = await bind(linaCustomer, 'A1002')
      assert.equal(taken.status, 409)
      assert.equal(taken.body.code, 'order_bound_elsewhere')
      const foreign = await bind(othersCustomer, 'A1003')
      assert.equal(foreign.status, 403)
      assert.equal((await api(`/api/sidebar/customers/${othersCustomer}/orders`, lina)).status, 403)
      assert.equal((await orderRow('A1003'))?.e, null)
    })

    test('late binding: an order waits until a customer with its mobile or unionid appears', async () => {
      const mobile = '13700001234'
      const unionid = 'oAmDlate0001'
      const res = await push([
        { orderNo: 'L1', orderedAt: '2026-11-12 10:00', total: 50, buyerMobile: mobile },
        { orderNo: 'L2', orderedAt: '2026-11-12 11:00', total: 60, buyerUnionid: unionid },
        { orderNo: 'L3', orderedAt: '2026-11-12 12:00', total: 70, buyerMobile: '13700005678' },
      ])
      assert.equal(res.body.inserted, 3)
      assert.equal((await orderRow('L1'))?.e, null)
      assert.equal((await orderRow('L2'))?.e, null)

      // The advisor writes the mobile into the customer's remark (edit_external_contact callback).
      const sim = s.sim.corp.data.customers.get(othersCustomer)!
      await s.sim.corp.driver.editContact({
        externalUserid: othersCustomer,
        userid: sim.follows[0].userid,
        remarkMobiles: [mobile],
      })
      const l1 = await eventually(async () => {
        const r = await orderRow('L1')
        return r?.e ? r : null
      })
      assert.deepEqual(l1, { e: othersCustomer, u: sim.follows[0].userid, b: 'mobile', t: 5000 })

      // A new customer with that unionid adds an advisor (add_external_contact callback).
      const scan = await s.sim.corp.driver.customerScansContactWay({
        configId: 'a3f6c5b1d2e4f60718293a4b5c6d7e8f',
        customer: { name: '迟到的客户', unionid },
      })
      const l2 = await eventually(async () => {
        const r = await orderRow('L2')
        return r?.e ? r : null
      })
      assert.deepEqual(l2, { e: scan.externalUserid, u: 'lina', b: 'unionid', t: 6000 })

      // A change without a callback (a full sync, or a direct write) is picked up by the periodic sweep.
      const db = s.t.app.db
      await db.query(
        `UPDATE customer_follow SET remark_mobiles = ?, updated_at = ? WHERE external_user_id = ? AND user_id = 'lina'`,
        [
          '13700005678',
          kind === 'sqlite' ? new Date().toISOString().replace('T', ' ').replace('Z', '') : new Date(),
          linaCustomer,
        ],
      )
      assert.equal(await s.t.app.scheduler.runNow(ORDER_BIND_JOB), true)
      assert.deepEqual(await orderRow('L3'), { e: linaCustomer, u: 'lina', b: 'mobile', t: 7000 })
      assert.ok(changed.flat().includes(scan.externalUserid))
    })
  })
}
