// Campaigns: validation and storage, the schedule rows the sender works from, and the admin and
// sidebar views. Sending lives in sender.ts.
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm'
import {
  CAMPAIGN_MAX_COUNTDOWNS,
  CAMPAIGN_TEXT_MAX_BYTES,
  type CampaignAttachment,
  type CampaignDetail,
  type CampaignInput,
  type CampaignMessageInput,
  type CampaignOptions,
  type CampaignScheduledMessage,
  type CampaignSend,
  type CampaignSummary,
  type CountdownInput,
  type SidebarCampaign,
} from '@scrm/shared'
import { AppError, badRequest, notFound } from '../../lib/errors.ts'
import { inTransaction } from '../../db/transaction.ts'
import { GroupChatEntity } from '../directory/group-chat.entity.ts'
import { StaffEntity } from '../directory/staff.entity.ts'
import {
  CampaignDeliveryEntity,
  CampaignEntity,
  CampaignMessageEntity,
  CampaignSendEntity,
  CampaignTargetEntity,
  type CampaignMessageRow,
  type CampaignRow,
  type CampaignSendRow,
} from './campaign.entity.ts'
import { deriveStage, fillTemplate, scheduleOf, type PlannedMessage } from './schedule.ts'

/** Parses a stored JSON column, falling back when it is empty or damaged. */
export const json = <T>(s: string, fallback: T): T => {
  try {
    return JSON.parse(s) as T
  } catch {
    return fallback
  }
}

export interface CampaignConfig {
  row: CampaignRow
  launch: CampaignMessageInput
  countdowns: CountdownInput[]
}

export const configOf = (row: CampaignRow): CampaignConfig => ({
  row,
  launch: json(row.launch, { text: '', attachment: null }),
  countdowns: json(row.countdowns, []),
})

/** A message's text filled for a moment: {left} is the time from `at` to the end. */
export function renderText(c: CampaignRow, text: string, at: Date): string {
  return fillTemplate(text, {
    name: c.name,
    endsAt: c.endsAt,
    leftMinutes: (c.endsAt.getTime() - at.getTime()) / 60_000,
  })
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null)

export class CampaignService {
  constructor(private readonly db: DataSource) {}

  // ── write ──

  async save(input: CampaignInput, id?: number, now = new Date()): Promise<CampaignDetail> {
    const v = await this.validate(input)
    const saved = await inTransaction(this.db, async (m) => {
      const repo = m.getRepository(CampaignEntity)
      let row: CampaignRow | null = null
      if (id) {
        row = await repo.findOneBy({ id, deletedAt: IsNull() })
        if (!row) throw notFound('Campaign')
      }
      const fields = {
        name: input.name.trim(),
        description: (input.description ?? '').trim(),
        stageOverride: input.stage ?? null,
        startsAt: v.startsAt,
        endsAt: v.endsAt,
        launch: JSON.stringify({ text: input.launch.text, attachment: input.launch.attachment ?? null }),
        countdowns: JSON.stringify(v.countdowns),
        updatedAt: now,
      }
      if (row) {
        await repo.update({ id: row.id }, fields)
        Object.assign(row, fields)
      } else {
        row = await repo.save(repo.create({ ...fields, createdAt: now, deletedAt: null }))
      }
      await this.replaceTargets(m, row.id, v.chatIds, v.ownerUserIds)
      await this.syncSchedule(m, configOf(row))
      return row
    })
    return this.detail(saved.id, now)
  }

