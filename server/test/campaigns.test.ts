// Group campaigns (社群活动) against the simulated corp over real HTTP, on SQLite and MariaDB: validation,
// the launch and each countdown sent exactly once through add_msg_template (one call per owner, with
// that owner's targeted groups), two instances at once, a WeCom error retried, results synced, and the
// sidebar's group-scoped route.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { fillTemplate, formatLeft, deriveStage } from '../src/modules/campaigns/schedule.ts'
import {
  CampaignEntity,
  CampaignMessageEntity,
  CampaignSendEntity,
  CampaignTargetEntity,
} from '../src/modules/campaigns/campaign.entity.ts'
import { adminCookie } from './helpers/app.ts'
import { DATABASE_KINDS } from './helpers/databases.ts'
import { simulatorClient } from '../src/simulator/testing.ts'
import { secondInstance, startWithSimulator, type SimulatedSetup } from './helpers/simulated-corp.ts'
import { advisorCookie, jsonApi } from './helpers/sidebar-session.ts'

const MIN = 60_000
const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
const ADD = '/cgi-bin/externalcontact/add_msg_template'

test('stage, time left and templates', () => {
  const start = new Date('2026-12-01T12:00:00Z')
  const end = new Date('2026-12-01T20:00:00Z')
  assert.equal(deriveStage(start, end, new Date('2026-11-20T00:00:00Z')), 'planning')
  assert.equal(deriveStage(start, end, new Date('2026-11-30T00:00:00Z')), 'preparation')
  assert.equal(deriveStage(start, end, start), 'running')
  assert.equal(deriveStage(start, end, end), 'review')
  assert.equal(formatLeft(180), '3小时')
  assert.equal(formatLeft(15), '15分钟')
  assert.equal(formatLeft(95), '1小时35分钟')
  assert.equal(formatLeft(1500), '1天1小时')
  assert.equal(
    fillTemplate('{name}距结束还有{left}，{end}截止', { name: '双12', endsAt: end, leftMinutes: 60 }),
    '双12距结束还有1小时，12月02日 04:00截止',
  )
})

