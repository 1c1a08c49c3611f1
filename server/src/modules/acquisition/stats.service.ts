// Numbers (渠道统计): adds, losses, net and customers still following, per channel / code / advisor / day.
// One grouped query per source at the finest grain (day × channel × code × advisor); every view is a
// roll-up of those rows, so the table, the chart and the CSV always agree.
import type { StatRow, StatsReport } from '@scrm/shared'
import type { DataSource } from 'typeorm'
import { CustomerFollowEntity } from '../directory/follow.entity.ts'
import { StaffEntity } from '../directory/staff.entity.ts'
import { AcquisitionRecordEntity } from './acquisition-record.entity.ts'
import { ChannelCodeEntity, ChannelEntity } from './channel.entity.ts'
import { LostCustomerEntity } from './lost-customer.entity.ts'
import { dayRange } from './shanghai-time.ts'

/** A report's days, resolved (the route fills in the defaults). */
export interface ReportRange {
  from: string
  to: string
  channelId?: number
}

export interface Cell {
  day: string
  channelId: number | null
  codeId: number | null
  userId: string
  adds: number
  losses: number
  following: number
}

const NONE = '无渠道'

export class StatsService {
  constructor(private readonly db: DataSource) {}

  async cells(q: ReportRange): Promise<Cell[]> {
    const adds = this.db
      .getRepository(AcquisitionRecordEntity)
      .createQueryBuilder('r')
      .leftJoin(
        CustomerFollowEntity.options.name,
        'f',
        'f.external_user_id = r.external_user_id AND f.user_id = r.user_id',
      )
      .select('r.day', 'day')
      .addSelect('r.channel_id', 'channelId')
      .addSelect('r.code_id', 'codeId')
      .addSelect('r.user_id', 'userId')
      .addSelect('COUNT(*)', 'adds')
      .addSelect("SUM(CASE WHEN f.status = 'active' THEN 1 ELSE 0 END)", 'following')
      .where('r.day BETWEEN :from AND :to', { from: q.from, to: q.to })
      .groupBy('r.day')
      .addGroupBy('r.channel_id')
      .addGroupBy('r.code_id')
      .addGroupBy('r.user_id')
    const losses = this.db
      .getRepository(LostCustomerEntity)
      .createQueryBuilder('l')
      .select('l.day', 'day')
      .addSelect('l.channel_id', 'channelId')
      .addSelect('l.code_id', 'codeId')
      .addSelect('l.user_id', 'userId')
      .addSelect('COUNT(*)', 'losses')
      .where('l.day BETWEEN :from AND :to', { from: q.from, to: q.to })
      .groupBy('l.day')
      .addGroupBy('l.channel_id')
      .addGroupBy('l.code_id')
      .addGroupBy('l.user_id')
    if (q.channelId) {
      adds.andWhere('r.channel_id = :channelId', { channelId: q.channelId })
      losses.andWhere('l.channel_id = :channelId', { channelId: q.channelId })
    }
    type Raw = {
      day: string
      channelId: number | null
      codeId: number | null
      userId: string
      adds?: string
      following?: string
      losses?: string
    }
    const cells = new Map<string, Cell>()
    const cell = (r: Raw) => {
      const channelId = r.channelId === null ? null : Number(r.channelId)
      const codeId = r.codeId === null ? null : Number(r.codeId)
      const key = `${r.day}|${channelId}|${codeId}|${r.userId}`
      let c = cells.get(key)
      if (!c)
        cells.set(
          key,
          (c = { day: r.day, channelId, codeId, userId: r.userId, adds: 0, losses: 0, following: 0 }),
        )
      return c
    }
    for (const r of await adds.getRawMany<Raw>()) {
      const c = cell(r)
      c.adds += Number(r.adds ?? 0)
      c.following += Number(r.following ?? 0)
    }
    for (const r of await losses.getRawMany<Raw>()) cell(r).losses += Number(r.losses ?? 0)
    return [...cells.values()].sort((a, b) => a.day.localeCompare(b.day))
  }