  private async validate(input: CampaignInput) {
    const startsAt = new Date(input.startsAt)
    const endsAt = new Date(input.endsAt)
    if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime()))
      throw badRequest('invalid_dates', 'startsAt and endsAt must be dates')
    if (endsAt <= startsAt) throw badRequest('end_before_start', 'The end must be after the start')
    const duration = (endsAt.getTime() - startsAt.getTime()) / 60_000
    if (input.countdowns.length > CAMPAIGN_MAX_COUNTDOWNS)
      throw badRequest('too_many_countdowns', `At most ${CAMPAIGN_MAX_COUNTDOWNS} countdown messages`)
    const offsets = new Set<number>()
    for (const d of input.countdowns) {
      if (d.offsetMinutes <= 0)
        throw badRequest(
          'invalid_offset',
          `Countdown offsets must be positive minutes (got ${d.offsetMinutes})`,
        )
      if (d.offsetMinutes >= duration)
        throw badRequest(
          'offset_before_start',
          `A countdown ${d.offsetMinutes} min before the end falls before the start (the campaign lasts ${Math.round(duration)} min)`,
        )
      if (offsets.has(d.offsetMinutes))
        throw badRequest('duplicate_offset', `Two countdowns at ${d.offsetMinutes} min before the end`)
      offsets.add(d.offsetMinutes)
    }
    const vars = { name: input.name, endsAt, leftMinutes: 0 }
    const check = (
      what: string,
      msg: { text: string; attachment?: CampaignAttachment | null },
      left: number,
    ) => {
      if (!msg.text.trim() && !msg.attachment)
        throw badRequest('empty_message', `${what} has neither text nor attachment`)
      const bytes = Buffer.byteLength(fillTemplate(msg.text, { ...vars, leftMinutes: left }))
      if (bytes > CAMPAIGN_TEXT_MAX_BYTES)
        throw badRequest(
          'text_too_long',
          `${what} is ${bytes} bytes; WeCom takes at most ${CAMPAIGN_TEXT_MAX_BYTES}`,
        )
    }
    check('The launch message', input.launch, duration)
    for (const d of input.countdowns) check(`The countdown at ${d.offsetMinutes} min`, d, d.offsetMinutes)

    const chatIds = [...new Set(input.chatIds.map((c) => c.trim()).filter(Boolean))]
    const ownerUserIds = [...new Set(input.ownerUserIds.map((u) => u.trim()).filter(Boolean))]
    if (chatIds.length === 0 && ownerUserIds.length === 0)
      throw badRequest('no_targets', 'Pick at least one group or group owner')
    if (chatIds.length) {
      const known = new Set(
        (
          await this.db
            .getRepository(GroupChatEntity)
            .find({ select: { chatId: true }, where: { chatId: In(chatIds), status: 'active' } })
        ).map((g) => g.chatId),
      )
      const unknown = chatIds.filter((c) => !known.has(c))
      if (unknown.length)
        throw new AppError(400, 'unknown_groups', `Unknown or dismissed groups: ${unknown.join(', ')}`, {
          chatIds: unknown,
        })
    }
    if (ownerUserIds.length) {
      const known = new Set(
        (
          await this.db
            .getRepository(StaffEntity)
            .find({ select: { userId: true }, where: { userId: In(ownerUserIds) } })
        ).map((s) => s.userId),
      )
      const unknown = ownerUserIds.filter((u) => !known.has(u))
      if (unknown.length)
        throw new AppError(400, 'unknown_owners', `Unknown group owners: ${unknown.join(', ')}`, {
          userIds: unknown,
        })
    }
    const countdowns = input.countdowns
      .map((d) => ({ offsetMinutes: d.offsetMinutes, text: d.text, attachment: d.attachment ?? null }))
      .sort((a, b) => b.offsetMinutes - a.offsetMinutes)
    return { startsAt, endsAt, chatIds, ownerUserIds, countdowns }
  }

  private async replaceTargets(m: EntityManager, campaignId: number, chatIds: string[], owners: string[]) {
    const repo = m.getRepository(CampaignTargetEntity)
    await repo.delete({ campaignId })
    const rows = [
      ...chatIds.map((targetId) => ({ campaignId, kind: 'chat' as const, targetId })),
      ...owners.map((targetId) => ({ campaignId, kind: 'owner' as const, targetId })),
    ]
    for (let i = 0; i < rows.length; i += 500) await repo.insert(rows.slice(i, i + 500))
  }

  /**
   * Keeps the schedule rows in step with the campaign: pending rows follow the new times (or go),
   * messages already planned or skipped stay as history.
   */
  private async syncSchedule(m: EntityManager, c: CampaignConfig) {
    const repo = m.getRepository(CampaignMessageEntity)
    const existing = new Map((await repo.findBy({ campaignId: c.row.id })).map((r) => [r.msgKey, r]))
    const wanted = scheduleOf({ ...c.row, launch: c.launch, countdowns: c.countdowns })
    for (const w of wanted) {
      const row = existing.get(w.key)
      existing.delete(w.key)
      if (!row)
        await repo.insert({
          campaignId: c.row.id,
          msgKey: w.key,
          kind: w.kind,
          offsetMinutes: w.offsetMinutes,
          sendAt: w.sendAt,
          status: 'pending',
          note: '',
          plannedAt: null,
        })
      else if (row.status === 'pending')
        await repo.update({ id: row.id }, { sendAt: w.sendAt, offsetMinutes: w.offsetMinutes })
    }
    const gone = [...existing.values()].filter((r) => r.status === 'pending').map((r) => r.id)
    if (gone.length) await repo.delete({ id: In(gone) })
  }

  async remove(id: number, now = new Date()): Promise<void> {
    await inTransaction(this.db, async (m) => {
      const res = await m
        .getRepository(CampaignEntity)
        .update({ id, deletedAt: IsNull() }, { deletedAt: now })
      if (!res.affected) throw notFound('Campaign')
      // Nothing more goes out; what was sent stays in the log.
      await m
        .getRepository(CampaignMessageEntity)
        .update({ campaignId: id, status: 'pending' }, { status: 'skipped', note: 'campaign deleted' })
      await m
        .getRepository(CampaignSendEntity)
        .update(
          { campaignId: id, status: In(['pending', 'retry']) },
          { status: 'failed', error: 'campaign deleted', nextAttemptAt: null, updatedAt: now },
        )
    })
  }

  /** "Send now": the launch goes out at the next run instead of at the start time. */
  async launchNow(id: number, now = new Date()): Promise<void> {
    const row = await this.row(id)
    if (now >= row.endsAt) throw new AppError(409, 'campaign_ended', 'The campaign has ended')
    const res = await this.db
      .getRepository(CampaignMessageEntity)
      .update(
        { campaignId: id, msgKey: 'launch', status: 'pending' },
        { sendAt: now, note: 'sent now by an admin' },
      )
    if (!res.affected)
      throw new AppError(409, 'launch_already_sent', 'The launch message has already gone out')
  }

  // ── read ──

  async row(id: number): Promise<CampaignRow> {
    const row = await this.db.getRepository(CampaignEntity).findOneBy({ id, deletedAt: IsNull() })
    if (!row) throw notFound('Campaign')
    return row
  }

  async list(now = new Date()): Promise<CampaignSummary[]> {
    const rows = await this.db
      .getRepository(CampaignEntity)
      .find({ where: { deletedAt: IsNull() }, order: { startsAt: 'DESC' }, take: 500 })
    return this.summaries(rows, now)
  }

  private async summaries(rows: CampaignRow[], now: Date): Promise<CampaignSummary[]> {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const [targets, messages, counts] = await Promise.all([
      this.db.getRepository(CampaignTargetEntity).findBy({ campaignId: In(ids) }),
      this.db.getRepository(CampaignMessageEntity).findBy({ campaignId: In(ids) }),
      this.db
        .getRepository(CampaignSendEntity)
        .createQueryBuilder('s')
        .select('s.campaign_id', 'campaignId')
        .addSelect('s.status', 'status')
        .addSelect('COUNT(*)', 'n')
        .addSelect('MAX(s.updated_at)', 'last')
        .where('s.campaign_id IN (:...ids)', { ids })
        .groupBy('s.campaign_id')
        .addGroupBy('s.status')
        .getRawMany<{ campaignId: number; status: string; n: string | number }>(),
    ])
    const errors: { campaignId: number; error: string }[] = await this.db
      .getRepository(CampaignSendEntity)
      .createQueryBuilder('s')
      .select('s.campaign_id', 'campaignId')
      .addSelect('s.error', 'error')
      .where('s.campaign_id IN (:...ids)', { ids })
      .andWhere("s.status IN ('retry', 'failed')")
      .orderBy('s.updated_at', 'DESC')
      .getRawMany()
    const owners = [...new Set(targets.filter((t) => t.kind === 'owner').map((t) => t.targetId))]
    const ownerGroups = new Map<string, string[]>()
    if (owners.length) {
      const groups = await this.db.getRepository(GroupChatEntity).find({
        select: { chatId: true, ownerUserId: true },
        where: { ownerUserId: In(owners), status: 'active' },
      })
      for (const g of groups)
        ownerGroups.set(g.ownerUserId, [...(ownerGroups.get(g.ownerUserId) ?? []), g.chatId])
    }
    return rows.map((r) => {
      const mine = targets.filter((t) => t.campaignId === r.id)
      const chatIds = mine.filter((t) => t.kind === 'chat').map((t) => t.targetId)
      const ownerUserIds = mine.filter((t) => t.kind === 'owner').map((t) => t.targetId)
      const all = new Set([...chatIds, ...ownerUserIds.flatMap((u) => ownerGroups.get(u) ?? [])])
      const n = (status: string) =>
        counts
          .filter((c) => Number(c.campaignId) === r.id && c.status === status)
          .reduce((s, c) => s + Number(c.n), 0)
      const cfg = configOf(r)
      const next = messages
        .filter((m) => m.campaignId === r.id && m.status === 'pending')
        .sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime())[0]
      return {
        id: r.id,
        name: r.name,
        description: r.description,
        stage: r.stageOverride ?? deriveStage(r.startsAt, r.endsAt, now),
        stageOverride: r.stageOverride,
        startsAt: r.startsAt.toISOString(),
        endsAt: r.endsAt.toISOString(),
        chatIds,
        ownerUserIds,
        groupCount: all.size,
        nextMessage: next ? this.scheduled(cfg, next) : null,
        sentCount: n('sent'),
        failedCount: n('failed'),
        lastError: errors.find((e) => Number(e.campaignId) === r.id)?.error ?? '',
        updatedAt: r.updatedAt.toISOString(),
      }
    })
  }

  /** A schedule row with its text filled for its own send time. */
  scheduled(c: CampaignConfig, m: CampaignMessageRow): CampaignScheduledMessage {
    const msg = this.messageConfig(c, m.msgKey)
    return {
      key: m.msgKey,
      kind: m.kind,
      offsetMinutes: m.offsetMinutes,
      sendAt: m.sendAt.toISOString(),
      status: m.status,
      note: m.note,
      text: msg ? renderText(c.row, msg.text, m.kind === 'launch' ? c.row.startsAt : m.sendAt) : '',
      attachment: msg?.attachment ?? null,
    }
  }

  /** The configured content behind a schedule key (null when the countdown was removed since). */
  messageConfig(c: CampaignConfig, key: string): PlannedMessage | null {
    return (
      scheduleOf({ ...c.row, launch: c.launch, countdowns: c.countdowns }).find((p) => p.key === key) ?? null
    )
  }

  async detail(id: number, now = new Date()): Promise<CampaignDetail> {
    const row = await this.row(id)
    const [summary] = await this.summaries([row], now)
    const cfg = configOf(row)
    const [messages, sends, deliveries] = await Promise.all([
      this.db
        .getRepository(CampaignMessageEntity)
        .find({ where: { campaignId: id }, order: { sendAt: 'ASC' } }),
      this.db.getRepository(CampaignSendEntity).find({ where: { campaignId: id }, order: { id: 'ASC' } }),
      this.db.getRepository(CampaignDeliveryEntity).find({ where: { campaignId: id } }),
    ])
    const staffIds = [...new Set(sends.map((s) => s.ownerUserId))]
    const names = new Map(
      (staffIds.length ? await this.db.getRepository(StaffEntity).findBy({ userId: In(staffIds) }) : []).map(
        (s) => [s.userId, s.name],
      ),
    )
    const chatIds = [...new Set(deliveries.map((d) => d.chatId))]
    const groupNames = new Map(
      (chatIds.length
        ? await this.db.getRepository(GroupChatEntity).findBy({ chatId: In(chatIds) })
        : []
      ).map((g) => [g.chatId, g.name]),
    )
    const keyOf = new Map(sends.map((s) => [s.id, s.msgKey]))
    const kindOf = new Map(messages.map((m) => [m.id, m]))
    return {
      ...summary,
      launch: cfg.launch,
      countdowns: cfg.countdowns,
      schedule: messages.map((m) => this.scheduled(cfg, m)),
      sends: sends.map((s) => sendOut(s, names.get(s.ownerUserId) ?? s.ownerUserId, kindOf.get(s.messageId))),
      deliveries: deliveries
        .map((d) => ({
          sendId: d.sendId,
          messageKey: keyOf.get(d.sendId) ?? '',
          chatId: d.chatId,
          groupName: groupNames.get(d.chatId) ?? d.chatId,
          status: d.status,
          sendTime: iso(d.sendTime),
        }))
        .sort((a, b) => a.sendId - b.sendId || a.groupName.localeCompare(b.groupName)),
      delivery: {
        delivered: deliveries.filter((d) => d.status === 1).length,
        unsent: deliveries.filter((d) => d.status === 0).length,
        failed: deliveries.filter((d) => d.status > 1).length,
      },
    }
  }

  async options(): Promise<CampaignOptions> {
    const groups = await this.db
      .getRepository(GroupChatEntity)
      .find({ where: { status: 'active' }, order: { ownerUserId: 'ASC', name: 'ASC' }, take: 5000 })
    const staff = await this.db.getRepository(StaffEntity).find({ order: { name: 'ASC' } })
    const names = new Map(staff.map((s) => [s.userId, s.name]))
    const counts = new Map<string, number>()
    for (const g of groups) counts.set(g.ownerUserId, (counts.get(g.ownerUserId) ?? 0) + 1)
    return {
      groups: groups.map((g) => ({
        chatId: g.chatId,
        name: g.name || g.chatId,
        ownerUserId: g.ownerUserId,
        ownerName: names.get(g.ownerUserId) ?? g.ownerUserId,
        memberCount: g.memberCount,
      })),
      owners: staff
        .filter((s) => counts.has(s.userId))
        .map((s) => ({ userId: s.userId, name: s.name, groupCount: counts.get(s.userId) ?? 0 })),
    }
  }

  // ── sidebar ──

  /** Campaigns that reach this group (named, or through its owner): running, upcoming, then recent. */
  async forGroup(chatId: string, ownerUserId: string, now = new Date()): Promise<SidebarCampaign[]> {
    const since = new Date(now.getTime() - 14 * 86_400_000)
    const rows = await this.db
      .getRepository(CampaignEntity)
      .createQueryBuilder('c')
      .where('c.deleted_at IS NULL AND c.ends_at > :since', { since })
      .andWhere(
        `c.id IN (SELECT t.campaign_id FROM campaign_target t
                   WHERE (t.kind = 'chat' AND t.target_id = :chatId) OR (t.kind = 'owner' AND t.target_id = :owner))`,
        { chatId, owner: ownerUserId },
      )
      .take(50)
      .getMany()
    const rank = (r: CampaignRow) => {
      const s = r.stageOverride ?? deriveStage(r.startsAt, r.endsAt, now)
      return s === 'running' ? 0 : s === 'review' ? 2 : 1
    }
    rows.sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (rank(a) === 2 ? b.endsAt.getTime() - a.endsAt.getTime() : a.endsAt.getTime() - b.endsAt.getTime()),
    )
    if (rows.length === 0) return []
    const messages = await this.db
      .getRepository(CampaignMessageEntity)
      .find({ where: { campaignId: In(rows.map((r) => r.id)) }, order: { sendAt: 'ASC' } })
    return rows.map((r) => {
      const cfg = configOf(r)
      const mine = messages.filter((m) => m.campaignId === r.id && this.messageConfig(cfg, m.msgKey))
      const next = mine.find((m) => m.status === 'pending')
      return {
        id: r.id,
        name: r.name,
        description: r.description,
        stage: r.stageOverride ?? deriveStage(r.startsAt, r.endsAt, now),
        startsAt: r.startsAt.toISOString(),
        endsAt: r.endsAt.toISOString(),
        nextMessage: next ? this.scheduled(cfg, next) : null,
        messages: mine.map((m) => this.scheduled(cfg, m)),
      }
    })
  }

  /** Whether a campaign reaches this group (for the sidebar's one-tap send). */
  async targetsGroup(id: number, chatId: string, ownerUserId: string): Promise<boolean> {
    const n = await this.db.getRepository(CampaignTargetEntity).count({
      where: [
        { campaignId: id, kind: 'chat', targetId: chatId },
        { campaignId: id, kind: 'owner', targetId: ownerUserId },
      ],
    })
    return n > 0
  }
}

function sendOut(s: CampaignSendRow, ownerName: string, m?: CampaignMessageRow): CampaignSend {
  return {
    id: s.id,
    messageKey: s.msgKey,
    kind: m?.kind ?? (s.msgKey === 'launch' ? 'launch' : 'countdown'),
    offsetMinutes: m?.offsetMinutes ?? 0,
    ownerUserId: s.ownerUserId,
    ownerName,
    chatIds: json(s.chatIds, []),
    status: s.status,
    msgid: s.msgid,
    failList: json(s.failList, []),
    attempts: s.attempts,
    error: s.error,
    nextAttemptAt: iso(s.nextAttemptAt),
    confirmed: s.syncedAt ? s.confirmed : null,
    sentAt: iso(s.sentAt),
    syncedAt: iso(s.syncedAt),
  }
}