for (const kind of DATABASE_KINDS) {
  describe(`group campaigns [${kind}]`, () => {
    let s: SimulatedSetup
    let base: string
    let admin: string
    let lina: string
    const groups: Record<string, string[]> = {}
    let imageUrl: string

    const api = jsonApi(() => base)
    const addCalls = (since = 0) => s.sim.corp.calls.list({ path: ADD, since })
    // Times on a whole minute, well in the future, so the real clock never makes anything due by itself.
    const at = (daysAhead: number) =>
      new Date(Math.floor(Date.now() / 86_400_000 + daysAhead) * 86_400_000 + 4 * 3600_000)

    const input = (over: Record<string, unknown> = {}) => {
      const startsAt = at(2)
      return {
        name: '双12团购',
        description: '修护精华 219 → 119，4 件 399',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 8 * 60 * MIN).toISOString(),
        chatIds: [groups.lina[0]],
        ownerUserIds: [],
        launch: { text: '{name}开团啦！{end}截止' },
        countdowns: [
          { offsetMinutes: 180, text: '距结束还有{left}' },
          { offsetMinutes: 60, text: '距结束还有{left}' },
          { offsetMinutes: 15, text: '最后{left}！' },
        ],
        ...over,
      }
    }
    const create = async (over: Record<string, unknown> = {}) => {
      const res = await api('/api/admin/campaigns', admin, { method: 'POST', body: input(over) })
      assert.equal(res.status, 201, JSON.stringify(res.body))
      return res.body as { id: number; startsAt: string; endsAt: string }
    }

    before(async () => {
      s = await startWithSimulator(kind)
      // A second and third group for lina and a second for wangfang: an owner's call lists only the
      // groups the campaign targets.
      s.sim.corp.createGroup('lina', '李娜·团购2群')
      s.sim.corp.createGroup('lina', '李娜·不参加的群')
      s.sim.corp.createGroup('wangfang', '王芳·团购2群')
      base = s.base
      await s.t.app.directorySync.start()
      await s.t.app.directorySync.wait()
      admin = await adminCookie(s.t.app)
      lina = await advisorCookie(base, 'lina')
      for (const g of s.sim.corp.data.groups.values()) (groups[g.owner] ??= []).push(g.chat_id)
      const up = await api('/api/admin/campaigns/image', admin, {
        method: 'POST',
        body: { name: 'cover.png', base64: PNG_1PX },
      })
      assert.equal(up.status, 201)
      imageUrl = up.body.url
    })
    after(() => s.close())

    test('validation errors are 400s and store nothing', async () => {
      const cases: [Record<string, unknown>, string, RegExp?][] = [
        [{ endsAt: input().startsAt }, 'end_before_start'],
        [{ countdowns: [{ offsetMinutes: -5, text: 'x' }] }, 'invalid_offset'],
        [{ countdowns: [{ offsetMinutes: 0, text: 'x' }] }, 'invalid_offset'],
        [{ countdowns: [{ offsetMinutes: 8 * 60, text: 'x' }] }, 'offset_before_start'],
        [
          {
            countdowns: [
              { offsetMinutes: 60, text: 'a' },
              { offsetMinutes: 60, text: 'b' },
            ],
          },
          'duplicate_offset',
        ],
        [
          { chatIds: [groups.lina[0], 'wrNoSuchGroup1', 'wrNoSuchGroup2'] },
          'unknown_groups',
          /wrNoSuchGroup1, wrNoSuchGroup2/,
        ],
        [{ chatIds: [], ownerUserIds: ['nobody'] }, 'unknown_owners', /nobody/],
        [{ chatIds: [], ownerUserIds: [] }, 'no_targets'],
        [{ launch: { text: '团'.repeat(1400) } }, 'text_too_long', /4200 bytes/],
        [{ countdowns: [{ offsetMinutes: 60, text: '距'.repeat(1334) }] }, 'text_too_long'],
        [{ launch: { text: '  ' } }, 'empty_message'],
      ]
      for (const [over, code, message] of cases) {
        const res = await api('/api/admin/campaigns', admin, { method: 'POST', body: input(over) })
        assert.equal(res.status, 400, `${code}: ${JSON.stringify(res.body)}`)
        assert.equal(res.body.code, code)
        if (message) assert.match(res.body.message, message)
      }
      // Schema errors (a bad attachment, an unknown field) are 400s too.
      const bad = await api('/api/admin/campaigns', admin, {
        method: 'POST',
        body: input({ launch: { text: 'x', attachment: { type: 'link', title: 't', url: 'ftp://x' } } }),
      })
      assert.equal(bad.status, 400)
      const db = s.t.app.db
      assert.equal(await db.getRepository(CampaignEntity).count(), 0)
      assert.equal(await db.getRepository(CampaignTargetEntity).count(), 0)
      assert.equal(await db.getRepository(CampaignMessageEntity).count(), 0)
      assert.equal((await api('/api/admin/campaigns', '')).status, 401)
    })

    test('the launch and each countdown go out exactly once, one call per owner with its groups', async () => {
      const targetedLina = groups.lina.slice(0, 2)
      const c = await create({
        chatIds: [...targetedLina, groups.zhangwei[0]],
        ownerUserIds: ['wangfang'],
        launch: {
          text: '{name}开团啦！{end}截止',
          attachment: {
            type: 'link',
            title: '团购主页',
            url: 'https://shop.example.com/g12',
            desc: '4 件 399',
          },
        },
        countdowns: [
          { offsetMinutes: 180, text: '距结束还有{left}', attachment: { type: 'image', picUrl: imageUrl } },
          {
            offsetMinutes: 60,
            text: '距结束还有{left}',
            attachment: {
              type: 'miniprogram',
              title: '立即抢购',
              appid: 'wx1234567890',
              page: 'pages/g12',
              picUrl: imageUrl,
            },
          },
          { offsetMinutes: 15, text: '最后{left}！' },
        ],
      })
      const start = new Date(c.startsAt)
      const end = new Date(c.endsAt)
      const sender = s.t.app.campaignSender
      const since = s.sim.corp.calls.lastSeq
      const expected = new Map([
        ['lina', [...targetedLina].sort()],
        ['wangfang', [...groups.wangfang].sort()],
        ['zhangwei', [groups.zhangwei[0]]],
      ])
      const round = async (now: Date) => {
        const before = s.sim.corp.calls.lastSeq
        await sender.runDue(now)
        return addCalls(before)
      }
      const assertRound = (calls: ReturnType<typeof addCalls>, text: string) => {
        assert.equal(calls.length, 3)
        for (const call of calls) {
          const body = call.body as {
            sender: string
            chat_type: string
            chat_id_list: string[]
            text: { content: string }
          }
          assert.equal(call.errcode, 0)
          assert.equal(body.chat_type, 'group')
          assert.deepEqual([...body.chat_id_list].sort(), expected.get(body.sender), body.sender)
          assert.equal(body.text.content, text)
        }
        assert.deepEqual(calls.map((x) => (x.body as { sender: string }).sender).sort(), [...expected.keys()])
        return calls.map((x) => x.body as { attachments?: Record<string, Record<string, string>>[] })
      }

      assert.equal((await round(new Date(start.getTime() - MIN))).length, 0, 'nothing before the start')
      const launch = assertRound(await round(start), `双12团购开团啦！${endLabel(end)}截止`)
      assert.deepEqual(launch[0].attachments, [
        {
          msgtype: 'link',
          link: { title: '团购主页', url: 'https://shop.example.com/g12', desc: '4 件 399' },
        },
      ])
      assert.equal((await round(new Date(start.getTime() + MIN))).length, 0, 'a rerun sends nothing')
      assert.equal((await round(new Date(end.getTime() - 181 * MIN))).length, 0)
      const three = assertRound(await round(new Date(end.getTime() - 180 * MIN)), '距结束还有3小时')
      assert.deepEqual(three[0].attachments, [{ msgtype: 'image', image: { pic_url: imageUrl } }])
      assert.equal((await round(new Date(end.getTime() - 179 * MIN))).length, 0)
      const one = assertRound(await round(new Date(end.getTime() - 60 * MIN)), '距结束还有1小时')
      const mini = one[0].attachments![0]
      assert.equal(mini.msgtype as unknown, 'miniprogram')
      assert.equal(mini.miniprogram.appid, 'wx1234567890')
      assert.ok(s.sim.corp.data.media.has(mini.miniprogram.pic_media_id), 'cover uploaded as temporary media')
      assertRound(await round(new Date(end.getTime() - 15 * MIN)), '最后15分钟！')
      assert.equal((await round(new Date(end.getTime() - 14 * MIN))).length, 0)
      assert.equal((await round(new Date(end.getTime() + MIN))).length, 0)

      assert.equal(addCalls(since).length, 12)
      const rows = await s.t.app.db.getRepository(CampaignSendEntity).findBy({ campaignId: c.id })
      assert.equal(rows.length, 12)
      assert.ok(rows.every((r) => r.status === 'sent' && r.msgid && r.attempts === 1))
      assert.equal(new Set(rows.map((r) => r.msgid)).size, 12)
      for (const r of rows) assert.ok(s.sim.corp.data.massSends.has(r.msgid!), 'mass send exists in WeCom')

      const detail = await api(`/api/admin/campaigns/${c.id}`, admin)
      assert.equal(detail.status, 200)
      assert.equal(detail.body.sentCount, 12)
      assert.equal(detail.body.groupCount, 2 + groups.wangfang.length + 1)
      assert.deepEqual(
        detail.body.schedule.map((m: { key: string; status: string }) => [m.key, m.status]),
        [
          ['launch', 'planned'],
          ['countdown:180', 'planned'],
          ['countdown:60', 'planned'],
          ['countdown:15', 'planned'],
        ],
      )

      // Results: lina confirms in WeCom, the others have not yet.
      const linaLaunch = rows.find((r) => r.msgKey === 'launch' && r.ownerUserId === 'lina')!
      s.sim.driver.staffConfirmsMassSend({ msgid: linaLaunch.msgid!, userid: 'lina' })
      const synced = await api(`/api/admin/campaigns/${c.id}/sync-results`, admin, { method: 'POST' })
      assert.equal(synced.status, 200)
      const tasks = s.sim.corp.calls.list({
        path: '/cgi-bin/externalcontact/get_groupmsg_send_result',
        since,
      })
      assert.equal(tasks.length, 12)
      const launchSends = synced.body.sends.filter((x: { messageKey: string }) => x.messageKey === 'launch')
      assert.deepEqual(
        launchSends
          .map((x: { ownerUserId: string; confirmed: boolean }) => [x.ownerUserId, x.confirmed])
          .sort(),
        [
          ['lina', true],
          ['wangfang', false],
          ['zhangwei', false],
        ],
      )
      const linaDeliveries = synced.body.deliveries.filter(
        (d: { sendId: number }) => d.sendId === linaLaunch.id,
      )
      assert.deepEqual(
        linaDeliveries.map((d: { chatId: string; status: number }) => [d.chatId, d.status]).sort(),
        [...targetedLina].sort().map((id) => [id, 1]),
      )
      assert.equal(synced.body.delivery.delivered, 2)
      assert.equal(synced.body.delivery.unsent, 12 * 0 + (2 + groups.wangfang.length + 1) * 4 - 2)
    })

    test('two instances running the job at once send each message once', async () => {
      const second = await secondInstance(s)
      try {
        // Row level: both instances run the send step at the same moment, no lease in between.
        const c = await create({ chatIds: [groups.lina[0], groups.liuyang[0]], ownerUserIds: ['wangfang'] })
        const start = new Date(c.startsAt)
        let since = s.sim.corp.calls.lastSeq
        await Promise.all([
          s.t.app.campaignSender.runDue(start),
          second.app.campaignSender.runDue(start),
          s.t.app.campaignSender.runDue(start),
          second.app.campaignSender.runDue(start),
        ])
        assert.deepEqual(
          addCalls(since)
            .map((x) => (x.body as { sender: string }).sender)
            .sort(),
          ['lina', 'liuyang', 'wangfang'],
        )
        // Job level: the scheduled job on both instances (real clock, job lease), for a campaign due now.
        const now = Date.now()
        const d = await create({
          name: '现在开团',
          startsAt: new Date(now - MIN).toISOString(),
          endsAt: new Date(now + 5 * 60 * MIN).toISOString(),
          chatIds: [groups.zhangwei[0]],
        })
        since = s.sim.corp.calls.lastSeq
        await Promise.all([
          s.t.app.scheduler.runNow('campaigns.send'),
          second.app.scheduler.runNow('campaigns.send'),
        ])
        await s.t.app.scheduler.runNow('campaigns.send')
        await second.app.scheduler.runNow('campaigns.send')
        const calls = addCalls(since)
        assert.equal(calls.length, 1)
        assert.equal((calls[0].body as { sender: string }).sender, 'zhangwei')
        const rows = await s.t.app.db.getRepository(CampaignSendEntity).findBy({ campaignId: d.id })
        assert.deepEqual(
          rows.map((r) => [r.msgKey, r.status]),
          [['launch', 'sent']],
        )
      } finally {
        await second.close()
      }
    })

    test('a WeCom error is recorded, shown, and retried with backoff', async () => {
      const c = await create({
        name: '重试活动',
        startsAt: at(3).toISOString(),
        endsAt: new Date(at(3).getTime() + 6 * 60 * MIN).toISOString(),
      })
      const start = new Date(c.startsAt)
      s.sim.corp.faults.add({
        path: ADD,
        kind: 'errcode',
        errcode: 60011,
        errmsg: 'no privilege to access/modify contact/party/agent',
      })
      const since = s.sim.corp.calls.lastSeq
      const sender = s.t.app.campaignSender
      await sender.runDue(start, { campaignId: c.id })
      let [row] = await s.t.app.db.getRepository(CampaignSendEntity).findBy({ campaignId: c.id })
      assert.equal(row.status, 'retry')
      assert.match(row.error, /^60011 /)
      assert.equal(row.attempts, 1)
      assert.equal(row.nextAttemptAt!.getTime(), start.getTime() + MIN)
      const list = await api('/api/admin/campaigns', admin)
      const item = list.body.items.find((x: { id: number }) => x.id === c.id)
      assert.match(item.lastError, /60011/)
      const detail = await api(`/api/admin/campaigns/${c.id}`, admin)
      assert.equal(detail.body.sends[0].status, 'retry')

      await sender.runDue(new Date(start.getTime() + 30_000), { campaignId: c.id })
      assert.equal(addCalls(since).length, 1, 'no retry before the backoff')
      await sender.runDue(new Date(start.getTime() + MIN), { campaignId: c.id })
      ;[row] = await s.t.app.db.getRepository(CampaignSendEntity).findBy({ campaignId: c.id })
      assert.equal(row.status, 'sent')
      assert.equal(row.attempts, 2)
      assert.equal(row.error, '')
      const calls = addCalls(since)
      assert.deepEqual(
        calls.map((x) => x.errcode),
        [60011, 0],
      )
      await sender.runDue(new Date(start.getTime() + 5 * MIN), { campaignId: c.id })
      assert.equal(addCalls(since).length, 2)
    })

    test('after a send whose outcome is unknown, the next attempt looks WeCom up before sending again', async () => {
      const day = at(4)
      const c = await create({
        name: '断网活动',
        startsAt: day.toISOString(),
        endsAt: new Date(day.getTime() + 6 * 60 * MIN).toISOString(),
        countdowns: [{ offsetMinutes: 60, text: '断网测试还剩{left}' }],
      })
      const sender = s.t.app.campaignSender
      const repo = s.t.app.db.getRepository(CampaignSendEntity)
      const LIST = '/cgi-bin/externalcontact/get_groupmsg_list_v2'
      // The connection drops on every try: we cannot know whether WeCom created the mass send.
      s.sim.corp.faults.add({ path: ADD, kind: 'drop', times: 5 })
      let since = s.sim.corp.calls.lastSeq
      await sender.runDue(day, { campaignId: c.id })
      let [row] = await repo.findBy({ campaignId: c.id })
      assert.equal(row.status, 'retry')
      assert.equal(row.outcomeUnknown, true)
      // Nothing was created, so the retry looks it up, finds nothing and sends.
      await sender.runDue(new Date(day.getTime() + MIN), { campaignId: c.id })
      ;[row] = await repo.findBy({ campaignId: c.id })
      assert.equal(row.status, 'sent')
      const paths = s.sim.corp.calls
        .list({ since })
        .map((x) => x.path)
        .filter((p) => p === ADD || p === LIST)
      assert.deepEqual(paths.slice(-2), [LIST, ADD])

      // The countdown: WeCom took the call but the answer was lost (played by creating it on the side).
      const end = new Date(day.getTime() + 6 * 60 * MIN)
      s.sim.corp.faults.add({ path: ADD, kind: 'drop', times: 5 })
      await sender.runDue(new Date(end.getTime() - 60 * MIN), { campaignId: c.id })
      const countdownRow = (await repo.findBy({ campaignId: c.id })).find((r) => r.msgKey === 'countdown:60')!
      assert.equal(countdownRow.status, 'retry')
      const wecom = await simulatorClient(s.sim)
      const created = await wecom.post(ADD, {
        chat_type: 'group',
        sender: 'lina',
        chat_id_list: [groups.lina[0]],
        text: { content: '断网测试还剩1小时' },
      })
      assert.equal(created.errcode, 0)
      since = s.sim.corp.calls.lastSeq
      await sender.runDue(new Date(end.getTime() - 58 * MIN), { campaignId: c.id })
      const after = (await repo.findBy({ campaignId: c.id })).find((r) => r.msgKey === 'countdown:60')!
      assert.equal(after.status, 'sent')
      assert.equal(after.msgid, created.msgid, 'recorded, not sent again')
      assert.equal(addCalls(since).length, 0)
    })

    test('send now, edits, stale countdowns and deletion', async () => {
      const c = await create({
        name: '立即开团',
        startsAt: at(5).toISOString(),
        endsAt: new Date(at(5).getTime() + 5 * 60 * MIN).toISOString(),
      })
      let since = s.sim.corp.calls.lastSeq
      const now = await api(`/api/admin/campaigns/${c.id}/send-launch`, admin, { method: 'POST' })
      assert.equal(now.status, 200)
      assert.equal(addCalls(since).length, 1)
      assert.equal(now.body.schedule[0].status, 'planned')
      const again = await api(`/api/admin/campaigns/${c.id}/send-launch`, admin, { method: 'POST' })
      assert.equal(again.status, 409)
      assert.equal(again.body.code, 'launch_already_sent')

      // An edit moves the pending countdowns; the launch that went out stays.
      const end = new Date(at(5).getTime() + 6 * 60 * MIN)
      const edit = await api(`/api/admin/campaigns/${c.id}`, admin, {
        method: 'PUT',
        body: input({
          name: '立即开团',
          startsAt: at(5).toISOString(),
          endsAt: end.toISOString(),
          countdowns: [
            { offsetMinutes: 120, text: '还剩{left}' },
            { offsetMinutes: 60, text: '还剩{left}' },
          ],
        }),
      })
      assert.equal(edit.status, 200, JSON.stringify(edit.body))
      assert.deepEqual(
        edit.body.schedule.map((m: { key: string; status: string; sendAt: string }) => [
          m.key,
          m.status,
          m.sendAt,
        ]),
        [
          ['launch', 'planned', edit.body.schedule[0].sendAt],
          ['countdown:120', 'pending', new Date(end.getTime() - 120 * MIN).toISOString()],
          ['countdown:60', 'pending', new Date(end.getTime() - 60 * MIN).toISOString()],
        ],
      )
      // The server was down through both countdowns: only the latest goes out.
      since = s.sim.corp.calls.lastSeq
      await s.t.app.campaignSender.runDue(new Date(end.getTime() - 30 * MIN), { campaignId: c.id })
      const calls = addCalls(since)
      assert.equal(calls.length, 1)
      assert.equal((calls[0].body as { text: { content: string } }).text.content, '还剩1小时')
      const detail = await api(`/api/admin/campaigns/${c.id}`, admin)
      assert.deepEqual(
        detail.body.schedule.map((m: { key: string; status: string }) => [m.key, m.status]),
        [
          ['launch', 'planned'],
          ['countdown:120', 'skipped'],
          ['countdown:60', 'planned'],
        ],
      )
      assert.equal((await api(`/api/admin/campaigns/${c.id}`, admin, { method: 'DELETE' })).status, 204)
      assert.equal((await api(`/api/admin/campaigns/${c.id}`, admin)).status, 404)
    })

    test('sidebar: the group’s campaigns for its owner or admin, 403 for anyone else', async () => {
      const c = await create({ name: '侧边栏活动', chatIds: [], ownerUserIds: ['liuyang'] })
      // lina owns groups.lina[0] (targeted by the campaigns above) and administers liuyang's group.
      const own = await api(`/api/sidebar/groups/${groups.lina[0]}/campaigns`, lina)
      assert.equal(own.status, 200)
      assert.ok(own.body.items.length >= 1)
      const viaOwner = await api(`/api/sidebar/groups/${groups.liuyang[0]}/campaigns`, lina)
      assert.equal(viaOwner.status, 200)
      const item = viaOwner.body.items.find((x: { id: number }) => x.id === c.id)
      assert.ok(item, 'a campaign targeting the owner shows in the owner’s group')
      assert.equal(item.stage, 'preparation')
      assert.equal(item.nextMessage.key, 'launch')
      assert.deepEqual(
        item.messages.map((m: { key: string }) => m.key),
        ['launch', 'countdown:180', 'countdown:60', 'countdown:15'],
      )
      const msg = await api(`/api/sidebar/groups/${groups.liuyang[0]}/campaigns/${c.id}/message`, lina, {
        method: 'POST',
        body: { key: 'countdown:60', part: 'text' },
      })
      assert.equal(msg.status, 200)
      assert.deepEqual(msg.body.message, { msgtype: 'text', text: { content: '距结束还有1小时' } })
      const noAttachment = await api(
        `/api/sidebar/groups/${groups.liuyang[0]}/campaigns/${c.id}/message`,
        lina,
        {
          method: 'POST',
          body: { key: 'launch', part: 'attachment' },
        },
      )
      assert.equal(noAttachment.status, 400)

      // zhangwei's group: lina is neither owner nor admin.
      const other = await api(`/api/sidebar/groups/${groups.zhangwei[0]}/campaigns`, lina)
      assert.equal(other.status, 403)
      assert.equal(other.body.code, 'not_your_group')
      const otherSend = await api(
        `/api/sidebar/groups/${groups.zhangwei[0]}/campaigns/${c.id}/message`,
        lina,
        {
          method: 'POST',
          body: { key: 'launch', part: 'text' },
        },
      )
      assert.equal(otherSend.status, 403)
      // A campaign that does not reach this group is a 404, even for its owner.
      const notHere = await api(`/api/sidebar/groups/${groups.lina[0]}/campaigns/${c.id}/message`, lina, {
        method: 'POST',
        body: { key: 'launch', part: 'text' },
      })
      assert.equal(notHere.status, 404)
      assert.equal((await api(`/api/sidebar/groups/${groups.lina[0]}/campaigns`, '')).status, 401)
    })
  })
}

function endLabel(end: Date): string {
  const s = new Date(end.getTime() + 8 * 3600_000).toISOString()
  return `${s.slice(5, 7)}月${s.slice(8, 10)}日 ${s.slice(11, 16)}`
}
