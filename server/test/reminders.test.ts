// Run-out reminders (周期购), the other reminder triggers, SOP rules and follow-up tasks, against the
// simulated corp over real HTTP, on SQLite and MariaDB.
import assert from 'node:assert/strict'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { seedDemoContent } from '../src/modules/products/demo-content.ts'
import { ProductEntity } from '../src/modules/products/product.entity.ts'
import { ScriptEntity } from '../src/modules/scripts/script.entity.ts'
import { FollowupTaskEntity, RunoutPredictionEntity } from '../src/modules/reminders/reminder.entity.ts'
import { DAY_MS, predictRunout } from '../src/modules/reminders/runout.ts'
import { pickScript, priceSignal } from '../src/modules/reminders/script-pick.ts'
import { readTime, sqlTime } from '../src/modules/reminders/sql.ts'
import type { ScriptRow } from '../src/modules/scripts/script.entity.ts'
import { CustomerSegmentEntity } from '../src/modules/segments/segment.entity.ts'
import { shanghaiDay } from '../src/modules/acquisition/shanghai-time.ts'
import { adminCookie } from './helpers/app.ts'
import { DATABASE_KINDS } from './helpers/databases.ts'
import { secondInstance, startWithSimulator, type SimulatedSetup } from './helpers/simulated-corp.ts'
import { advisorCookie, jsonApi } from './helpers/sidebar-session.ts'

process.env.MEDIA_DIR ??= join(tmpdir(), `scrm-test-media-${process.pid}`)

const D = (iso: string) => new Date(iso)

test('run-out math: quantity ÷ units per order × cycle, leftover carried over on early reorders', () => {
  // 2 bottles of a 30-day product last 60 days.
  assert.deepEqual(
    predictRunout([{ orderedAt: D('2026-01-01T00:00:00Z'), quantity: 2 }], 30, 1)?.runoutAt,
    D('2026-03-02T00:00:00Z'),
  )
  // A 3-pack sold as quantity 3 with units_per_order 3 lasts one cycle.
  assert.deepEqual(
    predictRunout([{ orderedAt: D('2026-01-01T00:00:00Z'), quantity: 3 }], 30, 3)?.runoutAt,
    D('2026-01-31T00:00:00Z'),
  )
  // Reordered 10 days early: the 10 days left are added on top of the new 30.
  const early = predictRunout(
    [
      { orderedAt: D('2026-01-21T00:00:00Z'), quantity: 1 },
      { orderedAt: D('2026-01-01T00:00:00Z'), quantity: 1 },
    ],
    30,
    1,
  )!
  assert.deepEqual(early.runoutAt, D('2026-03-02T00:00:00Z'))
  assert.deepEqual(early.lastOrderAt, D('2026-01-21T00:00:00Z'))
  assert.equal(early.quantity, 2)
  // Reordered after running out: starts afresh from the purchase.
  const late = predictRunout(
    [
      { orderedAt: D('2026-01-01T00:00:00Z'), quantity: 1 },
      { orderedAt: D('2026-03-01T00:00:00Z'), quantity: 1 },
    ],
    30,
    1,
  )!
  assert.deepEqual(late.runoutAt, D('2026-03-31T00:00:00Z'))
  assert.equal(predictRunout([], 30, 1), null)
  assert.equal(predictRunout([{ orderedAt: D('2026-01-01T00:00:00Z'), quantity: 1 }], 0, 1), null)
})

