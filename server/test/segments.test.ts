// Segments (客户分层) against the simulated corp over real HTTP, on SQLite and MariaDB: every dimension
// on a small hand-made dataset, the incremental recompute after an order event, corp tag mirroring
// with mark_tag, the single leader, script stats and the sidebar route's scoping.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { CustomerEntity } from '../src/modules/directory/customer.entity.ts'
import { FollowTagEntity } from '../src/modules/directory/follow.entity.ts'
import { GroupMemberEntity } from '../src/modules/directory/group-chat.entity.ts'
import { ScriptEntity, ScriptLibraryEntity, ScriptUsageEntity } from '../src/modules/scripts/script.entity.ts'
import { CustomerNoteEntity } from '../src/modules/sidebar/customer-note.entity.ts'
import { CustomerSegmentEntity, SegmentInviteEntity } from '../src/modules/segments/segment.entity.ts'
import { SegmentTagEntity } from '../src/modules/segments/segment.entity.ts'
import { RECOMPUTE_JOB } from '../src/modules/segments/recompute.job.ts'
import { scriptStats } from '../src/modules/segments/script-stats.ts'
import { clockAt } from '../src/modules/segments/segment-sql.ts'
import { adminCookie } from './helpers/app.ts'
import { insertCustomer, insertOrder } from './helpers/fixtures.ts'
import { DATABASE_KINDS } from './helpers/databases.ts'
import { secondInstance, startWithSimulator, type SimulatedSetup } from './helpers/simulated-corp.ts'
import { advisorCookie, jsonApi } from './helpers/sidebar-session.ts'

const DAY = 86_400_000
// The 25th of the current month, 12:00 Shanghai: last month is then a whole, fixed calendar month.
const sh = new Date(Date.now() + 8 * 3600_000)
const NOW = new Date(Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth(), 25, 4))
const ago = (days: number) => new Date(NOW.getTime() - days * DAY)
const clock = clockAt(NOW)
/** Day `d` of last month, 02:00 Shanghai. */
const lm = (d: number) => new Date(clock.monthStart.getTime() + d * DAY + 2 * 3600_000)

