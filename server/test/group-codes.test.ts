// Group codes end to end: the product app and the WeCom simulator on their own ports, callbacks and API
// calls over real HTTP, on SQLite and MariaDB. Admin calls go through app.inject with a session.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { In } from 'typeorm'
import type { GroupCodeDetail, GroupStats, NearestStores, StoreItem } from '@scrm/shared'
import { GroupCodeEntity, GroupCodePoolEntity } from '../src/modules/groups/group-code.entity.ts'
import { GroupMemberEventEntity } from '../src/modules/groups/group-stats.entity.ts'
import {
  groupsOfCustomer,
  joinsFromMirror,
  recordMemberChanges,
} from '../src/modules/groups/member-tracking.ts'
import { planLive } from '../src/modules/groups/live-plan.ts'
import { shanghaiDay } from '../src/modules/acquisition/shanghai-time.ts'
import { InboxEntity } from '../src/modules/inbox/inbox.entity.ts'
import { adminCookie } from './helpers/app.ts'
import { DATABASE_KINDS } from './helpers/databases.ts'
import { eventually, startWithSimulator, type SimulatedSetup } from './helpers/simulated-corp.ts'

const P = '/cgi-bin/externalcontact/'

describe('group codes: live-list planning', () => {
  const c = (chatId: string, members: number, active = true) => ({ chatId, members, active })
  test('open groups only, the listed ones first, at most 5', () => {
    const pool = [c('a', 20), c('b', 3), c('c', 0), c('d', 1), c('e', 0), c('f', 0), c('g', 0)]
    assert.deepEqual(planLive(pool, ['a', 'b', 'c'], 20, false), {
      live: ['b', 'c', 'd', 'e', 'f'],
      exhausted: false,
    })
    assert.deepEqual(planLive(pool, ['e', 'b'], 20, false).live, ['e', 'b', 'c', 'd', 'f'])
  })
  test('never empty: least-full groups stay when every group is at the threshold', () => {
    const pool = [c('a', 22), c('b', 20), c('c', 21), c('x', 0, false)]
    assert.deepEqual(planLive(pool, ['a'], 20, false), { live: ['b', 'c', 'a'], exhausted: true })
    assert.deepEqual(planLive(pool, ['a', 'c'], 20, true), { live: ['c'], exhausted: true })
    assert.deepEqual(planLive(pool, [], 20, true), { live: ['b'], exhausted: true })
    assert.deepEqual(planLive([c('x', 0, false)], ['x'], 20, true).live, ['x'])
  })
})