test('script pick: repurchase node, segment tag fit, then the price sensitivity the script is written for', () => {
  const row = (
    id: number,
    title: string,
    node: ScriptRow['node'],
    segmentTagId: string | null,
    useCount = 0,
  ) => ({ id, title, node, segmentTagId, useCount }) as ScriptRow
  const cands = [
    { row: row(1, '用完提醒', 'repurchase', null, 5), tagName: '', price: null },
    { row: row(2, '限时活动回购', 'repurchase', null), tagName: '', price: priceSignal('限时活动回购') },
    {
      row: row(3, '金卡专属回购', 'repurchase', 'tGold'),
      tagName: '金卡',
      price: priceSignal('金卡 金卡专属回购'),
    },
  ]
  assert.equal(priceSignal('低价格敏感 专业护肤'), 'low')
  assert.equal(priceSignal('高价格敏感'), 'high')
  assert.equal(pickScript(cands, [], null)?.script.row.id, 1, 'no segment: most used')
  assert.equal(pickScript(cands, ['tGold'], null)?.script.row.id, 3, 'segment tag wins')
  const high = pickScript(cands, [], 'high')!
  assert.equal(high.script.row.id, 2, 'high price sensitivity prefers the promotion')
  assert.ok(high.priceMatch)
})

for (const kind of DATABASE_KINDS) {
  describe(`run-out reminders and SOP tasks [${kind}]`, () => {
    let s: SimulatedSetup
    let base: string
    let lina: string
    let wangfang: string
    let admin: string
    let linaCustomers: string[]
    let othersCustomer: string
    let serum: { id: number; cycleDays: number }
    let cream: { id: number; cycleDays: number }
    let orderSeq = 0
    const now = new Date()
    const at = (days: number) => new Date(now.getTime() + days * DAY_MS)

    const api = jsonApi(() => base)
    const db = () => s.t.app.db
    const tasksOf = (externalUserId: string) =>
      db()
        .getRepository(FollowupTaskEntity)
        .find({ where: { externalUserId }, order: { id: 'ASC' } })

    /** One paid order bound to the customer (as the orders module stores it), then the change event. */
    async function addOrder(
      externalUserId: string,
      orderedAt: Date,
      items: { productId: number | null; quantity: number }[],
      emit = true,
    ) {
      const no = `T${++orderSeq}`
      const t = (d: Date) => sqlTime(db(), d)
      await db().query(
        `INSERT INTO shop_order (source_id, order_no, external_user_id, user_id, bound_by, bound_at, buyer_name,
           total_cents, discount_cents, coupon_used, status, ordered_at, created_at)
         VALUES (1, ?, ?, 'lina', 'advisor', ?, '', 29900, 0, ?, 'paid', ?, ?)`,
        [no, externalUserId, t(now), false, t(orderedAt), t(now)],
      )
      const [{ id }] = await db().query('SELECT id FROM shop_order WHERE order_no = ?', [no])
      for (const it of items)
        await db().query(
          `INSERT INTO shop_order_item (order_id, product_id, sku, product_name, quantity, amount_cents)
           VALUES (?, ?, '', 'x', ?, 100)`,
          [id, it.productId, it.quantity],
        )
      if (!emit) return
      const orders = (s.t.app as unknown as { orders?: { emitChanged(ids: string[]): Promise<void> } }).orders
      if (orders?.emitChanged) await orders.emitChanged([externalUserId])
      else await s.t.app.reminders.onOrdersChanged([externalUserId])
    }

    const cardsFor = (taskId: number) =>
      s.sim.corp.data.appMessages.filter(
        (m) =>
          m.msgtype === 'textcard' &&
          String((m.body.textcard as { url: string }).url).endsWith(`task=${taskId}`),
      )

    before(async () => {
      s = await startWithSimulator(kind, { sync: true })
      base = s.base
      await seedDemoContent(s.t.app)
      lina = await advisorCookie(base, 'lina')
      wangfang = await advisorCookie(base, 'wangfang')
      admin = await adminCookie(s.t.app)
      const customers = [...s.sim.corp.data.customers.values()]
      linaCustomers = customers
        .filter((c) => c.follows.length === 1 && c.follows[0].userid === 'lina')
        .map((c) => c.external_userid)
      othersCustomer = customers.find(
        (c) => c.follows.length === 1 && c.follows[0].userid === 'wangfang',
      )!.external_userid
      assert.ok(linaCustomers.length >= 5)
      const products = await db().getRepository(ProductEntity).find()
      const p1 = products.find((p) => p.name.startsWith('修护精华液'))!
      const p2 = products.find((p) => p.name.startsWith('保湿面霜'))!
      // The product form's new fields go through the products admin API.
      const put = await api(`/api/admin/products/${p1.id}`, admin, {
        method: 'PUT',
        body: {
          name: p1.name,
          priceCents: p1.priceCents,
          imageUrl: p1.imageUrl,
          link: p1.link,
          cycleDays: 45,
          unitsPerOrder: 1,
          remindDaysBefore: 3,
        },
      })
      assert.equal(put.status, 200)
      assert.equal(put.body.remindDaysBefore, 3)
      assert.equal(put.body.unitsPerOrder, 1)
      serum = { id: p1.id, cycleDays: 45 }
      cream = { id: p2.id, cycleDays: p2.cycleDays! }
      assert.equal(p2.remindDaysBefore, 3, 'default remind_days_before')
    })
    after(() => s.close())

    test('a reminder comes N days before the run-out with an app message and a repurchase script, once', async () => {
      const c = linaCustomers[0]
      await addOrder(c, at(-40), [{ productId: serum.id, quantity: 1 }])
      const pred = await db()
        .getRepository(RunoutPredictionEntity)
        .findOneByOrFail({ externalUserId: c, productId: serum.id })
      assert.equal(pred.runoutAt.getTime(), at(5).getTime(), '40 days ago + 45-day cycle')
      assert.equal(pred.remindAt.getTime(), at(2).getTime(), 'three days before')

      await s.t.app.reminders.scan(now)
      assert.equal((await tasksOf(c)).length, 0, 'not yet: the reminder is due in 2 days')

      const res = await s.t.app.reminders.scan(at(2.1))
      assert.ok(res.reminders >= 1)
      const [task] = await tasksOf(c)
      assert.equal(task.kind, 'runout')
      assert.equal(task.userId, 'lina')
      assert.equal(task.dueAt!.getTime(), at(5).getTime())
      const script = await db().getRepository(ScriptEntity).findOneByOrFail({ id: task.scriptId! })
      assert.equal(script.node, 'repurchase')
      const cards = cardsFor(task.id)
      assert.equal(cards.length, 1, 'one app message')
      assert.deepEqual(cards[0].touser, ['lina'])
      const card = cards[0].body.textcard as { title: string; description: string; url: string }
      assert.match(card.title, /修护精华液/)
      assert.ok(card.url.startsWith(`${base}/sidebar/`))

      // The sidebar shows it with the script and the prediction.
      const view = await api(`/api/sidebar/customers/${c}/tasks`, lina)
      assert.equal(view.status, 200)
      assert.equal(view.body.tasks.length, 1)
      assert.equal(view.body.tasks[0].script.id, script.id)
      assert.equal(view.body.predictions[0].productId, serum.id)
      assert.equal(new Date(view.body.predictions[0].runoutAt).getTime(), at(5).getTime())

      // Rerun: nothing new, no second message.
      await s.t.app.reminders.scan(at(2.2))
      assert.equal((await tasksOf(c)).length, 1)
      assert.equal(cardsFor(task.id).length, 1)

      // Handled → not repeated, even after the quiet period.
      const done = await api(`/api/sidebar/tasks/${task.id}/handle`, lina, {
        method: 'POST',
        body: { action: 'done' },
      })
      assert.equal(done.status, 200)
      assert.equal(done.body.status, 'done')
      assert.ok(done.body.handledAt)
      await s.t.app.reminders.scan(at(12))
      assert.deepEqual(
        (await tasksOf(c)).map((t) => t.status),
        ['done'],
      )
      assert.equal((await api(`/api/sidebar/customers/${c}/tasks`, lina)).body.tasks.length, 0)
    })

    test('a new order moves the prediction and closes the stale reminder', async () => {
      const c = linaCustomers[1]
      await addOrder(c, at(-43), [{ productId: serum.id, quantity: 1 }])
      await s.t.app.reminders.scan(now)
      const [task] = await tasksOf(c)
      assert.equal(task.status, 'open')
      assert.equal(task.dueAt!.getTime(), at(2).getTime())

      // Reordered 2 days early: the 2 days left carry over.
      await addOrder(c, now, [{ productId: serum.id, quantity: 1 }])
      const pred = await db()
        .getRepository(RunoutPredictionEntity)
        .findOneByOrFail({ externalUserId: c, productId: serum.id })
      assert.equal(pred.runoutAt.getTime(), at(47).getTime())
      const [closed] = await tasksOf(c)
      assert.equal(closed.status, 'closed')
      assert.equal(closed.closeReason, 'new_order')
      const view = await api(`/api/sidebar/customers/${c}/tasks`, lina)
      assert.equal(view.body.tasks.length, 0)
      assert.equal(new Date(view.body.predictions[0].runoutAt).getTime(), at(47).getTime())

      // The advisor says this customer uses it every 30 days: the prediction follows.
      const cyc = await api(`/api/sidebar/customers/${c}/cycles/${serum.id}`, lina, {
        method: 'PUT',
        body: { cycleDays: 30 },
      })
      assert.equal(cyc.status, 200)
      assert.equal(cyc.body.predictions[0].customCycle, true)
      assert.equal(cyc.body.predictions[0].cycleDays, 30)
      // 43 days ago + 30 → ran out 13 days ago; reordered today → today + 30.
      assert.equal(new Date(cyc.body.predictions[0].runoutAt).getTime(), at(30).getTime())
      const reset = await api(`/api/sidebar/customers/${c}/cycles/${serum.id}`, lina, {
        method: 'PUT',
        body: { cycleDays: null },
      })
      assert.equal(new Date(reset.body.predictions[0].runoutAt).getTime(), at(47).getTime())
    })

    test('quiet period: one reminder per customer within it, the next one after it', async () => {
      const settings = await api('/api/admin/reminders/settings', admin)
      assert.equal(settings.body.quietDays, 7, 'default quiet period')
      const c = linaCustomers[2]
      await addOrder(c, at(-43), [{ productId: serum.id, quantity: 1 }])
      await addOrder(c, at(-(cream.cycleDays - 2)), [{ productId: cream.id, quantity: 1 }])
      await s.t.app.reminders.scan(now)
      const first = await tasksOf(c)
      assert.equal(first.length, 1, 'two products due, one reminder')
      await s.t.app.reminders.scan(at(6))
      assert.equal((await tasksOf(c)).length, 1, 'still inside the quiet period')
      await s.t.app.reminders.scan(at(7.5))
      const both = await tasksOf(c)
      assert.equal(both.length, 2, 'after the quiet period the other product is reminded')
      assert.notEqual(both[0].productId, both[1].productId)
    })

    test('other triggers: overdue regular buyer, expiring member benefits, dormant customers', async () => {
      const regular = linaCustomers[3]
      const steady = linaCustomers[4]
      // Every 10 days, silent for 50 → overdue (50 > 1.5 × 10).
      for (const d of [-70, -60, -50]) await addOrder(regular, at(d), [{ productId: null, quantity: 1 }])
      // Every 10 days, last one 10 days ago → fine.
      for (const d of [-30, -20, -10]) await addOrder(steady, at(d), [{ productId: null, quantity: 1 }])
      // Member benefits expiring in 10 days (set from the sidebar).
      const benefitCustomer = linaCustomers[5] ?? linaCustomers[0]
      const dates = await api(`/api/sidebar/customers/${benefitCustomer}/dates`, lina, {
        method: 'PUT',
        body: {
          birthday: '02-29',
          benefitExpiresOn: new Date(at(10).getTime() + 8 * 3600_000).toISOString().slice(0, 10),
        },
      })
      assert.equal(dates.status, 200)
      assert.equal(dates.body.birthday, '02-29')
      const bad = await api(`/api/sidebar/customers/${benefitCustomer}/dates`, lina, {
        method: 'PUT',
        body: { birthday: '02-31', benefitExpiresOn: null },
      })
      assert.equal(bad.status, 400)

      await s.t.app.reminders.scan(at(0.1))
      const overdue = (await tasksOf(regular)).filter((t) => t.kind === 'overdue')
      assert.equal(overdue.length, 1)
      assert.match(overdue[0].detail, /共 3 单，平均 10 天一单，已 50 天没有下单/)
      assert.equal((await tasksOf(steady)).filter((t) => t.kind === 'overdue').length, 0)
      assert.equal((await tasksOf(benefitCustomer)).filter((t) => t.kind === 'benefit').length, 1)
      assert.equal(cardsFor(overdue[0].id).length, 1)

      // A new order closes the overdue reminder.
      await addOrder(regular, at(0.1), [{ productId: null, quantity: 1 }])
      assert.equal((await tasksOf(regular)).find((t) => t.kind === 'overdue')!.status, 'closed')

      // Dormant: no order, no interaction for 20 days (the demo corp's customers were added 1–30 days ago).
      const put = await api('/api/admin/reminders/settings', admin, {
        method: 'PUT',
        body: { quietDays: 7, dormantDays: 20, benefitDaysBefore: 15, digestEnabled: true },
      })
      assert.equal(put.status, 200)
      const follows: { ext: string; addTime: unknown }[] = await db().query(
        `SELECT external_user_id AS ext, MIN(add_time) AS addTime FROM customer_follow WHERE status = 'active' GROUP BY external_user_id`,
      )
      const old = follows
        .filter((f) => !linaCustomers.slice(0, 6).includes(f.ext))
        .filter((f) => readTime(f.addTime)!.getTime() < at(-21).getTime())
        .map((f) => f.ext)
      assert.ok(old.length >= 2, 'some demo customers were added more than 21 days ago')
      const [quiet, talked] = old
      // An advisor note is an interaction: that customer is not dormant.
      const follow = s.sim.corp.data.customers.get(talked)!.follows[0]
      const cookie = follow.userid === 'lina' ? lina : await advisorCookie(base, follow.userid)
      assert.equal(
        (
          await api(`/api/sidebar/customers/${talked}/notes`, cookie, {
            method: 'POST',
            body: { content: '回访过' },
          })
        ).status,
        201,
      )
      await s.t.app.reminders.scan(at(0.2))
      assert.equal((await tasksOf(quiet)).filter((t) => t.kind === 'dormant').length, 1)
      assert.equal((await tasksOf(talked)).filter((t) => t.kind === 'dormant').length, 0)
      await s.t.app.reminders.scan(at(0.3))
      assert.equal(
        (await tasksOf(quiet)).filter((t) => t.kind === 'dormant').length,
        1,
        'once per dormant spell',
      )
    })

    test('SOP "3 days after add, no order": exactly one task per customer across reruns and two instances', async () => {
      const script = (await db().getRepository(ScriptEntity).find()).find((x) => x.title === '新客欢迎')!
      const created = await api('/api/admin/reminders/rules', admin, {
        method: 'POST',
        body: {
          name: '新客3天未下单',
          trigger: 'days_after_add',
          params: { days: 3, noOrder: true },
          scriptId: script.id,
          message: '记得送新人券',
          enabled: true,
        },
      })
      assert.equal(created.status, 201)
      const ruleId = created.body.id
      assert.equal(created.body.scriptTitle, '新客欢迎')
      const badRule = await api('/api/admin/reminders/rules', admin, {
        method: 'POST',
        body: {
          name: 'x',
          trigger: 'tag_present',
          params: { tagId: 'etNope' },
          scriptId: null,
          enabled: true,
        },
      })
      assert.equal(badRule.status, 400)

      // A second instance on the same database, like a scaled-out deployment.
      const second = await secondInstance(s)
      try {
        const runAt = at(0.5)
        await Promise.all([s.t.app.reminders.sop.run(runAt), second.app.reminders.sop.run(runAt)])
        const ran = await Promise.all([
          s.t.app.scheduler.runNow('reminders.scan'),
          second.app.scheduler.runNow('reminders.scan'),
        ])
        assert.ok(ran.includes(true), 'one instance holds the lease')
        await s.t.app.reminders.sop.run(runAt)
      } finally {
        await second.close()
      }
      const tasks = await db().getRepository(FollowupTaskEntity).findBy({ ruleId })
      const expected: { ext: string }[] = await db().query(
        `SELECT DISTINCT f.external_user_id AS ext FROM customer_follow f
          WHERE f.status = 'active' AND f.add_time <= ? AND f.add_time > ?
            AND NOT EXISTS (SELECT 1 FROM shop_order o WHERE o.external_user_id = f.external_user_id AND o.status = 'paid')`,
        [sqlTime(db(), at(0.5 - 3)), sqlTime(db(), at(0.5 - 10))],
      )
      assert.ok(expected.length >= 3, `demo customers 3–10 days after add (${expected.length})`)
      assert.deepEqual(tasks.map((t) => t.externalUserId).sort(), expected.map((e) => e.ext).sort())
      assert.equal(new Set(tasks.map((t) => t.externalUserId)).size, tasks.length, 'one per customer')
      assert.ok(
        tasks.every((t) => t.scriptId === script.id && t.message === '记得送新人券' && t.kind === 'sop'),
      )

      // Completion: the advisor marks one done, another dismissed; the rule's rate follows.
      const [a, b] = tasks
      const cookieFor = async (u: string) =>
        u === 'lina' ? lina : u === 'wangfang' ? wangfang : advisorCookie(base, u)
      assert.equal(
        (
          await api(`/api/sidebar/tasks/${a.id}/handle`, await cookieFor(a.userId), {
            method: 'POST',
            body: { action: 'done' },
          })
        ).status,
        200,
      )
      assert.equal(
        (
          await api(`/api/sidebar/tasks/${b.id}/handle`, await cookieFor(b.userId), {
            method: 'POST',
            body: { action: 'dismissed' },
          })
        ).status,
        200,
      )
      const rules = await api('/api/admin/reminders/rules', admin)
      const rule = rules.body.items.find((r: { id: number }) => r.id === ruleId)
      assert.equal(rule.stats.total, tasks.length)
      assert.equal(rule.stats.done, 1)
      assert.equal(rule.stats.dismissed, 1)
      assert.equal(rule.stats.rate, 1 / tasks.length)
      const stats = await api('/api/admin/reminders/stats', admin)
      assert.ok(stats.body.byAdvisor.some((r: { key: string; done: number }) => r.done >= 1))
      const list = await api(`/api/admin/reminders/tasks?ruleId=${ruleId}&status=open&pageSize=100`, admin)
      assert.equal(list.body.total, tasks.length - 2)
    })

    test('daily digest: one app message per advisor with open tasks, once a day', async () => {
      const before = s.sim.corp.data.appMessages.length
      const res = await api('/api/admin/reminders/digest', admin, { method: 'POST' })
      assert.equal(res.status, 200)
      const open: { userId: string; n: number | string }[] = await db().query(
        `SELECT user_id AS userId, COUNT(*) AS n FROM followup_task WHERE status = 'open' GROUP BY user_id`,
      )
      assert.equal(res.body.sent, open.length)
      const digests = s.sim.corp.data.appMessages.slice(before)
      assert.equal(digests.length, open.length)
      for (const o of open) {
        const m = digests.find((d) => d.touser[0] === o.userId)!
        assert.equal((m.body.textcard as { title: string }).title, `今日待办：${Number(o.n)} 条客户跟进任务`)
      }
      const again = await api('/api/admin/reminders/digest', admin, { method: 'POST' })
      assert.equal(again.body.sent, 0)
      assert.equal(s.sim.corp.data.appMessages.length, before + open.length)
    })

    test('sidebar: another advisor’s customer or task is a 403', async () => {
      for (const [method, path, body] of [
        ['GET', `/api/sidebar/customers/${othersCustomer}/tasks`, undefined],
        ['PUT', `/api/sidebar/customers/${othersCustomer}/cycles/${serum.id}`, { cycleDays: 10 }],
        ['PUT', `/api/sidebar/customers/${othersCustomer}/dates`, { birthday: null, benefitExpiresOn: null }],
      ] as const) {
        const r = await api(path, lina, { method, body })
        assert.equal(r.status, 403, `${method} ${path}`)
        assert.equal(r.body.code, 'not_your_customer')
      }
      assert.equal((await api(`/api/sidebar/customers/${othersCustomer}/tasks`, wangfang)).status, 200)
      const someoneElses = await db()
        .getRepository(FollowupTaskEntity)
        .findOneBy({ userId: 'wangfang', status: 'open' })
      if (someoneElses) {
        const r = await api(`/api/sidebar/tasks/${someoneElses.id}/handle`, lina, {
          method: 'POST',
          body: { action: 'done' },
        })
        assert.equal(r.status, 403)
        assert.equal(r.body.code, 'not_your_task')
      }
      assert.equal((await api(`/api/sidebar/customers/${othersCustomer}/tasks`, '')).status, 401)
      const mine = await api('/api/sidebar/tasks', lina)
      assert.ok(mine.body.items.every((t: { userId: string }) => t.userId === 'lina'))
    })

    test('SOP birthday month and segment entered: one task per customer, reruns add none', async () => {
      const month = shanghaiDay(now).slice(5, 7)
      const otherMonth = String((Number(month) % 12) + 1).padStart(2, '0')
      const [born, bornLater, highSpender] = linaCustomers.slice(-3)
      for (const [ext, birthday] of [
        [born, `${month}-15`],
        [bornLater, `${otherMonth}-15`],
      ]) {
        const r = await api(`/api/sidebar/customers/${ext}/dates`, lina, {
          method: 'PUT',
          body: { birthday, benefitExpiresOn: null },
        })
        assert.equal(r.status, 200)
      }
      // The segments module's output for this customer: price sensitivity high.
      await db().getRepository(CustomerSegmentEntity).save({
        externalUserId: highSpender,
        activity: 'inactive',
        priceSensitivity: 'high',
        computedAt: now,
      })
      const rule = async (name: string, trigger: string, params: Record<string, unknown>) => {
        const r = await api('/api/admin/reminders/rules', admin, {
          method: 'POST',
          body: { name, trigger, params, scriptId: null, message: '', enabled: true },
        })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        return r.body.id as number
      }
      const birthdayRule = await rule('生日月关怀', 'birthday_month', {})
      const promoRule = await rule('高敏感度促销', 'segment_entered', { dimension: 'price', value: 'high' })
      await s.t.app.reminders.sop.run(now)
      await s.t.app.reminders.sop.run(now)

      const byRule = async (ruleId: number) =>
        (await db().getRepository(FollowupTaskEntity).findBy({ ruleId })).map((t) => t.externalUserId).sort()
      const bornThisMonth: { ext: string }[] = await db().query(
        'SELECT external_user_id AS ext FROM customer_dates WHERE birth_month = ?',
        [Number(month)],
      )
      assert.ok(bornThisMonth.some((r) => r.ext === born))
      assert.ok(!bornThisMonth.some((r) => r.ext === bornLater))
      assert.deepEqual(await byRule(birthdayRule), bornThisMonth.map((r) => r.ext).sort())
      const high: { ext: string }[] = await db().query(
        "SELECT external_user_id AS ext FROM customer_segment WHERE price_sensitivity = 'high'",
      )
      assert.ok(high.some((r) => r.ext === highSpender))
      assert.deepEqual(await byRule(promoRule), high.map((r) => r.ext).sort())
      const promo = await db()
        .getRepository(FollowupTaskEntity)
        .findOneBy({ ruleId: promoRule, externalUserId: highSpender })
      assert.equal(promo!.userId, 'lina', "the task goes to the customer's advisor")
    })
  })
}
