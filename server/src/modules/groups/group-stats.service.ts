// Group stats (群统计): joins (by invite / by QR), quits, net and members per day, per group and per
// owner, over Asia/Shanghai days. Members per day is each group's latest snapshot on or before that
// day (carried forward over days without one), summed.
import { In, LessThanOrEqual, type DataSource } from 'typeorm'
import type { GroupStats, GroupStatsQuery } from '@scrm/shared'
import { badRequest } from '../../lib/errors.ts'
import { dayRange, shanghaiDay } from '../acquisition/shanghai-time.ts'
import { GroupChatEntity } from '../directory/group-chat.entity.ts'
import { StaffEntity } from '../directory/staff.entity.ts'
import { GroupCodePoolEntity } from './group-code.entity.ts'
import { GroupMemberEventEntity, GroupMemberSnapshotEntity } from './group-stats.entity.ts'

const MAX_DAYS = 370

export class GroupStatsService {
  constructor(private readonly db: DataSource) {}

  /** The groups the query covers: a code's pool and/or one owner's groups; null = every group. */
  private async scope(q: GroupStatsQuery): Promise<string[] | null> {
    let ids: string[] | null = null
    if (q.groupCodeId) {
      const pool = await this.db
        .getRepository(GroupCodePoolEntity)
        .find({ where: { groupCodeId: q.groupCodeId }, select: { chatId: true } })
      ids = pool.map((p) => p.chatId)
    }
    if (q.ownerUserId) {
      const owned = await this.db
        .getRepository(GroupChatEntity)
        .find({ where: { ownerUserId: q.ownerUserId }, select: { chatId: true } })
      const set = new Set(owned.map((g) => g.chatId))
      ids = ids ? ids.filter((id) => set.has(id)) : [...set]
    }
    return ids
  }

