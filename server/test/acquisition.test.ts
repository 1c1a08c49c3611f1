// Acquisition end to end: the product app and the WeCom simulator on their own ports, callbacks and
// API calls over real HTTP, on SQLite and MariaDB. Admin calls go through app.inject with a session.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  AcquisitionRecordEntity,
  type AcquisitionRecord,
} from '../src/modules/acquisition/acquisition-record.entity.ts'
import { ChannelCodeEntity, ChannelEntity } from '../src/modules/acquisition/channel.entity.ts'
import { LostCustomerEntity } from '../src/modules/acquisition/lost-customer.entity.ts'
import { WelcomeMessageEntity } from '../src/modules/acquisition/welcome-message.entity.ts'
import { CustomerFollowEntity, FollowTagEntity } from '../src/modules/directory/follow.entity.ts'
import { InboxEntity } from '../src/modules/inbox/inbox.entity.ts'
import { adminCookie } from './helpers/app.ts'
import { DATABASE_KINDS } from './helpers/databases.ts'
import { eventually, startWithSimulator, type SimulatedSetup } from './helpers/simulated-corp.ts'

const P = '/cgi-bin/externalcontact/'
let seq = 0

for (const kind of DATABASE_KINDS) {
  describe(`acquisition: channel codes, welcome, tags, remarks, lost customers, numbers [${kind}]`, () => {
    let s: SimulatedSetup
    let cookie: string
    before(async () => {
      s = await startWithSimulator(kind, { workers: true, sync: true })
      cookie = await adminCookie(s.t.app)
    })
    after(() => s.close())

    const corp = () => s.sim.corp
    const db = () => s.t.app.db
    const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      s.t.app.inject({
        method,
        url: `/api/admin/acquisition${url}`,
        headers: { cookie },
        ...(payload ? { payload } : {}),
      })
    const tagIds = () =>
      corp()
        .data.tagGroups[0].tags.slice(0, 2)
        .map((t) => t.id)
    const calls = (path: string) => corp().calls.list({ path: P + path })
    const advisor = (userId: string, extra: object = {}) => ({
      userId,
      dailyCap: null,
      weekdays: [],
      startTime: '',
      endTime: '',
      ...extra,
    })

    function channelBody(over: Record<string, unknown> = {}) {
      return {
        name: `包裹卡${++seq}`,
        groupName: '包裹卡',
        skipVerify: true,
        advisors: [advisor('lina'), advisor('wangfang')],
        tagIds: tagIds(),
        remarkTemplate: '{memberGroup}·{channel}·{name}',
        memberGroup: '新客',
        shopNick: '天猫店',
        supervisorUserId: 'zhangwei',
        codes: [{ name: 'A款' }, { name: 'B款' }],
        welcome: {
          text: '你好{name}，我是{advisor}，送你一张新人券',
          attachments: [
            {
              msgtype: 'link',
              link: { title: '新人券', url: 'https://example.com/coupon', desc: '满199减30' },
            },
            { msgtype: 'image', image: { pic_url: 'https://example.com/card.png' } },
          ],
        },
        gift: { enabled: false, dailyQuota: 0, windowHours: null, message: { text: '', attachments: [] } },
        ...over,
      }
    }
    async function createChannel(over: Record<string, unknown> = {}) {
      const res = await api('POST', '/channels', channelBody(over))
      assert.equal(res.statusCode, 201, res.body)
      return res.json()
    }
    const recordOf = (externalUserId: string) =>
      db().getRepository(AcquisitionRecordEntity).findOneBy({ externalUserId })
    const settled = (externalUserId: string) =>
      eventually(async () => {
        const r = await recordOf(externalUserId)
        return r &&
          r.welcomeStatus !== 'pending' &&
          !['pending', 'failed'].includes(r.tagStatus) &&
          !['pending', 'failed'].includes(r.remarkStatus)
          ? r
          : null
      }, 15_000)
    const sentTo = (welcomeCode: string) =>
      corp().data.sentWelcomes.filter((w) => w.welcome_code === welcomeCode)

    test('creating a channel creates one contact way per code, with our state, the advisors and skip_verify', async () => {
      const ch = await createChannel()
      assert.equal(ch.codes.length, 2)
      const adds = calls('add_contact_way').slice(-2)
      assert.equal(adds.length, 2)
      for (const [i, call] of adds.entries()) {
        const body = call.body as Record<string, unknown>
        assert.equal(body.state, `c${ch.codes[i].id}`)
        assert.ok(String(body.state).length <= 30)
        assert.deepEqual(body.user, ['lina', 'wangfang'])
        assert.equal(body.skip_verify, true)
        assert.equal(body.scene, 2)
        const way = corp().data.contactWays.get(ch.codes[i].configId)
        assert.ok(way, 'the contact way exists in WeCom')
        assert.equal(way.state, ch.codes[i].state)
      }
      assert.deepEqual(
        ch.staffOnDuty.map((u: { userId: string }) => u.userId),
        ['lina', 'wangfang'],
      )
      const qr = await api('GET', `/codes/${ch.codes[0].id}/qr.png?download=true`)
      assert.equal(qr.statusCode, 200)
      assert.equal(qr.headers['content-type'], 'image/png')
      assert.match(String(qr.headers['content-disposition']), /attachment/)
      assert.deepEqual([...qr.rawPayload.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47])
    })

    test('scan → welcome with {name}, {advisor} and attachments → tags → remark → mirror → stats', async () => {
      const ch = await createChannel()
      const scan = await corp().driver.customerScansContactWay({
        configId: ch.codes[0].configId,
        customer: { name: '周小米' },
        userid: 'lina',
      })
      const rec = await settled(scan.externalUserid)
      assert.equal(rec.channelId, ch.id)
      assert.equal(rec.codeId, ch.codes[0].id)
      assert.equal(rec.welcomeStatus, 'sent')
      assert.equal(rec.welcomeKind, 'standard')
      const [sent] = sentTo(scan.welcomeCode)
      assert.ok(sent, 'send_welcome_msg used the callback WelcomeCode')
      assert.equal(sent.text?.content, '你好周小米，我是李娜，送你一张新人券')
      assert.equal(sent.attachments.length, 2)
      assert.equal((sent.attachments[0] as { msgtype: string }).msgtype, 'link')

      assert.equal(rec.tagStatus, 'done')
      const simFollow = corp()
        .data.customers.get(scan.externalUserid)!
        .follows.find((f) => f.userid === 'lina')!
      for (const t of tagIds()) assert.ok(simFollow.tag_ids.includes(t), 'WeCom has the tag')
      assert.equal(
        await db()
          .getRepository(FollowTagEntity)
          .countBy({ externalUserId: scan.externalUserid, userId: 'lina' }),
        simFollow.tag_ids.length,
      )

      assert.equal(rec.remarkStatus, 'done')
      assert.equal(simFollow.remark, `新客·${ch.name}·周小米`)
      const follow = await db()
        .getRepository(CustomerFollowEntity)
        .findOneByOrFail({ externalUserId: scan.externalUserid, userId: 'lina' })
      assert.equal(follow.remark, simFollow.remark, 'the mirror follows our own remark')

      const stats = (await api('GET', `/stats?channelId=${ch.id}`)).json()
      assert.equal(stats.totals.adds, 1)
      assert.equal(stats.totals.following, 1)
      const byCode = stats.byCode.find((r: { key: string }) => r.key === String(ch.codes[0].id))
      assert.equal(byCode.adds, 1)
      assert.equal(stats.byAdvisor[0].key, 'lina')
      const listed = (await api('GET', `/channels/${ch.id}`)).json()
      assert.deepEqual(listed.adds, { today: 1, week: 1, total: 1 })
      assert.equal(listed.codes[0].adds.total, 1)
      assert.equal(listed.codes[1].adds.total, 0)
      const csv = await api('GET', `/stats.csv?channelId=${ch.id}`)
      assert.equal(csv.statusCode, 200)
      assert.match(csv.body, /日期,渠道,活码,员工/)
      assert.match(csv.body, new RegExp(`${ch.name},A款,李娜,lina,1,0,1,1`))
    })

    test('the customer deletes the advisor → lost record with channel + app message to advisor and supervisor', async () => {
      const ch = await createChannel()
      const scan = await corp().driver.customerScansContactWay({
        configId: ch.codes[1].configId,
        customer: { name: '吴流失' },
        userid: 'wangfang',
      })
      await settled(scan.externalUserid)
      const before = corp().data.appMessages.length
      await corp().driver.customerDeletesStaff({ externalUserid: scan.externalUserid, userid: 'wangfang' })
      const lost = await eventually(async () => {
        const l = await db()
          .getRepository(LostCustomerEntity)
          .findOneBy({ externalUserId: scan.externalUserid })
        return l?.alertStatus === 'sent' ? l : null
      })
      assert.equal(lost.reason, 'customer_deleted_staff')
      assert.equal(lost.channelId, ch.id)
      assert.equal(lost.codeId, ch.codes[1].id)
      assert.equal(lost.customerName, '吴流失')
      const msgs = corp().data.appMessages.slice(before)
      assert.equal(msgs.length, 1)
      assert.deepEqual(msgs[0].touser.sort(), ['wangfang', 'zhangwei'])
      assert.equal(msgs[0].agentid, Number(s.t.config.wecom.agentId))
      assert.match(String((msgs[0].body as { text: { content: string } }).text.content), /吴流失/)
      const list = (await api('GET', `/lost?channelId=${ch.id}&reason=customer_deleted_staff`)).json()
      assert.equal(list.total, 1)
      assert.equal(list.items[0].staffName, '王芳')
      const stats = (await api('GET', `/stats?channelId=${ch.id}`)).json()
      assert.deepEqual(
        [stats.totals.adds, stats.totals.losses, stats.totals.net, stats.totals.following],
        [1, 1, 0, 0],
      )
    })

    test('the advisor deleting the customer is lost; a deletion by transfer is not', async () => {
      const ch = await createChannel()
      const a = await corp().driver.customerScansContactWay({
        configId: ch.codes[0].configId,
        userid: 'lina',
      })
      const b = await corp().driver.customerScansContactWay({
        configId: ch.codes[0].configId,
        userid: 'lina',
      })
      await settled(a.externalUserid)
      await settled(b.externalUserid)
      await corp().driver.staffDeletesCustomer({ externalUserid: a.externalUserid, userid: 'lina' })
      await corp().driver.staffDeletesCustomer({
        externalUserid: b.externalUserid,
        userid: 'lina',
        source: 'DELETE_BY_TRANSFER',
      })
      await eventually(
        async () =>
          (await db()
            .getRepository(InboxEntity)
            .countBy({ status: 'done', changeType: 'del_external_contact' })) >= 2,
      )
      const lost = await db().getRepository(LostCustomerEntity).findBy({ channelId: ch.id })
      assert.equal(lost.length, 1)
      assert.equal(lost[0].externalUserId, a.externalUserid)
      assert.equal(lost[0].reason, 'staff_deleted_customer')
    })

    test('WeCom rejecting a code leaves nothing behind and the admin sees errcode and errmsg', async () => {
      const channelsBefore = await db().getRepository(ChannelEntity).count()
      const codesBefore = await db().getRepository(ChannelCodeEntity).count()
      const waysBefore = corp().data.contactWays.size
      const dels = calls('del_contact_way').length
      // The first code goes through, the second is refused: the first must be deleted again.
      corp().faults.add({ path: `${P}add_contact_way`, kind: 'latency', ms: 1, times: 1 })
      corp().faults.add({
        path: `${P}add_contact_way`,
        kind: 'errcode',
        errcode: 40003,
        errmsg: 'invalid userid',
        times: 1,
      })
      const body = channelBody()
      const res = await api('POST', '/channels', body)
      assert.equal(res.statusCode, 502, res.body)
      assert.equal(res.json().code, 'wecom_error')
      assert.equal(res.json().errcode, 40003)
      assert.match(res.json().errmsg, /^invalid userid/)
      assert.equal(await db().getRepository(ChannelEntity).count(), channelsBefore)
      assert.equal(await db().getRepository(ChannelCodeEntity).count(), codesBefore)
      assert.equal(corp().data.contactWays.size, waysBefore, 'the code WeCom did create was deleted again')
      assert.equal(calls('del_contact_way').length, dels + 1)
      const again = await api('POST', '/channels', body)
      assert.equal(again.statusCode, 201, 'the name is free again')
    })

    test('bad input is a 400 before anything reaches WeCom', async () => {
      const existing = await createChannel()
      const before = calls('add_contact_way').length
      const cases: [Record<string, unknown>, string][] = [
        [{ advisors: [] }, 'advisors_required'],
        [{ name: existing.name }, 'duplicate_name'],
        [{ welcome: { text: '好'.repeat(1400), attachments: [] } }, 'welcome_text_too_long'],
        [
          {
            welcome: {
              text: 'hi',
              attachments: Array.from({ length: 10 }, () => ({
                msgtype: 'image',
                image: { pic_url: 'https://example.com/x.png' },
              })),
            },
          },
          'too_many_attachments',
        ],
        [{ advisors: [advisor('nobody')] }, 'unknown_staff'],
        [{ tagIds: ['etNOPE'] }, 'unknown_tag'],
        [
          {
            gift: {
              enabled: true,
              dailyQuota: 0,
              windowHours: null,
              message: { text: 'gift', attachments: [] },
            },
          },
          'gift_quota_required',
        ],
        [{ codes: [] }, 'validation_error'],
        [{ skipVerify: 'yes' }, 'validation_error'],
      ]
      for (const [over, code] of cases) {
        const res = await api('POST', '/channels', channelBody(over))
        assert.equal(res.statusCode, 400, `${code}: ${res.body}`)
        assert.equal(res.json().code, code)
      }
      assert.equal(calls('add_contact_way').length, before, 'WeCom was never called')
    })

    test('45009 during a burst and an expired token still send every welcome exactly once', async () => {
      const ch = await createChannel()
      corp().faults.add({ path: `${P}send_welcome_msg`, kind: 'errcode', errcode: 45009, times: 8 })
      corp().faults.add({ path: `${P}mark_tag`, kind: 'errcode', errcode: 45009, times: 4 })
      corp().faults.add({ path: `${P}send_welcome_msg`, kind: 'errcode', errcode: 42001, times: 1 })
      const since = corp().calls.lastSeq
      const settledScans = await corp().driver.burst(
        30,
        () => corp().driver.customerScansContactWay({ configId: ch.codes[0].configId }),
        10,
      )
      const scans = settledScans.map((r) =>
        r.status === 'fulfilled' ? r.value : assert.fail(String(r.reason)),
      )
      await Promise.all(scans.map((x) => settled(x.externalUserid)))
      for (const x of scans) {
        assert.equal(sentTo(x.welcomeCode).length, 1, 'one welcome per add')
        assert.equal((await recordOf(x.externalUserid))!.welcomeStatus, 'sent')
      }
      const sendCalls = corp().calls.list({ path: `${P}send_welcome_msg`, since })
      assert.ok(
        sendCalls.some((c) => c.errcode === 45009),
        'the burst met rate limits',
      )
      assert.ok(
        sendCalls.some((c) => c.errcode === 42001),
        'and an expired token',
      )
      assert.equal(sendCalls.filter((c) => c.errcode === 0).length, 30)
      assert.equal(sendCalls.filter((c) => c.errcode === 41051).length, 0, 'never sent twice')
    })

    test('gift for the first N a day, then the fallback welcome; an order window needs a recent order', async () => {
      const ch = await createChannel({
        gift: {
          enabled: true,
          dailyQuota: 2,
          windowHours: null,
          message: { text: '{name}，前两名送小样', attachments: [] },
        },
      })
      const texts: string[] = []
      for (let i = 0; i < 3; i++) {
        const x = await corp().driver.customerScansContactWay({
          configId: ch.codes[0].configId,
          customer: { name: `礼${i}` },
        })
        await settled(x.externalUserid)
        texts.push(sentTo(x.welcomeCode)[0].text!.content)
      }
      assert.deepEqual(texts.slice(0, 2), ['礼0，前两名送小样', '礼1，前两名送小样'])
      assert.match(texts[2], /^你好礼2/, 'quota used up: the fallback welcome')
      assert.equal((await api('GET', `/channels/${ch.id}`)).json().giftUsedToday, 2)

      const windowed = await createChannel({
        gift: { enabled: true, dailyQuota: 50, windowHours: 2, message: { text: 'gift', attachments: [] } },
      })
      // Orders arrive through the real push API; a new contact's orders wait unbound, found by unionid.
      const source = await s.t.app.orderSources.create(`天猫-${Date.now()}`)
      const pushOrder = async (unionid: string, minutesAgo: number) => {
        const res = await s.t.app.inject({
          method: 'POST',
          url: '/api/integrations/orders',
          headers: { authorization: `Bearer ${source.apiKey}` },
          payload: {
            orders: [
              {
                orderNo: `T${unionid}`,
                orderedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
                buyerUnionid: unionid,
                total: 199,
              },
            ],
          },
        })
        assert.equal(res.json().inserted, 1, res.body)
      }
      const noOrder = await corp().driver.customerScansContactWay({ configId: windowed.codes[0].configId })
      await settled(noOrder.externalUserid)
      assert.equal((await recordOf(noOrder.externalUserid))!.welcomeKind, 'standard', 'no order: no gift')

      const recentBuyer = corp().addCustomer({ name: '刚下单' })
      await pushOrder(recentBuyer.unionid!, 30)
      const recent = await corp().driver.customerScansContactWay({
        configId: windowed.codes[0].configId,
        externalUserid: recentBuyer.external_userid,
      })
      await settled(recent.externalUserid)
      assert.equal((await recordOf(recent.externalUserid))!.welcomeKind, 'gift', 'ordered 30 min ago')

      const oldBuyer = corp().addCustomer({ name: '早下单' })
      await pushOrder(oldBuyer.unionid!, 5 * 60)
      const old = await corp().driver.customerScansContactWay({
        configId: windowed.codes[0].configId,
        externalUserid: oldBuyer.external_userid,
      })
      await settled(old.externalUserid)
      assert.equal(
        (await recordOf(old.externalUserid))!.welcomeKind,
        'standard',
        'ordered 5 h ago: outside 2 h',
      )
    })

    test('a failed remark is retried without a second send_welcome_msg', async () => {
      const ch = await createChannel()
      // More than the client's own attempts: the step fails and the dispatcher retries it later.
      corp().faults.add({ path: `${P}remark`, kind: 'errcode', errcode: 45009, times: 6 })
      const x = await corp().driver.customerScansContactWay({ configId: ch.codes[0].configId })
      const rec = await settled(x.externalUserid)
      assert.equal(rec.remarkStatus, 'done')
      const forThis = (path: string) =>
        calls(path).filter(
          (c) =>
            (c.body as { welcome_code?: string; external_userid?: string }).welcome_code === x.welcomeCode ||
            (c.body as { external_userid?: string }).external_userid === x.externalUserid,
        )
      assert.equal(forThis('send_welcome_msg').length, 1)
      assert.equal(forThis('mark_tag').length, 1, 'tags are not redone either')
      assert.ok(forThis('remark').length >= 7)
      const row = await db()
        .getRepository(InboxEntity)
        .findOneByOrFail({ entityKey: `contact:${x.externalUserid}`, changeType: 'add_external_contact' })
      assert.ok(row.attempts >= 1, 'the row went round again')
    })

    test('41051 is final and an expired code is recorded as expired; neither is retried', async () => {
      const ch = await createChannel()
      corp().faults.add({
        path: `${P}send_welcome_msg`,
        kind: 'errcode',
        errcode: 41051,
        errmsg: 'already sent',
        times: 1,
      })
      const a = await corp().driver.customerScansContactWay({ configId: ch.codes[0].configId })
      const ra = await settled(a.externalUserid)
      assert.equal(ra.welcomeStatus, 'already_sent')
      const ttl = corp().options.welcomeCodeTtlMs
      corp().options.welcomeCodeTtlMs = -1
      try {
        const b = await corp().driver.customerScansContactWay({ configId: ch.codes[0].configId })
        const rb = await settled(b.externalUserid)
        assert.equal(rb.welcomeStatus, 'expired')
        assert.equal(rb.remarkStatus, 'done', 'the rest still happens')
        const tries = calls('send_welcome_msg').filter((c) =>
          [a.welcomeCode, b.welcomeCode].includes((c.body as { welcome_code: string }).welcome_code),
        )
        assert.equal(tries.length, 2)
      } finally {
        corp().options.welcomeCodeTtlMs = ttl
      }
    })

    test('an add without a state gets the default welcome and no channel; half adds get the welcome too', async () => {
      const put = await api('PUT', '/welcome/default', { text: '欢迎{name}！', attachments: [] })
      assert.equal(put.statusCode, 200, put.body)
      const way = await s.t.app.wecom.post<{ config_id: string }>('externalcontact/add_contact_way', {
        type: 1,
        scene: 2,
        user: ['liuyang'],
      })
      const x = await corp().driver.customerScansContactWay({
        configId: way.config_id,
        customer: { name: '无渠道' },
      })
      const rec = await settled(x.externalUserid)
      assert.equal(rec.channelId, null)
      assert.equal(rec.welcomeKind, 'default')
      assert.equal(sentTo(x.welcomeCode)[0].text?.content, '欢迎无渠道！')

      const ch = await createChannel({ skipVerify: false })
      const half = await corp().driver.customerScansContactWay({ configId: ch.codes[0].configId, half: true })
      assert.equal(half.half, true)
      const hr = await settled(half.externalUserid)
      assert.equal(hr.half, true)
      assert.equal(hr.welcomeStatus, 'sent')
    })

    test('editing keeps WeCom in step; a daily cap hands over to the next advisor; delete removes the contact ways', async () => {
      const ch = await createChannel()
      const body = channelBody({
        name: ch.name,
        advisors: [advisor('liuyang', { dailyCap: 1 }), advisor('zhangwei')],
        codes: [{ id: ch.codes[0].id, name: 'A款-新' }, { name: 'C款' }],
      })
      const upd = await api('PUT', `/channels/${ch.id}`, body)
      assert.equal(upd.statusCode, 200, upd.body)
      const out = upd.json()
      assert.deepEqual(
        out.codes.map((c: { name: string }) => c.name),
        ['A款-新', 'C款'],
      )
      const wayA = corp().data.contactWays.get(ch.codes[0].configId)!
      assert.deepEqual(wayA.user, ['liuyang', 'zhangwei'])
      assert.equal(
        corp().data.contactWays.has(ch.codes[1].configId),
        false,
        'the removed code is gone in WeCom',
      )
      assert.ok(corp().data.contactWays.get(out.codes[1].configId))

      const x = await corp().driver.customerScansContactWay({
        configId: ch.codes[0].configId,
        userid: 'liuyang',
      })
      await settled(x.externalUserid)
      // Every code of the channel hands over (they are updated one after the other).
      await eventually(async () =>
        [ch.codes[0].configId, out.codes[1].configId].every(
          (id: string) => corp().data.contactWays.get(id)!.user.join() === 'zhangwei',
        ),
      )
      assert.equal(
        calls('update_contact_way').filter((c) => (c.body as { user: string[] }).user.join() === 'zhangwei')
          .length >= 2,
        true,
      )

      const del = await api('DELETE', `/channels/${ch.id}`)
      assert.equal(del.statusCode, 200)
      assert.equal(corp().data.contactWays.has(ch.codes[0].configId), false)
      assert.equal(corp().data.contactWays.has(out.codes[1].configId), false)
      assert.equal((await api('GET', `/channels/${ch.id}`)).statusCode, 404)
      assert.equal(
        await db().getRepository(WelcomeMessageEntity).countBy({ channelId: ch.id }),
        2,
        'kept for history',
      )
    })

    test('the scheduler sweep follows schedules, under a lease', async () => {
      const ch = await createChannel({
        advisors: [
          advisor('lina', { weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: '00:00', endTime: '00:01' }),
          advisor('wangfang'),
        ],
      })
      // Created while lina's minute may or may not be now; force the sweep and check the list.
      assert.equal(await s.t.app.scheduler.runNow('acquisition.rotate-advisors'), true)
      const way = corp().data.contactWays.get(ch.codes[0].configId)!
      const expected = (await s.t.app.acquisition.rotation.usersFor(ch.id)).join()
      assert.equal(way.user.join(), expected)
      assert.ok(!way.user.includes('lina') || expected.includes('lina'))
    })
  })
}

export type { AcquisitionRecord }
