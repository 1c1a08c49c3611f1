// Follow-up tasks: what the sidebar and the admin page read, done/dismissed by the advisor, closed by the
// system when a new order makes a reminder stale, the app message per reminder and the daily digest.
import { In, type DataSource, type FindOptionsWhere } from 'typeorm'
import type { FastifyBaseLogger } from 'fastify'
import type {
  CompletionRow,
  CompletionStats,
  FollowupTask,
  MyTasksView,
  TaskQuery,
  TaskStatus,
} from '@scrm/shared'
import { AppError, notFound } from '../../lib/errors.ts'
import type { WeComClient } from '../../wecom/client.ts'
import { CustomerEntity } from '../directory/customer.entity.ts'
import { StaffEntity } from '../directory/staff.entity.ts'
import { ProductEntity } from '../products/product.entity.ts'
import { ScriptEntity } from '../scripts/script.entity.ts'
import { shanghaiDay } from '../acquisition/shanghai-time.ts'
import { describe, isRetryable } from '../acquisition/wecom-outcome.ts'
import {
  FollowupDigestEntity,
  FollowupRuleEntity,
  FollowupTaskEntity,
  RunoutPredictionEntity,
  type FollowupTaskRow,
} from './reminder.entity.ts'
import { REMINDER_KINDS } from './reminder-triggers.ts'
import { InviteTasks } from './invite-tasks.ts'
import { emptyStats } from './sop.service.ts'
import { DAY_MS } from './runout.ts'
import { chunk, hasTable, readTime, sqlTime } from './sql.ts'

export const notYourTask = () => new AppError(403, 'not_your_task', 'This task belongs to another advisor')

const KIND_TEXT: Record<FollowupTaskRow['kind'], string> = {
  runout: '复购提醒',
  overdue: '回购间隔提醒',
  benefit: '权益到期提醒',
  dormant: '沉睡唤醒',
  sop: 'SOP 任务',
  invite: 'VIP 入群邀请',
}