  async names() {
    const [channels, codes, staff] = await Promise.all([
      this.db.getRepository(ChannelEntity).find({ select: { id: true, name: true, deletedAt: true } }),
      this.db.getRepository(ChannelCodeEntity).find({ select: { id: true, name: true, channelId: true } }),
      this.db.getRepository(StaffEntity).find({ select: { userId: true, name: true } }),
    ])
    const channel = new Map(channels.map((c) => [c.id, c.deletedAt ? `${c.name}（已删除）` : c.name]))
    return {
      channel: (id: number | null) => (id === null ? NONE : (channel.get(id) ?? `#${id}`)),
      code: (id: number | null) => {
        if (id === null) return '—'
        const c = codes.find((x) => x.id === id)
        return c ? `${channel.get(c.channelId) ?? ''} · ${c.name}` : `#${id}`
      },
      codeName: (id: number | null) => codes.find((x) => x.id === id)?.name ?? '—',
      staff: (id: string) => staff.find((s) => s.userId === id)?.name ?? id,
    }
  }

  async report(q: ReportRange): Promise<StatsReport> {
    const cells = await this.cells(q)
    const n = await this.names()
    const roll = (
      keyOf: (c: Cell) => string,
      labelOf: (c: Cell) => string,
      only?: (c: Cell) => boolean,
    ): StatRow[] => {
      const rows = new Map<string, StatRow>()
      for (const c of cells) {
        if (only && !only(c)) continue
        const key = keyOf(c)
        let r = rows.get(key)
        if (!r)
          rows.set(
            key,
            (r = {
              key,
              label: labelOf(c),
              channelId: c.channelId,
              adds: 0,
              losses: 0,
              net: 0,
              following: 0,
              retention: 0,
            }),
          )
        r.adds += c.adds
        r.losses += c.losses
        r.following += c.following
      }
      return [...rows.values()].map((r) => ({
        ...r,
        net: r.adds - r.losses,
        retention: r.adds ? r.following / r.adds : 0,
      }))
    }
    const byDay = new Map(
      roll(
        (c) => c.day,
        (c) => c.day,
      ).map((r) => [r.key, r]),
    )
    const sum = (k: 'adds' | 'losses' | 'following') => cells.reduce((x, c) => x + c[k], 0)
    const totals = {
      adds: sum('adds'),
      losses: sum('losses'),
      following: sum('following'),
      net: sum('adds') - sum('losses'),
      retention: sum('adds') ? sum('following') / sum('adds') : 0,
    }
    return {
      from: q.from,
      to: q.to,
      totals,
      byChannel: roll(
        (c) => String(c.channelId),
        (c) => n.channel(c.channelId),
      ).sort((a, b) => b.adds - a.adds),
      byCode: roll(
        (c) => String(c.codeId),
        (c) => n.code(c.codeId),
        (c) => c.codeId !== null,
      ).sort((a, b) => (a.channelId ?? 0) - (b.channelId ?? 0) || b.adds - a.adds),
      byAdvisor: roll(
        (c) => c.userId,
        (c) => n.staff(c.userId),
      ).sort((a, b) => b.adds - a.adds),
      // Every day of the range, zero-filled, so the chart's axis has no gaps.
      byDay: dayRange(q.from, q.to).map(
        (d) =>
          byDay.get(d) ?? {
            key: d,
            label: d,
            channelId: null,
            adds: 0,
            losses: 0,
            net: 0,
            following: 0,
            retention: 0,
          },
      ),
      series: roll(
        (c) => `${c.day}|${c.channelId}`,
        (c) => n.channel(c.channelId),
      ).map((r) => ({
        day: r.key.split('|')[0],
        channelId: r.channelId,
        label: r.label,
        adds: r.adds,
        losses: r.losses,
      })),
    }
  }

  /** CSV (UTF-8 with BOM so Excel reads the Chinese) at the finest grain. */
  async csv(q: ReportRange): Promise<string> {
    const cells = await this.cells(q)
    const n = await this.names()
    const esc = (v: string | number) =>
      /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v)
    const lines = [['日期', '渠道', '活码', '员工', '员工ID', '新增', '流失', '净增', '仍在跟进'].join(',')]
    for (const c of cells)
      lines.push(
        [
          c.day,
          n.channel(c.channelId),
          n.codeName(c.codeId),
          n.staff(c.userId),
          c.userId,
          c.adds,
          c.losses,
          c.adds - c.losses,
          c.following,
        ]
          .map(esc)
          .join(','),
      )
    return `\uFEFF${lines.join('\r\n')}\r\n`
  }
}