  async report(q: GroupStatsQuery): Promise<GroupStats> {
    if (q.from > q.to) throw badRequest('invalid_range', '"from" is after "to"')
    const days = dayRange(q.from, q.to, MAX_DAYS)
    const scope = await this.scope(q)
    if (scope && !scope.length) return { days: days.map((date) => emptyDay(date)), groups: [], owners: [] }

    const ev = this.db
      .getRepository(GroupMemberEventEntity)
      .createQueryBuilder('e')
      .select('e.day', 'day')
      .addSelect('e.chat_id', 'chatId')
      .addSelect("SUM(CASE WHEN e.kind = 'join' THEN 1 ELSE 0 END)", 'joins')
      .addSelect("SUM(CASE WHEN e.kind = 'join' AND e.by_qr = :yes THEN 1 ELSE 0 END)", 'joinsByQr')
      .addSelect("SUM(CASE WHEN e.kind = 'quit' THEN 1 ELSE 0 END)", 'quits')
      .where('e.day >= :from AND e.day <= :to', { from: q.from, to: days[days.length - 1] ?? q.to, yes: 1 })
      .groupBy('e.day')
      .addGroupBy('e.chat_id')
    if (scope) ev.andWhere('e.chat_id IN (:...scope)', { scope })
    const cells = (await ev.getRawMany<Record<string, string | number>>()).map((r) => ({
      day: String(r.day),
      chatId: String(r.chatId),
      joins: Number(r.joins ?? 0),
      joinsByQr: Number(r.joinsByQr ?? 0),
      quits: Number(r.quits ?? 0),
    }))

    // Snapshots up to the last day; the latest per group before `from` seeds the carry-forward.
    const snapRepo = this.db.getRepository(GroupMemberSnapshotEntity)
    const snaps = await snapRepo.find({
      where: { day: LessThanOrEqual(days[days.length - 1] ?? q.to), ...(scope ? { chatId: In(scope) } : {}) },
      order: { day: 'ASC' },
    })
    const chatIds = new Set([...cells.map((c) => c.chatId), ...snaps.map((s) => s.chatId), ...(scope ?? [])])
    const groups = chatIds.size
      ? await this.db.getRepository(GroupChatEntity).find({
          where: scope ? { chatId: In([...chatIds]) } : {},
          select: { chatId: true, name: true, ownerUserId: true, memberCount: true, status: true },
        })
      : []
    const groupById = new Map(groups.map((g) => [g.chatId, g]))
    for (const g of groups) chatIds.add(g.chatId)

    const membersOn = new Map<string, number>() // day → total
    const latest = new Map<string, number>() // chat → members as of the day being walked
    const today = shanghaiDay()
    let si = 0
    for (const day of days) {
      while (si < snaps.length && snaps[si].day <= day) {
        latest.set(snaps[si].chatId, snaps[si].members)
        si++
      }
      let total = [...latest.values()].reduce((a, b) => a + b, 0)
      // Today, a group not snapshotted yet counts with the mirror's live number.
      if (day === today)
        for (const g of groups) if (!latest.has(g.chatId) && g.status === 'active') total += g.memberCount
      membersOn.set(day, total)
    }

    const dayRows = days.map((date) => {
      const mine = cells.filter((c) => c.day === date)
      const joins = sum(mine, 'joins')
      const joinsByQr = sum(mine, 'joinsByQr')
      const quits = sum(mine, 'quits')
      return {
        date,
        joins,
        joinsByInvite: joins - joinsByQr,
        joinsByQr,
        quits,
        net: joins - quits,
        members: membersOn.get(date) ?? 0,
      }
    })

    const perGroup = [...chatIds].map((chatId) => {
      const mine = cells.filter((c) => c.chatId === chatId)
      const g = groupById.get(chatId)
      const joins = sum(mine, 'joins')
      const quits = sum(mine, 'quits')
      return {
        chatId,
        name: g?.name ?? '',
        ownerUserId: g?.ownerUserId ?? '',
        joins,
        quits,
        net: joins - quits,
        members: latest.get(chatId) ?? (g?.status === 'active' ? g.memberCount : 0),
      }
    })
    perGroup.sort((a, b) => b.joins - a.joins || b.members - a.members || a.chatId.localeCompare(b.chatId))

    const staff = await this.db.getRepository(StaffEntity).find({ select: { userId: true, name: true } })
    const names = new Map(staff.map((s) => [s.userId, s.name]))
    const owners = new Map<string, GroupStats['owners'][number]>()
    for (const g of perGroup) {
      const o = owners.get(g.ownerUserId) ?? {
        ownerUserId: g.ownerUserId,
        ownerName: names.get(g.ownerUserId) ?? g.ownerUserId,
        groups: 0,
        joins: 0,
        quits: 0,
        net: 0,
        members: 0,
      }
      o.groups++
      o.joins += g.joins
      o.quits += g.quits
      o.net += g.net
      o.members += g.members
      owners.set(g.ownerUserId, o)
    }
    return {
      days: dayRows,
      groups: perGroup,
      owners: [...owners.values()].sort((a, b) => b.joins - a.joins || b.members - a.members),
    }
  }

  async csv(q: GroupStatsQuery): Promise<string> {
    const r = await this.report(q)
    const lines = [['日期', '入群', '邀请入群', '扫码入群', '退群', '净增', '群成员'].join(',')]
    for (const d of r.days)
      lines.push([d.date, d.joins, d.joinsByInvite, d.joinsByQr, d.quits, d.net, d.members].join(','))
    lines.push('')
    lines.push(['群', '群ID', '群主', '入群', '退群', '净增', '群成员'].join(','))
    for (const g of r.groups)
      lines.push([cell(g.name), g.chatId, g.ownerUserId, g.joins, g.quits, g.net, g.members].join(','))
    lines.push('')
    lines.push(['群主', '群主ID', '群数', '入群', '退群', '净增', '群成员'].join(','))
    for (const o of r.owners)
      lines.push([cell(o.ownerName), o.ownerUserId, o.groups, o.joins, o.quits, o.net, o.members].join(','))
    return '\uFEFF' + lines.join('\r\n') + '\r\n'
  }
}

const emptyDay = (date: string) => ({
  date,
  joins: 0,
  joinsByInvite: 0,
  joinsByQr: 0,
  quits: 0,
  net: 0,
  members: 0,
})

function sum<T extends Record<string, unknown>>(rows: T[], k: keyof T): number {
  return rows.reduce((n, r) => n + Number(r[k] ?? 0), 0)
}

/** CSV cell: quoted when needed; a leading = + - @ is neutralized (spreadsheet formula injection). */
function cell(s: string): string {
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
