// VIP-group invitations as advisor tasks, on SQLite and MariaDB: a member tier with a group code →
// segments write a pending segment_invite → the reminders scan (or the sidebar's task list) turns it into
// one 'invite' task for the advisor → done marks the invitation done; reruns add nothing; a customer
// who joined one of the code's groups on their own needs no invitation.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { GroupMemberEntity } from '../src/modules/directory/group-chat.entity.ts'
import { GroupCodeEntity, GroupCodePoolEntity } from '../src/modules/groups/group-code.entity.ts'
import { FollowupTaskEntity } from '../src/modules/reminders/reminder.entity.ts'
import { SegmentInviteEntity } from '../src/modules/segments/segment.entity.ts'
import { clockAt } from '../src/modules/segments/segment-sql.ts'
import { adminCookie } from './helpers/app.ts'
import { insertCustomer, insertOrder } from './helpers/fixtures.ts'
import { DATABASE_KINDS } from './helpers/databases.ts'
import { advisorCookie, jsonApi } from './helpers/sidebar-session.ts'
import { startWithSimulator, type SimulatedSetup } from './helpers/simulated-corp.ts'

const DAY = 86_400_000
// The 25th of the current month, 12:00 Shanghai: last month is a whole calendar month (tiers read it).
const sh = new Date(Date.now() + 8 * 3600_000)
const NOW = new Date(Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth(), 25, 4))
/** Day `d` of last month, 02:00 Shanghai. */
const lm = (d: number) => new Date(clockAt(NOW).monthStart.getTime() + d * DAY + 2 * 3600_000)
const QR = 'https://wework.qpic.cn/wwpic/vip-group-qr.png'