for (const kind of DATABASE_KINDS) {
  describe(`segments [${kind}]`, () => {
    let s: SimulatedSetup
    let base: string
    let admin: string
    let orderNo = 0

    const api = jsonApi(() => base)

    const db = () => s.t.app.db
    const customer = (id: string, addTime: Date, userId = 'lina') =>
      insertCustomer(db(), { id, addTime, userId })
    const order = (
      externalUserId: string,
      totalCents: number,
      orderedAt: Date,
      o: { discount?: number; coupon?: boolean; status?: 'paid' | 'refunded' } = {},
    ) =>
      insertOrder(db(), {
        orderNo: `T${++orderNo}`,
        externalUserId,
        totalCents,
        orderedAt,
        discountCents: o.discount,
        coupon: o.coupon,
        status: o.status,
      })
    const seg = (id: string) =>
      db().getRepository(CustomerSegmentEntity).findOneByOrFail({ externalUserId: id })
    let scriptId: number

    before(async () => {
      s = await startWithSimulator(kind, { sync: true })
      base = s.base
      admin = await adminCookie(s.t.app)

      // The hand-made dataset (customers our own, followed by lina; not in the simulator).
      for (const id of ['segA', 'segB', 'segC', 'segD', 'segF', 'segG', 'segH']) await customer(id, ago(60))
      await customer('segE', ago(5))
      // A: three plain orders last month, ¥2,300 → 钻粉, no promotions → low sensitivity.
      await order('segA', 100_000, lm(0))
      await order('segA', 80_000, lm(10))
      await order('segA', 50_000, lm(20))
      // B: one coupon order last month, ¥600 → 冲钻粉, high sensitivity.
      await order('segB', 60_000, lm(10), { coupon: true })
      // C: ¥100 last month (奥粉), a discounted ¥200 two days ago → medium, active in 3 days.
      await order('segC', 10_000, lm(5))
      await order('segC', 20_000, ago(2), { discount: 2_000 })
      // D: an old order; last month's only order was refunded → no tier.
      await order('segD', 5_000, ago(100))
      await order('segD', 90_000, lm(3), { status: 'refunded' })
      // F: a follow-up note 10 days ago; H: joined a group yesterday.
      await db()
        .getRepository(CustomerNoteEntity)
        .insert({
          externalUserId: 'segF',
          userId: 'lina',
          kind: 'follow_up',
          content: '回访',
          createdAt: ago(10),
        })
      await db()
        .getRepository(GroupMemberEntity)
        .insert({
          chatId: 'wrSegTest',
          memberId: 'segH',
          type: 2,
          joinTime: ago(1),
          joinScene: 3,
          invitor: '',
          isAdmin: false,
        })
      // Script sends: to B two days before its order, to C three days before, to E (no order).
      const lib = await db()
        .getRepository(ScriptLibraryEntity)
        .save({ name: '测试库', order: 0, createdAt: NOW, deletedAt: null })
      const script = await db().getRepository(ScriptEntity).save({
        libraryId: lib.id,
        title: '限时优惠话术',
        kind: 'text',
        content: '…',
        node: 'conversion',
        segmentTagId: null,
        mediaName: null,
        mediaPath: null,
        mediaId: null,
        mediaCreatedAt: null,
        useCount: 3,
        createdAt: NOW,
        updatedAt: NOW,
        deletedAt: null,
      })
      scriptId = script.id
      for (const [eu, at] of [
        ['segB', lm(8)],
        ['segC', ago(5)],
        ['segE', ago(6)],
      ] as const)
        await db()
          .getRepository(ScriptUsageEntity)
          .insert({ scriptId, userId: 'lina', externalUserId: eu, chatId: null, usedAt: at })
    })
    after(() => s.close())

    test('a full recompute: tiers, RFM scores and groups, activity, price sensitivity, purchase facts', async () => {
      const run = await s.t.app.segments.recomputeAll(NOW)
      assert.equal(run.error, null)
      const total = await db().getRepository(CustomerEntity).count()
      assert.equal(run.customers, total)

      const a = await seg('segA')
      assert.equal(a.tierName, '钻粉')
      assert.deepEqual([a.rScore, a.fScore, a.mScore, a.rfmGroup], [4, 5, 5, 'important_value'])
      assert.equal(a.priceSensitivity, 'low')
      assert.equal(a.orderCount, 3)
      assert.equal(Number(a.totalCents), 230_000)
      assert.equal(a.avgIntervalDays, 10)
      assert.equal(a.lastOrderAt!.getTime(), lm(20).getTime())
      assert.equal(a.activity, 'inactive')

      const b = await seg('segB')
      assert.equal(b.tierName, '冲钻粉')
      assert.deepEqual([b.rScore, b.fScore, b.mScore, b.rfmGroup], [2, 1, 4, 'important_retain'])
      assert.equal(b.priceSensitivity, 'high')
      assert.equal(b.avgIntervalDays, null)

      const c = await seg('segC')
      assert.equal(c.tierName, '奥粉')
      assert.deepEqual([c.rScore, c.fScore, c.mScore, c.rfmGroup], [5, 4, 2, 'general_value'])
      assert.equal(c.priceSensitivity, 'medium')
      assert.equal(c.activity, '3d')
      assert.equal(c.avgIntervalDays, Math.round((ago(2).getTime() - lm(5).getTime()) / DAY))

      const d = await seg('segD')
      assert.equal(d.tierId, null)
      assert.deepEqual([d.rScore, d.fScore, d.mScore, d.rfmGroup], [1, 1, 1, 'general_retain'])
      assert.equal(d.priceSensitivity, 'low')
      assert.equal(d.orderCount, 1)
      assert.equal(Number(d.totalCents), 5_000)

      for (const [id, band] of [
        ['segE', '7d'],
        ['segF', '14d'],
        ['segG', 'inactive'],
        ['segH', '3d'],
      ] as const) {
        const x = await seg(id)
        assert.equal(x.activity, band, id)
        assert.equal(x.rfmGroup, null)
        assert.equal(x.priceSensitivity, null)
        assert.equal(x.orderCount, 0)
        assert.equal(x.tierId, null)
      }
      assert.equal((await seg('segF')).lastInteractionAt!.getTime(), ago(10).getTime())

      const ov = await api('/api/admin/segments/overview', admin)
      assert.equal(ov.status, 200)
      assert.equal(ov.body.customers, total)
      assert.equal(ov.body.buyers, 4)
      const count = (list: { value: string; count: number }[], v: string) =>
        list.find((x) => x.value === v)?.count
      assert.equal(count(ov.body.rfm, 'important_value'), 1)
      assert.equal(count(ov.body.price, 'high'), 1)
      assert.equal(ov.body.tiers.find((t: { label: string }) => t.label === '钻粉').count, 1)
      assert.equal(ov.body.lastRun.customers, total)
      assert.ok(ov.body.lastRun.durationMs >= 0)
    })

    test('an order event recomputes only that customer (RFM against the last full run’s cut-offs)', async () => {
      const gBefore = await seg('segG')
      // D buys ¥2,500 on the 13th of last month: 钻粉, R=2 (between B and A), F=4, M=5 → 重要保持.
      await order('segD', 250_000, lm(12))
      await s.t.app.segments.recomputeCustomers(['segD'], NOW)
      const d = await seg('segD')
      assert.equal(d.tierName, '钻粉')
      assert.deepEqual([d.rScore, d.fScore, d.mScore, d.rfmGroup], [2, 4, 5, 'important_keep'])
      assert.equal(d.orderCount, 2)
      assert.equal(Number(d.totalCents), 255_000)
      const g = await seg('segG')
      assert.equal(g.computedAt.getTime(), gBefore.computedAt.getTime(), 'others untouched')

      // Through the orders module's event, as the push API and imports emit it.
      await order('segE', 9_900, new Date(Date.now() - 3600_000), { coupon: true })
      await s.t.app.orders.emitChanged(['segE'])
      await s.t.app.segments.idle()
      const e = await seg('segE')
      assert.equal(e.orderCount, 1)
      assert.equal(Number(e.totalCents), 9_900)
      assert.equal(e.priceSensitivity, 'high')
      assert.ok(e.rfmGroup)
    })

    test('a tier with a group code creates one invitation task for the advisor', async () => {
      const tiers = (await api('/api/admin/segments/tiers', admin)).body.items as {
        id: number
        name: string
        minSpendCents: number
        minOrders: number
        rank: number
        groupCodeId: number | null
      }[]
      assert.deepEqual(
        tiers.map((t) => t.name),
        ['奥粉', '冲钻粉', '钻粉'],
      )
      const items = tiers.map((t) => (t.name === '钻粉' ? { ...t, groupCodeId: 7 } : t))
      const put = await api('/api/admin/segments/tiers', admin, { method: 'PUT', body: { items } })
      assert.equal(put.status, 200)
      await s.t.app.segments.recomputeAll(NOW)
      await s.t.app.segments.recomputeAll(NOW)
      const invites = await db()
        .getRepository(SegmentInviteEntity)
        .find({ order: { externalUserId: 'ASC' } })
      assert.deepEqual(
        invites.map((i) => [i.externalUserId, i.userId, i.groupCodeId, i.status]),
        [
          ['segA', 'lina', 7, 'pending'],
          ['segD', 'lina', 7, 'pending'],
        ],
      )
      const dup = await api('/api/admin/segments/tiers', admin, {
        method: 'PUT',
        body: {
          items: [...items, { name: '钻粉', minSpendCents: 1, minOrders: 0, rank: 9, groupCodeId: null }],
        },
      })
      assert.equal(dup.status, 400)
    })

    test('script usage and 7-day conversion per segment', async () => {
      const r = await scriptStats(db(), s.t.app.segments.dialect, 'price', 90, NOW)
      const by = Object.fromEntries(r.bySegment.map((x) => [x.value, [x.uses, x.converted]]))
      // B (high) ordered 2 days after; C (medium) 3 days after; E's order came 6 days later, but
      // E is now high as well — B and E share the "high" row.
      assert.deepEqual(by, { high: [2, 2], medium: [1, 1] })
      assert.equal(r.rows.length, 2)
      assert.ok(r.rows.every((x) => x.scriptId === scriptId && x.title === '限时优惠话术'))
      const route = await api('/api/admin/segments/script-stats?dimension=rfm&days=365', admin)
      assert.equal(route.status, 200)
      assert.match(route.body.note, /7 天内下单/)
    })

    test('sidebar: the customer’s segments for their advisor, 403 for another advisor', async () => {
      const lina = await advisorCookie(base, 'lina')
      const wangfang = await advisorCookie(base, 'wangfang')
      const mine = await api('/api/sidebar/customers/segA/segment', lina)
      assert.equal(mine.status, 200)
      assert.equal(mine.body.tier.name, '钻粉')
      assert.equal(mine.body.rfmLabel, '重要价值客户')
      const a = await seg('segA')
      assert.deepEqual(mine.body.scores, { r: a.rScore, f: a.fScore, m: a.mScore })
      assert.ok(mine.body.purchase.includes('bought'))
      const other = await api('/api/sidebar/customers/segA/segment', wangfang)
      assert.equal(other.status, 403)
      assert.equal(other.body.code, 'not_your_customer')
      assert.equal((await api('/api/sidebar/customers/segA/segment', '')).status, 401)
    })

    test('the sidebar ranks scripts with orders and segments: repurchase node, segment-tag scripts first', async () => {
      // segB ordered and is price-sensitive "high"; that value is mirrored to a corp tag (mapping only:
      // WeCom has not tagged the follow yet, which is the case this covers).
      const b = await seg('segB')
      assert.equal(b.priceSensitivity, 'high')
      const tagId = (await db().query('SELECT tag_id AS tagId FROM tag LIMIT 1'))[0].tagId as string
      await db().getRepository(SegmentTagEntity).save({ dimension: 'price', value: 'high', tagId })
      const lib = await db()
        .getRepository(ScriptLibraryEntity)
        .save({ name: '分层话术', order: 1, createdAt: NOW, deletedAt: null })
      const row = {
        libraryId: lib.id,
        kind: 'text' as const,
        content: '…',
        mediaName: null,
        mediaPath: null,
        mediaId: null,
        mediaCreatedAt: null,
        useCount: 0,
        createdAt: NOW,
        updatedAt: NOW,
        deletedAt: null,
      }
      const promo = await db()
        .getRepository(ScriptEntity)
        .save({ ...row, title: '复购·限时优惠', node: 'repurchase', segmentTagId: tagId })
      const plain = await db()
        .getRepository(ScriptEntity)
        .save({ ...row, title: '复购·通用', node: 'repurchase', segmentTagId: null })
      const lina = await advisorCookie(base, 'lina')
      const res = await api('/api/sidebar/scripts?externalUserId=segB', lina)
      assert.equal(res.status, 200)
      assert.equal(res.body.stage.node, 'repurchase', 'a customer who ordered is on the repurchase node')
      assert.ok(res.body.stage.segmentTagIds.includes(tagId), 'the mirrored segment tag counts')
      const ids = (res.body.items as { id: number; fit: string }[]).map((x) => [x.id, x.fit])
      assert.deepEqual(ids.slice(0, 2), [
        [promo.id, 'node_segment'],
        [plain.id, 'node'],
      ])
      await db().getRepository(ScriptEntity).delete([promo.id, plain.id])
      await db().getRepository(SegmentTagEntity).delete({ dimension: 'price', value: 'high' })
    })

    test('two instances run the recompute at once: only one runs', async () => {
      const second = await secondInstance(s)
      try {
        const before = await s.t.app.segments.lastRun()
        const ran = await Promise.all([
          s.t.app.scheduler.runNow(RECOMPUTE_JOB),
          second.app.scheduler.runNow(RECOMPUTE_JOB),
        ])
        assert.deepEqual([...ran].sort(), [false, true])
        const latest = await s.t.app.segments.lastRun()
        assert.equal(latest!.id, before!.id + 1, 'exactly one new run')
        const busy = await Promise.all([
          api('/api/admin/segments/recompute', admin, { method: 'POST' }),
          second.app.scheduler.runNow(RECOMPUTE_JOB),
        ])
        assert.ok([200, 409].includes(busy[0].status))
      } finally {
        await second.close()
      }
    })

    test('segments mirrored to corp tags with mark_tag; a rerun changes nothing; a change adds and removes', async () => {
      // Our hand-made customers are not in the simulated corp: take their follows out of the picture.
      await db().query("UPDATE customer_follow SET status = 'gone' WHERE external_user_id LIKE 'seg%'")
      // Two real customers of the simulated corp buy something.
      const sims = [...s.sim.corp.data.customers.values()].filter((c) => c.follows.length > 0).slice(0, 2)
      const [x, y] = sims.map((c) => c.external_userid)
      await order(x, 300_000, lm(4))
      await order(y, 8_000, lm(6), { coupon: true })
      const put = await api('/api/admin/segments/settings', admin, {
        method: 'PUT',
        body: {
          ...(await api('/api/admin/segments/settings', admin)).body,
          mirrorEnabled: true,
          mirrorDimensions: ['tier', 'rfm', 'price'],
        },
      })
      assert.equal(put.status, 200)
      const group = s.sim.corp.data.tagGroups.find((g) => g.group_name === 'SCRM 分层')
      assert.ok(group, 'tag group created in WeCom')
      assert.equal(group.tags.length, 3 + 8 + 3)

      const since = s.sim.corp.calls.list().at(-1)?.seq ?? 0
      await s.t.app.segments.recomputeAll(NOW)
      const marks = s.sim.corp.calls.list({ path: '/cgi-bin/externalcontact/mark_tag', since })
      const follows = sims.flatMap((c) => c.follows.map((f) => `${f.userid}/${c.external_userid}`)).sort()
      assert.deepEqual(
        marks
          .map(
            (m) =>
              `${(m.body as { userid: string }).userid}/${(m.body as { external_userid: string }).external_userid}`,
          )
          .sort(),
        follows,
      )
      const mapping = new Map(
        (await db().getRepository(SegmentTagEntity).find()).map((m) => [
          `${m.dimension}:${m.value}`,
          m.tagId,
        ]),
      )
      for (const c of sims) {
        const sg = await seg(c.external_userid)
        const want = [
          mapping.get(`tier:${sg.tierId}`),
          mapping.get(`rfm:${sg.rfmGroup}`),
          mapping.get(`price:${sg.priceSensitivity}`),
        ].sort()
        for (const f of c.follows) {
          const call = marks.find(
            (m) =>
              (m.body as { userid: string; external_userid: string }).userid === f.userid &&
              (m.body as { external_userid: string }).external_userid === c.external_userid,
          )!
          assert.deepEqual([...(call.body as { add_tag: string[] }).add_tag].sort(), want)
          assert.equal((call.body as { remove_tag?: string[] }).remove_tag, undefined)
          assert.ok(
            want.every((t) => f.tag_ids.includes(t!)),
            'WeCom has the tags',
          )
          const mirrored = await db()
            .getRepository(FollowTagEntity)
            .findBy({ userId: f.userid, externalUserId: c.external_userid })
          assert.ok(
            want.every((t) => mirrored.some((m) => m.tagId === t)),
            'our follow_tag mirror too',
          )
        }
      }

      const since2 = s.sim.corp.calls.list().at(-1)?.seq ?? 0
      await s.t.app.segments.recomputeAll(NOW)
      assert.equal(
        s.sim.corp.calls.list({ path: '/cgi-bin/externalcontact/mark_tag', since: since2 }).length,
        0,
      )

      // y turns from high to low price sensitivity with four plain orders (1 of 5 promoted = 0.2): add low, remove high.
      for (const dd of [1, 2, 3, 4]) await order(y, 8_000, lm(6 + dd))
      const since3 = s.sim.corp.calls.list().at(-1)?.seq ?? 0
      await s.t.app.segments.recomputeCustomers([y], NOW)
      const yc = sims[1]
      const changes = s.sim.corp.calls.list({ path: '/cgi-bin/externalcontact/mark_tag', since: since3 })
      assert.equal(changes.length, yc.follows.length)
      for (const m of changes) {
        const body = m.body as { add_tag?: string[]; remove_tag?: string[] }
        assert.ok(body.add_tag?.includes(mapping.get('price:low')!))
        assert.ok(body.remove_tag?.includes(mapping.get('price:high')!))
      }
      const status = (await api('/api/admin/segments/overview', admin)).body.mirror
      assert.equal(status.enabled, true)
      assert.equal(status.pending, 0)
      assert.equal(status.failed, 0)
    })
  })
}