for (const kind of DATABASE_KINDS) {
  describe(`group codes: join way, rotation, welcome, members, stats, stores [${kind}]`, () => {
    let s: SimulatedSetup
    let cookie: string
    const chats: string[] = []
    before(async () => {
      s = await startWithSimulator(kind, { workers: true })
      // Twelve extra groups of one owner (each with just the owner in it), mirrored by a full sync.
      for (let i = 1; i <= 12; i++) chats.push(s.sim.corp.createGroup('lina', `测试群${i}`).chat_id)
      cookie = await adminCookie(s.t.app)
      await s.t.app.directorySync.start()
      await s.t.app.directorySync.wait()
    })
    after(() => s.close())

    const corp = () => s.sim.corp
    const db = () => s.t.app.db
    const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      s.t.app.inject({ method, url: `/api${url}`, headers: { cookie }, ...(payload ? { payload } : {}) })
    const calls = (path: string, since = 0) => corp().calls.list({ path: P + path, since })
    const wayOf = (configId: string) => corp().data.joinWays.get(configId)!
    const settled = () =>
      eventually(
        async () =>
          (await db()
            .getRepository(InboxEntity)
            .countBy({ status: In(['pending', 'processing', 'retry']) })) === 0,
        20_000,
      )
    const body = (over: Record<string, unknown> = {}) => ({
      name: '门店福利群',
      chatIds: chats.slice(0, 3),
      threshold: 200,
      autoCreate: false,
      ...over,
    })
    const detail = async (id: number) =>
      (await api('GET', `/admin/group-codes/${id}`)).json<GroupCodeDetail>()
    const joinVia = (configId: string) => corp().driver.customerJoinsGroupViaJoinWay({ configId })

    test('bad input is a 400 and nothing reaches WeCom', async () => {
      const since = corp().calls.lastSeq
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [
          body({ chatIds: [chats[0], 'wrNOTOURS1', 'wrNOTOURS2'] }),
          'unknown_groups',
          /wrNOTOURS1, wrNOTOURS2/,
        ],
        [body({ threshold: 0 }), 'validation_error', /threshold/],
        [body({ threshold: 201 }), 'validation_error', /threshold/],
        [body({ autoCreate: true, roomBaseName: 'x'.repeat(41) }), 'validation_error', /roomBaseName/],
        [body({ welcome: { text: '好'.repeat(1400) } }), 'welcome_too_long', /4000/],
        [body({ chatIds: [] }), 'validation_error', /chatIds/],
      ]
      for (const [payload, code, message] of cases) {
        const res = await api('POST', '/admin/group-codes', payload)
        assert.equal(res.statusCode, 400, res.body)
        assert.equal(res.json().code, code)
        assert.match(res.json().message, message)
      }
      const unknown = await api('POST', '/admin/group-codes', cases[0][0])
      assert.deepEqual(unknown.json().chatIds, ['wrNOTOURS1', 'wrNOTOURS2'])
      // a dismissed group is refused too
      const dismissed = corp().createGroup('lina', '已解散')
      await s.t.app.directorySync.start()
      await s.t.app.directorySync.wait()
      await corp().driver.groupDismissed({ chatId: dismissed.chat_id })
      await settled()
      const res = await api('POST', '/admin/group-codes', body({ chatIds: [dismissed.chat_id] }))
      assert.equal(res.statusCode, 400)
      assert.equal(res.json().code, 'unknown_groups')
      const sent = corp()
        .calls.list({ since })
        .filter((c) => /join_way|group_welcome_template/.test(c.path))
      assert.deepEqual(sent, [])
      assert.equal(await db().getRepository(GroupCodeEntity).count(), 0)
    })

    test('WeCom refusing add_join_way leaves nothing behind and shows its errcode', async () => {
      const waysBefore = corp().data.joinWays.size
      corp().faults.add({
        path: `${P}groupchat/add_join_way`,
        kind: 'errcode',
        errcode: 40058,
        errmsg: 'invalid Request Parameter',
      })
      const res = await api('POST', '/admin/group-codes', body({ welcome: { text: '欢迎{name}入群' } }))
      assert.equal(res.statusCode, 502, res.body)
      assert.equal(res.json().errcode, 40058)
      assert.equal(corp().data.joinWays.size, waysBefore)
      // the welcome template created first was deleted again
      assert.equal(calls('group_welcome_template/add').length, 1)
      assert.equal(calls('group_welcome_template/del').length, 1)
      assert.equal(corp().data.groupWelcomeTemplates.size, 0)
      assert.equal(await db().getRepository(GroupCodeEntity).count(), 0)
      assert.equal(await db().getRepository(GroupCodePoolEntity).count(), 0)
    })

    let codeId = 0
    test('create: join way with the first ≤5 open groups, welcome template, QR download', async () => {
      const res = await api(
        'POST',
        '/admin/group-codes',
        body({
          chatIds: chats.slice(0, 7),
          threshold: 180,
          autoCreate: true,
          roomBaseName: '福利群',
          roomBaseId: 10,
          welcome: {
            text: '欢迎{name}！',
            attachment: { type: 'link', title: '新人礼', url: 'https://example.com/gift' },
          },
        }),
      )
      assert.equal(res.statusCode, 201, res.body)
      const d = res.json<GroupCodeDetail>()
      codeId = d.id
      const way = wayOf(d.configId)
      assert.deepEqual(way.chat_id_list, chats.slice(0, 5))
      assert.equal(way.state, `gc:${d.id}`)
      assert.equal(way.scene, 2)
      assert.equal(way.auto_create_room, 1)
      assert.equal(way.room_base_name, '福利群')
      assert.equal(way.room_base_id, 10)
      assert.deepEqual(d.liveChatIds, chats.slice(0, 5))
      assert.equal(d.poolSize, 7)
      assert.equal(d.pool.filter((p) => p.live).length, 5)
      assert.ok(d.pool.every((p) => p.source === 'admin' && p.ownerUserId === 'lina' && p.memberCount === 1))
      assert.match(d.qrCode, /^http/)
      assert.deepEqual(d.welcome, {
        text: '欢迎{name}！',
        attachment: { type: 'link', title: '新人礼', url: 'https://example.com/gift' },
      })
      assert.deepEqual(
        d.history.map((h) => h.kind),
        ['welcome_synced', 'created'],
      )
      const [tpl] = corp().data.groupWelcomeTemplates.values()
      assert.deepEqual(tpl.body.text, { content: '欢迎%NICKNAME%！' })
      assert.deepEqual(tpl.body.link, { title: '新人礼', url: 'https://example.com/gift' })

      const qr = await api('GET', `/admin/group-codes/${d.id}/qr.png?download=true`)
      assert.equal(qr.statusCode, 200)
      assert.match(String(qr.headers['content-type']), /image\/png/)
      assert.match(String(qr.headers['content-disposition']), /attachment/)
      assert.deepEqual([...qr.rawPayload.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG')

      const list = (await api('GET', '/admin/group-codes')).json<{ items: GroupCodeDetail[] }>()
      assert.deepEqual(
        list.items.map((i) => i.id),
        [d.id],
      )
      assert.equal(list.items[0].members, 7)
    })

    test('edit: update_join_way gets the whole body; the welcome template is edited', async () => {
      const since = corp().calls.lastSeq
      const res = await api(
        'PUT',
        `/admin/group-codes/${codeId}`,
        body({
          name: '门店福利群·改',
          chatIds: [chats[6], chats[5], chats[0]],
          threshold: 150,
          autoCreate: true,
          roomBaseName: '福利群',
          welcome: { text: '新欢迎语' },
        }),
      )
      assert.equal(res.statusCode, 200, res.body)
      const [update] = calls('groupchat/update_join_way', since)
      assert.deepEqual(update.body, {
        config_id: res.json().configId,
        scene: 2,
        remark: '门店福利群·改',
        auto_create_room: 1,
        chat_id_list: [chats[6], chats[5], chats[0]],
        state: `gc:${codeId}`,
        room_base_name: '福利群',
        room_base_id: 10,
      })
      assert.equal(calls('group_welcome_template/edit', since).length, 1)
      const [tpl] = corp().data.groupWelcomeTemplates.values()
      assert.deepEqual(tpl.body.text, { content: '新欢迎语' })
      assert.equal(tpl.body.link, undefined)
      const d = res.json<GroupCodeDetail>()
      assert.deepEqual(
        d.pool.map((p) => p.chatId),
        [chats[6], chats[5], chats[0]],
      )
      assert.equal(d.threshold, 150)
    })

    test('delete: del_join_way and the welcome template in WeCom', async () => {
      const configId = (await detail(codeId)).configId
      const res = await api('DELETE', `/admin/group-codes/${codeId}`)
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(corp().data.joinWays.has(configId), false)
      assert.equal(corp().data.groupWelcomeTemplates.size, 0)
      assert.equal((await api('GET', `/admin/group-codes/${codeId}`)).statusCode, 404)
    })

    let rotCode: GroupCodeDetail
    test('rotation: a live group at the threshold is replaced by the next open pool group', async () => {
      const res = await api(
        'POST',
        '/admin/group-codes',
        body({ name: '轮换', chatIds: chats.slice(0, 7), threshold: 3 }),
      )
      assert.equal(res.statusCode, 201, res.body)
      rotCode = res.json()
      // 2 joins fill chats[0] (owner + 2 = 3 = threshold)
      for (let i = 0; i < 2; i++) assert.equal((await joinVia(rotCode.configId)).chatId, chats[0])
      await settled()
      await eventually(async () => !wayOf(rotCode.configId).chat_id_list.includes(chats[0]))
      assert.deepEqual(wayOf(rotCode.configId).chat_id_list, chats.slice(1, 6))
      const d = await detail(rotCode.id)
      assert.deepEqual(d.liveChatIds, chats.slice(1, 6))
      assert.equal(d.fullCount, 1)
      assert.equal(d.pool[0].full, true)
      assert.equal(d.pool[0].live, false)
      assert.equal(d.history[0].kind, 'rotated')
      assert.match(d.history[0].detail, /移出 测试群1（3\/3）；加入 测试群6（1\/3）/)
      // the update carried the full body
      const last = calls('groupchat/update_join_way').at(-1)!
      assert.equal((last.body as Record<string, unknown>).auto_create_room, 0)
      assert.equal((last.body as Record<string, unknown>).state, `gc:${rotCode.id}`)
    })

    test('member tracking and stats: joins by QR / invite, quits, members; replays count once', async () => {
      // an invite join and a quit in the same pool
      await corp().driver.joinsGroup({ chatId: chats[1], scene: 'invite' })
      const quitter = corp()
        .data.groups.get(chats[0])!
        .member_list.find((m) => m.type === 2)!
      await corp().driver.leavesGroup({ chatId: chats[0], memberId: quitter.userid })
      await settled()
      // WeCom resending an add_member callback changes nothing, and neither does running the step twice
      const replay = corp()
        .driver.deliveries.filter((d) => d.changeType === 'update')
        .at(-3)!
      await corp().driver.deliver(replay.xml)
      await settled()
      const member = corp().data.groups.get(chats[1])!.member_list.at(-1)!
      for (let i = 0; i < 2; i++)
        await recordMemberChanges(db(), await joinsFromMirror(db(), chats[1], [member.userid], 0, new Date()))
      const today = shanghaiDay()
      const res = await api('GET', `/admin/group-stats?from=${today}&to=${today}&groupCodeId=${rotCode.id}`)
      assert.equal(res.statusCode, 200, res.body)
      const st = res.json<GroupStats>()
      assert.equal(st.days.length, 1)
      assert.deepEqual(st.days[0], {
        date: today,
        joins: 3,
        joinsByInvite: 1,
        joinsByQr: 2,
        quits: 1,
        net: 2,
        members: 7 + 3 - 1,
      })
      const g0 = st.groups.find((g) => g.chatId === chats[0])!
      assert.deepEqual([g0.joins, g0.quits, g0.net, g0.members], [2, 1, 1, 2])
      assert.deepEqual(
        st.owners.map((o) => [o.ownerUserId, o.groups, o.joins]),
        [['lina', 7, 3]],
      )
      const byOwner = (
        await api('GET', `/admin/group-stats?from=${today}&to=${today}&ownerUserId=nobody`)
      ).json<GroupStats>()
      assert.equal(byOwner.days[0].joins, 0)
      const csv = await api(
        'GET',
        `/admin/group-stats.csv?from=${today}&to=${today}&groupCodeId=${rotCode.id}`,
      )
      assert.equal(csv.statusCode, 200)
      assert.match(csv.body, new RegExp(`${today},3,1,2,1,2,9`))
      assert.equal(
        await db().getRepository(GroupMemberEventEntity).countBy({ chatId: chats[0], kind: 'join' }),
        2,
      )
      const second = corp()
        .data.groups.get(chats[0])!
        .member_list.find((m) => m.type === 2)!
      const mine = await groupsOfCustomer(db(), second.userid)
      assert.deepEqual(
        mine.map((g) => g.chatId),
        [chats[0]],
      )
      assert.equal(mine[0].joinScene, 3)
    })

    test('a failed update_join_way is retried with backoff and never leaves the code without groups', async () => {
      const res = await api(
        'POST',
        '/admin/group-codes',
        body({ name: '重试', chatIds: [chats[7], chats[8]], threshold: 2 }),
      )
      const code = res.json<GroupCodeDetail>()
      assert.deepEqual(wayOf(code.configId).chat_id_list, [chats[7], chats[8]])
      corp().faults.add({
        path: `${P}groupchat/update_join_way`,
        kind: 'errcode',
        errcode: 40058,
        errmsg: 'invalid Request Parameter',
      })
      await joinVia(code.configId) // chats[7] reaches 2 = threshold
      await settled()
      let d = await eventually(async () => {
        const x = await detail(code.id)
        return x.history[0]?.kind === 'update_failed' ? x : null
      })
      assert.match(d.history[0].detail, /40058/)
      assert.deepEqual(wayOf(code.configId).chat_id_list, [chats[7], chats[8]], 'WeCom keeps the old list')
      const row = await db().getRepository(GroupCodeEntity).findOneByOrFail({ id: code.id })
      assert.equal(row.retryAttempts, 1)
      assert.ok(row.retryAt && row.retryAt.getTime() > Date.now())
      // not due yet: the retry job leaves it alone; once due it rotates
      assert.equal(await s.t.app.scheduler.runNow('group-codes.retry'), true)
      assert.deepEqual(wayOf(code.configId).chat_id_list, [chats[7], chats[8]])
      await db()
        .getRepository(GroupCodeEntity)
        .update({ id: code.id }, { retryAt: new Date(Date.now() - 1000) })
      assert.equal(await s.t.app.scheduler.runNow('group-codes.retry'), true)
      assert.deepEqual(wayOf(code.configId).chat_id_list, [chats[8]])
      d = await detail(code.id)
      assert.equal(d.history[0].kind, 'rotated')
      assert.equal((await db().getRepository(GroupCodeEntity).findOneByOrFail({ id: code.id })).retryAt, null)

      // Every group full and no auto-create: the least-full stay listed; the list is never empty.
      await joinVia(code.configId) // chats[8] reaches 2
      await settled()
      await eventually(async () => wayOf(code.configId).chat_id_list.length === 2)
      assert.deepEqual(wayOf(code.configId).chat_id_list, [chats[7], chats[8]])
      d = await detail(code.id)
      assert.match(d.history[0].detail, /都已达到阈值/)
      for (const c of [...calls('groupchat/update_join_way'), ...calls('groupchat/add_join_way')]) {
        const n = ((c.body as { chat_id_list: string[] }).chat_id_list ?? []).length
        assert.ok(n >= 1 && n <= 5, `join way sent with ${n} groups`)
      }
    })

    test('groups WeCom auto-creates join the pool and the join way moves on to them', async () => {
      const capacity = corp().options.groupCapacity
      corp().options.groupCapacity = 3
      try {
        const res = await api(
          'POST',
          '/admin/group-codes',
          body({
            name: '自动建群',
            chatIds: [chats[9]],
            threshold: 3,
            autoCreate: true,
            roomBaseName: '自动群',
            roomBaseId: 1,
          }),
        )
        const code = res.json<GroupCodeDetail>()
        await joinVia(code.configId)
        await joinVia(code.configId) // chats[9] is full (3)
        const third = await joinVia(code.configId) // WeCom opens 自动群1
        assert.ok(third.createdChatId)
        await settled()
        await eventually(async () => (await detail(code.id)).liveChatIds[0] === third.createdChatId)
        const d = await detail(code.id)
        assert.deepEqual(d.liveChatIds, [third.createdChatId])
        assert.deepEqual(wayOf(code.configId).chat_id_list, [third.createdChatId])
        const adopted = d.pool.find((p) => p.chatId === third.createdChatId)!
        assert.equal(adopted.source, 'auto_created')
        assert.equal(adopted.name, '自动群1')
        assert.ok(d.history.some((h) => h.kind === 'auto_created'))
        // WeCom's counter moved on, and our next update kept it
        assert.equal(wayOf(code.configId).room_base_id, 2)
        assert.equal(d.roomBaseId, 2)
      } finally {
        corp().options.groupCapacity = capacity
      }
    })

    test('reconciliation job: catches a full group whose callback never came', async () => {
      const res = await api(
        'POST',
        '/admin/group-codes',
        body({ name: '核对', chatIds: [chats[10], chats[11]], threshold: 2 }),
      )
      const code = res.json<GroupCodeDetail>()
      const target = corp().callback
      corp().callback = undefined // the callback is lost
      try {
        await joinVia(code.configId)
      } finally {
        corp().callback = target
      }
      assert.equal(await s.t.app.scheduler.runNow('group-codes.reconcile'), true)
      assert.deepEqual(wayOf(code.configId).chat_id_list, [chats[11]])
      const today = shanghaiDay()
      const st = (
        await api('GET', `/admin/group-stats?from=${today}&to=${today}&groupCodeId=${code.id}`)
      ).json<GroupStats>()
      assert.ok(st.days[0].joinsByQr >= 1, 'the missed join was recorded from groupchat/get')
    })

    test('stores: CRUD, nearest within the radius, public QR', async () => {
      const bad = await api('POST', '/admin/stores', {
        name: '静安店',
        address: '',
        lat: 31.2,
        lng: 121.4,
        groupCodeId: 99999,
      })
      assert.equal(bad.statusCode, 400)
      const a = await api('POST', '/admin/stores', {
        name: '静安店',
        address: '南京西路 1 号',
        lat: 31.2243,
        lng: 121.4468,
        groupCodeId: rotCode.id,
      })
      assert.equal(a.statusCode, 201, a.body)
      const b = await api('POST', '/admin/stores', {
        name: '浦东店',
        address: '世纪大道 8 号',
        lat: 31.2304,
        lng: 121.5347,
        groupCodeId: rotCode.id,
      })
      const storeA = a.json<StoreItem>()
      assert.equal(storeA.groupCodeName, '轮换')
      assert.equal(storeA.qrUrl, `/api/public/group-codes/${rotCode.id}/qr.png`)
      // 500 m from 静安店
      const near = await s.t.app.inject({
        method: 'GET',
        url: '/api/public/stores/nearest?lat=31.2288&lng=121.4468',
      })
      assert.equal(near.statusCode, 200, near.body)
      const n = near.json<NearestStores>()
      assert.equal(n.nearest?.store.name, '静安店')
      assert.ok(Math.abs(n.nearest!.distanceKm - 0.5) < 0.02)
      assert.deepEqual(
        n.stores.map((x) => x.name),
        ['静安店', '浦东店'],
      )
      // far away: no nearest, the list to choose from
      const far = (
        await s.t.app.inject({
          method: 'GET',
          url: '/api/public/stores/nearest?lat=39.9&lng=116.4&radiusKm=3',
        })
      ).json<NearestStores>()
      assert.equal(far.nearest, null)
      assert.equal(far.stores.length, 2)
      const png = await s.t.app.inject({ method: 'GET', url: storeA.qrUrl })
      assert.equal(png.statusCode, 200)
      assert.match(String(png.headers['content-type']), /image\/png/)
      const notPublic = await s.t.app.inject({ method: 'GET', url: `/api/public/group-codes/99999/qr.png` })
      assert.equal(notPublic.statusCode, 404)
      // a code in use by a store is not deleted
      const del = await api('DELETE', `/admin/group-codes/${rotCode.id}`)
      assert.equal(del.statusCode, 409)
      const put = await api('PUT', `/admin/stores/${storeA.id}`, {
        name: '静安旗舰店',
        address: '南京西路 1 号',
        lat: 31.2243,
        lng: 121.4468,
        groupCodeId: rotCode.id,
      })
      assert.equal(put.json<StoreItem>().name, '静安旗舰店')
      assert.equal((await api('DELETE', `/admin/stores/${storeA.id}`)).statusCode, 200)
      assert.equal((await api('DELETE', `/admin/stores/${b.json<StoreItem>().id}`)).statusCode, 200)
      assert.deepEqual((await api('GET', '/admin/stores')).json(), { items: [] })
    })
  })
}