for (const kind of DATABASE_KINDS) {
  describe(`VIP-group invitations as tasks [${kind}]`, () => {
    let s: SimulatedSetup
    let admin: string
    let lina: string
    let wangfang: string
    let codeId: number
    let orderNo = 0
    const api = jsonApi(() => s.base)
    const db = () => s.t.app.db

    const customer = (id: string, userId = 'lina') =>
      insertCustomer(db(), {
        id,
        userId,
        addTime: new Date(NOW.getTime() - 90 * DAY),
        name: `客户${id.slice(-1)}`,
        avatar: `https://example.com/avatar/${id}.png`,
      })
    const order = (externalUserId: string, totalCents: number, orderedAt: Date) =>
      insertOrder(db(), { orderNo: `INV${++orderNo}`, externalUserId, totalCents, orderedAt })
    const invitesOf = (externalUserId: string) =>
      db().getRepository(SegmentInviteEntity).findBy({ externalUserId })
    const inviteTasks = () =>
      db()
        .getRepository(FollowupTaskEntity)
        .find({ where: { kind: 'invite' }, order: { id: 'ASC' } })

    before(async () => {
      s = await startWithSimulator(kind, { sync: true })
      admin = await adminCookie(s.t.app)
      lina = await advisorCookie(s.base, 'lina')
      wangfang = await advisorCookie(s.base, 'wangfang')
      const code = await db().getRepository(GroupCodeEntity).save({
        name: '钻粉尊享群',
        threshold: 200,
        qrCode: QR,
        status: 'active',
        rotationUntil: NOW,
        createdAt: NOW,
        updatedAt: NOW,
      })
      codeId = code.id
      for (const id of ['invA', 'invB', 'invC']) await customer(id)
      // A: ¥2,500 last month → 钻粉 (the tier with the VIP group); B: ¥100 → 奥粉 (no group code).
      await order('invA', 250_000, lm(10))
      await order('invB', 10_000, lm(10))
    })
    after(() => s.close())

    test('a tier with a group code → a pending invitation → one invite task for the advisor, once', async () => {
      const tiers = (await api('/api/admin/segments/tiers', admin)).body.items as { name: string }[]
      const items = tiers.map((t) => (t.name === '钻粉' ? { ...t, groupCodeId: codeId } : t))
      assert.equal(
        (await api('/api/admin/segments/tiers', admin, { method: 'PUT', body: { items } })).status,
        200,
      )
      await s.t.app.segments.recomputeAll(NOW)
      const [invite] = await invitesOf('invA')
      assert.deepEqual([invite.userId, invite.groupCodeId, invite.status], ['lina', codeId, 'pending'])
      assert.equal((await invitesOf('invB')).length, 0, '奥粉 has no group code')

      const res = await s.t.app.reminders.scan(NOW)
      assert.equal(res.inviteTasks, 1)
      const [task, ...more] = await inviteTasks()
      assert.equal(more.length, 0)
      assert.equal(task.externalUserId, 'invA')
      assert.equal(task.userId, 'lina')
      assert.equal(task.status, 'open')
      assert.equal(task.title, '邀请进入 VIP 群：钻粉尊享群')
      assert.match(task.detail, /钻粉/)
      assert.ok(task.message.includes(QR), 'the invitation text carries the group QR')

      // Reruns (scan and segments) add nothing.
      await s.t.app.segments.recomputeAll(NOW)
      assert.equal((await s.t.app.reminders.scan(NOW)).inviteTasks, 0)
      assert.equal((await inviteTasks()).length, 1)
      assert.equal((await invitesOf('invA')).length, 1)

      // The advisor's 我的任务 and the customer's tasks section show it with the customer.
      const board = await api('/api/sidebar/tasks', lina)
      assert.equal(board.status, 200)
      const mine = board.body.items.find((t: { id: number }) => t.id === task.id)
      assert.equal(mine.kind, 'invite')
      assert.equal(mine.customerName, '客户A')
      assert.equal(mine.customerAvatar, 'https://example.com/avatar/invA.png')
      assert.equal(board.body.doneToday, 0)
      const view = await api('/api/sidebar/customers/invA/tasks', lina)
      assert.deepEqual(
        view.body.tasks.map((t: { id: number }) => t.id),
        [task.id],
      )

      // Not another advisor's to see or handle.
      assert.equal((await api(`/api/sidebar/tasks/${task.id}`, wangfang)).status, 403)
      const foreign = await api(`/api/sidebar/tasks/${task.id}/handle`, wangfang, {
        method: 'POST',
        body: { action: 'done' },
      })
      assert.equal(foreign.status, 403)
      assert.equal((await invitesOf('invA'))[0].status, 'pending')

      // Done → the invitation is done; counted in today's done; never recreated.
      const done = await api(`/api/sidebar/tasks/${task.id}/handle`, lina, {
        method: 'POST',
        body: { action: 'done' },
      })
      assert.equal(done.status, 200)
      assert.equal(done.body.status, 'done')
      const after = (await invitesOf('invA'))[0]
      assert.equal(after.status, 'done')
      assert.ok(after.doneAt)
      const board2 = await api('/api/sidebar/tasks', lina)
      assert.equal(board2.body.doneToday, 1)
      assert.ok(!board2.body.items.some((t: { id: number }) => t.id === task.id))
      assert.equal((await api(`/api/sidebar/tasks/${task.id}`, lina)).body.status, 'done')
      await s.t.app.segments.recomputeAll(NOW)
      assert.equal((await s.t.app.reminders.scan(NOW)).inviteTasks, 0)
      assert.equal((await inviteTasks()).length, 1)
    })

    test('a new VIP shows up in the sidebar list before the morning scan; joining the group on their own closes it', async () => {
      await order('invC', 300_000, lm(12))
      await s.t.app.segments.recomputeCustomers(['invC'], NOW)
      assert.equal((await invitesOf('invC'))[0]?.status, 'pending')
      const board = await api('/api/sidebar/tasks', lina)
      const task = board.body.items.find(
        (t: { kind: string; externalUserId: string }) => t.kind === 'invite' && t.externalUserId === 'invC',
      )
      assert.ok(task, 'listed without a scan')
      assert.equal((await inviteTasks()).length, 2)
      // Listing twice (or in parallel) creates nothing more.
      await Promise.all([api('/api/sidebar/tasks', lina), api('/api/sidebar/tasks', lina)])
      assert.equal((await inviteTasks()).length, 2)

      // C scans the QR and joins one of the code's groups: the invitation is done, the task closed.
      await db().getRepository(GroupCodePoolEntity).insert({
        groupCodeId: codeId,
        chatId: 'wrVipGroup01',
        position: 0,
        source: 'admin',
        addedAt: NOW,
      })
      await db().getRepository(GroupMemberEntity).insert({
        chatId: 'wrVipGroup01',
        memberId: 'invC',
        type: 2,
        joinTime: NOW,
        joinScene: 3,
        invitor: '',
        isAdmin: false,
      })
      await s.t.app.reminders.scan(NOW)
      assert.equal((await invitesOf('invC'))[0].status, 'done')
      const closed = await db().getRepository(FollowupTaskEntity).findOneByOrFail({ id: task.id })
      assert.deepEqual([closed.status, closed.closeReason], ['closed', 'joined'])
      const board2 = await api('/api/sidebar/tasks', lina)
      assert.ok(!board2.body.items.some((t: { id: number }) => t.id === task.id))
    })
  })
}
