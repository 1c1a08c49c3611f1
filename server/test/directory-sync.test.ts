import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { CustomerEntity } from '../src/modules/directory/customer.entity.ts'
import { CustomerFollowEntity, FollowTagEntity } from '../src/modules/directory/follow.entity.ts'
import { GroupChatEntity, GroupMemberEntity } from '../src/modules/directory/group-chat.entity.ts'
import { StaffEntity } from '../src/modules/directory/staff.entity.ts'
import { SyncRunEntity } from '../src/modules/directory/sync-run.entity.ts'
import { TagEntity } from '../src/modules/directory/tag.entity.ts'
import { InboxEntity } from '../src/modules/inbox/inbox.entity.ts'
import { DEMO_IDS } from '../src/simulator/index.ts'
import { adminCookie } from './helpers/app.ts'
import { DATABASE_KINDS } from './helpers/databases.ts'
import { eventually, startWithSimulator, type SimulatedSetup } from './helpers/simulated-corp.ts'

for (const kind of DATABASE_KINDS) {
  describe(`directory sync and incremental mirror [${kind}]`, () => {
    let s: SimulatedSetup
    before(async () => {
      s = await startWithSimulator(kind, { workers: true, build: { syncPageSize: 7 } })
    })
    after(() => s.close())
    const repo = <T extends object>(e: import('typeorm').EntitySchema<T>) => s.t.app.db.getRepository(e)
    const simFollows = () =>
      [...s.sim.corp.data.customers.values()].flatMap((c) => c.follows.filter((f) => !f.deleted_by_customer))
    const simGroups = () => [...s.sim.corp.data.groups.values()].filter((g) => !g.dismissed)

    async function syncViaApi() {
      const cookie = await adminCookie(s.t.app)
      const res = await s.t.app.inject({ method: 'POST', url: '/api/admin/sync', headers: { cookie } })
      assert.equal(res.statusCode, 202, res.body)
      await s.t.app.directorySync.wait()
      return repo(SyncRunEntity).findOneByOrFail({ id: res.json().run.id })
    }

    test('a full sync mirrors staff, tags, contacts with follows and tags, and groups with members', async () => {
      const run = await syncViaApi()
      assert.equal(run.status, 'done', run.error ?? '')
      const counts = JSON.parse(run.counts)
      assert.equal(await repo(StaffEntity).countBy({ isFollowUser: true }), s.sim.corp.data.staff.size)
      assert.equal(await repo(CustomerEntity).count(), s.sim.corp.data.customers.size)
      assert.equal(await repo(CustomerFollowEntity).countBy({ status: 'active' }), simFollows().length)
      assert.equal(counts.contacts, simFollows().length)
      const simTags = s.sim.corp.data.tagGroups.flatMap((g) => g.tags)
      assert.equal(await repo(TagEntity).count(), simTags.length)
      const simTagLinks = simFollows().reduce((n, f) => n + f.tag_ids.length, 0)
      assert.equal(await repo(FollowTagEntity).count(), simTagLinks)
      assert.equal(await repo(GroupChatEntity).countBy({ status: 'active' }), simGroups().length)
      assert.equal(
        await repo(GroupMemberEntity).count(),
        simGroups().reduce((n, g) => n + g.member_list.length, 0),
      )
      const staffName = (await repo(StaffEntity).findOneByOrFail({ userId: 'lina' })).name
      assert.notEqual(staffName, '')
    })

    test('a second sync changes nothing (idempotent)', async () => {
      const before = [
        await repo(CustomerEntity).count(),
        await repo(CustomerFollowEntity).count(),
        await repo(FollowTagEntity).count(),
        await repo(GroupMemberEntity).count(),
      ]
      const run = await syncViaApi()
      assert.equal(run.status, 'done')
      const afterCounts = [
        await repo(CustomerEntity).count(),
        await repo(CustomerFollowEntity).count(),
        await repo(FollowTagEntity).count(),
        await repo(GroupMemberEntity).count(),
      ]
      assert.deepEqual(afterCounts, before)
    })

    test('a sync that fails mid-way resumes from its cursor', async () => {
      const path = '/cgi-bin/externalcontact/batch/get_by_user'
      // Let two pages through, then fail the third until the faults are cleared.
      const pagesBefore = s.sim.corp.calls.count(path)
      s.sim.corp.faults.add({ path, kind: 'latency', ms: 1, times: 2 })
      s.sim.corp.faults.add({
        path,
        kind: 'errcode',
        errcode: 40058,
        errmsg: 'simulated param error',
        times: 100,
      })
      const failed = await syncViaApi()
      assert.equal(failed.status, 'failed')
      assert.match(failed.error ?? '', /40058/)
      const saved = JSON.parse(failed.resume)
      assert.ok(saved.contactCursor || saved.staffOffset > 0, 'a cursor was saved')
      s.sim.corp.faults.clear()
      const pagesAtFailure = s.sim.corp.calls.count(path)
      const resumed = await syncViaApi()
      assert.equal(resumed.id, failed.id, 'the same run continued')
      assert.equal(resumed.status, 'done')
      const fullRunPages = Math.ceil(simFollows().length / 7)
      const resumedPages = s.sim.corp.calls.count(path) - pagesAtFailure
      assert.ok(
        resumedPages < fullRunPages + 4,
        `resumed with ${resumedPages} pages, a full run takes about ${fullRunPages}`,
      )
      assert.ok(pagesAtFailure - pagesBefore >= 3)
      assert.equal(await repo(CustomerFollowEntity).countBy({ status: 'active' }), simFollows().length)
    })

    test('a second sync request while one runs is a 409', async () => {
      const cookie = await adminCookie(s.t.app)
      s.sim.corp.faults.add({
        path: '/cgi-bin/externalcontact/get_follow_user_list',
        kind: 'latency',
        ms: 300,
        times: 1,
      })
      const first = await s.t.app.inject({ method: 'POST', url: '/api/admin/sync', headers: { cookie } })
      const second = await s.t.app.inject({ method: 'POST', url: '/api/admin/sync', headers: { cookie } })
      assert.equal(first.statusCode, 202)
      assert.equal(second.statusCode, 409)
      assert.equal(second.json().code, 'sync_running')
      await s.t.app.directorySync.wait()
    })

    test('callbacks keep the mirror in step: add, edit, delete both ways, group join and tag changes', async () => {
      const d = s.sim.driver
      const scan = await d.customerScansContactWay({
        configId: DEMO_IDS.storeContactWay,
        customer: { name: '新客户小周' },
      })
      assert.equal(scan.delivery.delivered, true)
      const follow = await eventually(() =>
        repo(CustomerFollowEntity).findOneBy({ externalUserId: scan.externalUserid, userId: scan.userid }),
      )
      assert.equal(follow.state, 'demo_store')
      assert.equal(
        (await repo(CustomerEntity).findOneByOrFail({ externalUserId: scan.externalUserid })).name,
        '新客户小周',
      )

      await d.editContact({ externalUserid: scan.externalUserid, userid: scan.userid, remark: '老顾客-周' })
      await eventually(
        async () =>
          (await repo(CustomerFollowEntity).findOneByOrFail({ id: follow.id })).remark === '老顾客-周',
      )

      await d.customerDeletesStaff({ externalUserid: scan.externalUserid, userid: scan.userid })
      await eventually(
        async () =>
          (await repo(CustomerFollowEntity).findOneByOrFail({ id: follow.id })).status ===
          'removed_by_customer',
      )

      const other = simFollows().find((f) => f.userid === 'wangfang')!
      const otherExt = [...s.sim.corp.data.customers.values()].find((c) =>
        c.follows.includes(other),
      )!.external_userid
      await d.staffDeletesCustomer({ externalUserid: otherExt, userid: 'wangfang' })
      await eventually(
        async () =>
          (await repo(CustomerFollowEntity).findOneByOrFail({ externalUserId: otherExt, userId: 'wangfang' }))
            .status === 'removed_by_staff',
      )

      const join = await d.customerJoinsGroupViaJoinWay({
        configId: DEMO_IDS.vipJoinWay,
        customer: { name: '进群的人' },
      })
      assert.ok(join.joined)
      await eventually(() =>
        repo(GroupMemberEntity).findOneBy({ chatId: join.chatId, memberId: join.externalUserid }),
      )

      const tag = await d.tagCreated({ groupName: '兴趣', name: '露营' })
      void tag
      await eventually(() => repo(TagEntity).findOneBy({ name: '露营' }))

      // Nothing was parked or left behind.
      await eventually(async () => (await repo(InboxEntity).countBy({ status: 'pending' })) === 0)
      assert.equal(await repo(InboxEntity).countBy({ status: 'parked' }), 0)
    })
  })
}