export class TaskService {
  readonly invites: InviteTasks

  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
    private readonly agentId: string,
    private readonly publicUrl: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.invites = new InviteTasks(db)
  }

  async out(rows: FollowupTaskRow[]): Promise<FollowupTask[]> {
    if (rows.length === 0) return []
    const ids = <T>(f: (r: FollowupTaskRow) => T | null) => [
      ...new Set(rows.map(f).filter((x): x is T => x !== null && x !== undefined)),
    ]
    const [rules, products, customers, staff, scripts] = await Promise.all([
      ids((r) => r.ruleId).length
        ? this.db.getRepository(FollowupRuleEntity).findBy({ id: In(ids((r) => r.ruleId)) })
        : [],
      ids((r) => r.productId).length
        ? this.db.getRepository(ProductEntity).findBy({ id: In(ids((r) => r.productId)) })
        : [],
      this.db.getRepository(CustomerEntity).findBy({ externalUserId: In(ids((r) => r.externalUserId)) }),
      this.db.getRepository(StaffEntity).findBy({ userId: In(ids((r) => r.userId)) }),
      ids((r) => r.scriptId).length
        ? this.db.getRepository(ScriptEntity).findBy({ id: In(ids((r) => r.scriptId)) })
        : [],
    ])
    const rule = new Map(rules.map((x) => [x.id, x.name]))
    const product = new Map(products.map((x) => [x.id, x.name]))
    const customer = new Map(customers.map((x) => [x.externalUserId, x]))
    const advisor = new Map(staff.map((x) => [x.userId, x.name]))
    const script = new Map(scripts.filter((s) => !s.deletedAt).map((s) => [s.id, s]))
    return rows.map((r) => {
      const s = r.scriptId ? script.get(r.scriptId) : undefined
      return {
        id: r.id,
        kind: r.kind,
        ruleId: r.ruleId,
        ruleName: r.ruleId ? (rule.get(r.ruleId) ?? null) : null,
        productId: r.productId,
        productName: r.productId ? (product.get(r.productId) ?? null) : null,
        externalUserId: r.externalUserId,
        customerName: customer.get(r.externalUserId)?.name ?? '',
        customerAvatar: customer.get(r.externalUserId)?.avatar ?? '',
        userId: r.userId,
        advisorName: advisor.get(r.userId) ?? r.userId,
        title: r.title,
        detail: r.detail,
        script: s ? { id: s.id, title: s.title, kind: s.kind, content: s.content } : null,
        scriptReason: s ? r.scriptReason : '',
        message: r.message,
        dueAt: r.dueAt?.toISOString() ?? null,
        status: r.status,
        createdAt: r.createdAt.toISOString(),
        handledAt: r.handledAt?.toISOString() ?? null,
        closeReason: r.closeReason,
      }
    })
  }

  /** This advisor's open tasks about this customer. */
  async openFor(userId: string, externalUserId: string): Promise<FollowupTask[]> {
    await this.invites.sync(new Date(), { userId, externalUserId })
    const rows = await this.db
      .getRepository(FollowupTaskEntity)
      .find({ where: { userId, externalUserId, status: 'open' }, order: { dueAt: 'ASC', id: 'ASC' } })
    return this.out(rows)
  }

  /** This advisor's open tasks, soonest first ("my tasks today"). */
  async mine(userId: string, limit = 100): Promise<FollowupTask[]> {
    await this.invites.sync(new Date(), { userId })
    const rows = await this.db
      .getRepository(FollowupTaskEntity)
      .find({ where: { userId, status: 'open' }, order: { dueAt: 'ASC', id: 'ASC' }, take: limit })
    return this.out(rows)
  }

  /** 我的任务: the open tasks and how many the advisor handled since midnight (Asia/Shanghai). */
  async board(userId: string, now = new Date()): Promise<MyTasksView> {
    const items = await this.mine(userId, 200)
    const midnight = new Date(`${shanghaiDay(now)}T00:00:00+08:00`)
    const rows: { s: TaskStatus; n: number | string }[] = await this.db.query(
      `SELECT status AS s, COUNT(*) AS n FROM followup_task
        WHERE user_id = ? AND status IN ('done', 'dismissed') AND handled_at >= ? GROUP BY status`,
      [userId, sqlTime(this.db, midnight)],
    )
    const count = (s: TaskStatus) => Number(rows.find((r) => r.s === s)?.n ?? 0)
    return { items, doneToday: count('done'), dismissedToday: count('dismissed') }
  }

  /** One task of this advisor's, whatever its status (the app message's link may be old). */
  async one(id: number, userId: string): Promise<FollowupTask> {
    const row = await this.db.getRepository(FollowupTaskEntity).findOneBy({ id })
    if (!row) throw notFound('Task')
    if (row.userId !== userId) throw notYourTask()
    return (await this.out([row]))[0]
  }

  /** done / dismissed by the advisor (or by an admin with userId null). Handling twice is a no-op. */
  async handle(id: number, userId: string | null, action: 'done' | 'dismissed'): Promise<FollowupTask> {
    const repo = this.db.getRepository(FollowupTaskEntity)
    const row = await repo.findOneBy({ id })
    if (!row) throw notFound('Task')
    if (userId !== null && row.userId !== userId) throw notYourTask()
    if (row.status === 'open') {
      const handledAt = new Date()
      const res = await repo.update({ id, status: 'open' }, { status: action, handledAt })
      if (res.affected) {
        Object.assign(row, { status: action, handledAt })
        if (action === 'done') await this.invites.taskDone(row, handledAt)
      } else Object.assign(row, await repo.findOneByOrFail({ id }))
    }
    return (await this.out([row]))[0]
  }

  async page(q: TaskQuery): Promise<{ items: FollowupTask[]; total: number }> {
    const where: FindOptionsWhere<FollowupTaskRow> = {}
    if (q.status) where.status = q.status
    if (q.kind) where.kind = q.kind
    if (q.ruleId) where.ruleId = q.ruleId
    if (q.userId) where.userId = q.userId
    const [rows, total] = await this.db.getRepository(FollowupTaskEntity).findAndCount({
      where,
      order: { id: 'DESC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    })
    return { items: await this.out(rows), total }
  }

  /** Completion per rule, per advisor and per kind: done ÷ handed out (system-closed ones excluded). */
  async stats(): Promise<{
    byRule: Map<number, CompletionStats>
    rows: Record<'byRule' | 'byAdvisor' | 'byKind', CompletionRow[]>
  }> {
    const group = async (column: string) =>
      (await this.db.query(
        `SELECT ${column} AS k, status AS s, COUNT(*) AS n FROM followup_task
          ${column === 'rule_id' ? 'WHERE rule_id IS NOT NULL' : ''} GROUP BY ${column}, status`,
      )) as { k: string | number; s: TaskStatus; n: number | string }[]
    const fold = (rows: { k: string | number; s: TaskStatus; n: number | string }[]) => {
      const m = new Map<string, CompletionStats>()
      for (const r of rows) {
        const st = m.get(String(r.k)) ?? emptyStats()
        st[r.s] = Number(r.n)
        st.total += Number(r.n)
        m.set(String(r.k), st)
      }
      for (const st of m.values()) {
        const handedOut = st.total - st.closed
        st.rate = handedOut > 0 ? st.done / handedOut : null
      }
      return m
    }
    const [byRule, byAdvisor, byKind] = await Promise.all([group('rule_id'), group('user_id'), group('kind')])
    const rules = fold(byRule)
    const advisors = fold(byAdvisor)
    const kinds = fold(byKind)
    const ruleNames = new Map(
      (await this.db.getRepository(FollowupRuleEntity).find()).map((r) => [String(r.id), r.name]),
    )
    const staffNames = new Map(
      (advisors.size
        ? await this.db.getRepository(StaffEntity).findBy({ userId: In([...advisors.keys()]) })
        : []
      ).map((s) => [s.userId, s.name]),
    )
    const rowsOf = (m: Map<string, CompletionStats>, name: (k: string) => string) =>
      [...m.entries()].map(([key, st]) => ({ key, name: name(key), ...st })).sort((a, b) => b.total - a.total)
    return {
      byRule: new Map([...rules.entries()].map(([k, v]) => [Number(k), v])),
      rows: {
        byRule: rowsOf(rules, (k) => ruleNames.get(k) ?? `#${k}`),
        byAdvisor: rowsOf(advisors, (k) => staffNames.get(k) ?? k),
        byKind: rowsOf(kinds, (k) => KIND_TEXT[k as FollowupTaskRow['kind']] ?? k),
      },
    }
  }

  /**
   * After these customers' orders changed (predictions already recomputed): close open run-out reminders
   * whose prediction moved or disappeared, and overdue/dormant reminders once the customer ordered again.
   */
  async closeStale(externalUserIds: string[], dormantDays: number): Promise<number> {
    if (externalUserIds.length === 0) return 0
    const repo = this.db.getRepository(FollowupTaskEntity)
    let closed = 0
    const orders = await hasTable(this.db, 'shop_order')
    for (const part of chunk([...new Set(externalUserIds)], 500)) {
      const open = await repo.findBy({
        externalUserId: In(part),
        status: 'open',
        kind: In(['runout', 'overdue', 'dormant']),
      })
      if (open.length === 0) continue
      const preds = await this.db.getRepository(RunoutPredictionEntity).findBy({ externalUserId: In(part) })
      const runout = new Map(preds.map((p) => [`${p.externalUserId}|${p.productId}`, p.runoutAt.getTime()]))
      const lastOrder = new Map<string, Date>()
      if (orders) {
        const marks = part.map(() => '?').join(', ')
        const rows: { ext: string; last: unknown }[] = await this.db.query(
          `SELECT external_user_id AS ext, MAX(ordered_at) AS last FROM shop_order
            WHERE status = 'paid' AND external_user_id IN (${marks}) GROUP BY external_user_id`,
          part,
        )
        for (const r of rows) lastOrder.set(r.ext, readTime(r.last)!)
      }
      const stale: number[] = []
      for (const t of open) {
        const last = lastOrder.get(t.externalUserId)?.getTime() ?? 0
        if (t.kind === 'runout') {
          if (runout.get(`${t.externalUserId}|${t.productId}`) !== t.dueAt?.getTime()) stale.push(t.id)
        } else if (t.kind === 'overdue') {
          if (last > Number(t.dedupeKey.split(':').at(-1))) stale.push(t.id)
        } else if (last > t.createdAt.getTime() - dormantDays * DAY_MS) stale.push(t.id)
      }
      if (stale.length) {
        const res = await repo.update(
          { id: In(stale), status: 'open' },
          { status: 'closed', closeReason: 'new_order', handledAt: new Date() },
        )
        closed += res.affected ?? 0
      }
    }
    return closed
  }

  private sidebarUrl(query: string) {
    return `${this.publicUrl.replace(/\/$/, '')}/sidebar/?${query}`
  }

  private async send(touser: string, textcard: Record<string, string>): Promise<void> {
    await this.wecom.post('message/send', {
      touser,
      msgtype: 'textcard',
      agentid: Number(this.agentId),
      textcard,
    })
  }

  /** One app message (textcard, linking into the sidebar) per new automatic reminder. */
  async notify(now: Date): Promise<number> {
    const repo = this.db.getRepository(FollowupTaskEntity)
    const rows = await repo.find({
      where: { status: 'open', kind: In(REMINDER_KINDS) },
      order: { id: 'ASC' },
      take: 2000,
    })
    const pending = rows.filter((r) => !r.notifiedAt)
    let sent = 0
    for (const task of await this.out(pending)) {
      const lines = [
        `<div class="gray">${shanghaiDay(now)} · ${KIND_TEXT[task.kind]}</div>`,
        `<div class="normal">客户：${task.customerName || task.externalUserId}</div>`,
        `<div class="normal">${task.detail}</div>`,
      ]
      if (task.script) lines.push(`<div class="highlight">建议话术：${task.script.title}</div>`)
      try {
        await this.send(task.userId, {
          title: `【${KIND_TEXT[task.kind]}】${task.customerName || '客户'} · ${task.title}`.slice(0, 128),
          description: lines.join(''),
          url: this.sidebarUrl(`task=${task.id}`),
          btntxt: '去跟进',
        })
        await repo.update({ id: task.id }, { notifiedAt: now })
        sent++
      } catch (err) {
        if (isRetryable(err)) throw err
        this.log.warn({ err: describe(err), taskId: task.id }, 'reminder app message refused by WeCom')
        await repo.update({ id: task.id }, { notifiedAt: now })
      }
    }
    return sent
  }

  /** The daily digest: one app message per advisor with open tasks (count and the top items), once a day. */
  async digest(now: Date): Promise<number> {
    const day = shanghaiDay(now)
    const counts: { userId: string; n: number | string }[] = await this.db.query(
      `SELECT user_id AS userId, COUNT(*) AS n FROM followup_task WHERE status = 'open' GROUP BY user_id ORDER BY user_id`,
    )
    const digests = this.db.getRepository(FollowupDigestEntity)
    let sent = 0
    for (const c of counts) {
      const n = Number(c.n)
      // Claim the day first (primary key user + day): a rerun or a second instance sends nothing.
      try {
        await digests.insert({ userId: c.userId, day, openCount: n, sentAt: now })
      } catch {
        continue
      }
      const top = await this.out(
        await this.db.getRepository(FollowupTaskEntity).find({
          where: { userId: c.userId, status: 'open' },
          order: { dueAt: 'ASC', id: 'ASC' },
          take: 3,
        }),
      )
      const lines = [`<div class="gray">${day}</div>`, `<div class="normal">你有 ${n} 条待跟进任务：</div>`]
      for (const t of top)
        lines.push(`<div class="normal">· ${t.customerName || t.externalUserId}：${t.title}</div>`)
      try {
        await this.send(c.userId, {
          title: `今日待办：${n} 条客户跟进任务`,
          description: lines.join(''),
          url: this.sidebarUrl('tasks=mine'),
          btntxt: '查看',
        })
        sent++
      } catch (err) {
        // Not sent: give the day back so the next run tries again.
        await digests.delete({ userId: c.userId, day })
        if (isRetryable(err)) throw err
        this.log.warn({ err: describe(err), userId: c.userId }, 'task digest refused by WeCom')
      }
    }
    return sent
  }
}
