// Channels (渠道活码) and their code variants, kept in step with WeCom's contact ways.
// Order of work on create/update: our rows first (so a code has an id to derive its state from), then
// WeCom; if WeCom refuses, what WeCom already made is deleted again and our rows are removed, so
// nothing half-created stays behind and the admin sees WeCom's errcode and errmsg.
import type { FastifyBaseLogger } from 'fastify'
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm'
import { inTransaction } from '../../db/transaction.ts'
import { notFound } from '../../lib/errors.ts'
import type { WeComClient } from '../../wecom/client.ts'
import { WeComApiError } from '../../wecom/errors.ts'
import { StaffEntity } from '../directory/staff.entity.ts'
import { AcquisitionRecordEntity } from './acquisition-record.entity.ts'
import { advisorsOnDuty, addsTodayByAdvisor, isScheduled, type AdvisorRotation } from './advisor-rotation.ts'
import {
  ChannelAdvisorEntity,
  ChannelCodeEntity,
  ChannelEntity,
  type Channel,
  type ChannelAdvisor,
  type ChannelCode,
} from './channel.entity.ts'
import { validateChannel } from './channel-validation.ts'
import type { ChannelBody, ChannelOut, WelcomeBody } from '@scrm/shared'
import { shanghaiDay, shanghaiDayMinus } from './shanghai-time.ts'
import { truncateChars } from './templates.ts'
import { GiftQuotaUsageEntity, WelcomeMessageEntity, type WelcomeKind } from './welcome-message.entity.ts'

/** WeCom answers 41044 (invalid config_id) for a contact way that is already gone: deleting it is done. */
const CONTACT_WAY_GONE = 41044

export const stateOf = (codeId: number) => `c${codeId}`

export interface AddCounts {
  today: number
  week: number
  total: number
}

export class ChannelService {
  /** Bumped on every change, so the event path's cache (ChannelResolver) drops stale entries. */
  version = 0

  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
    private readonly rotation: AdvisorRotation,
    private readonly log: FastifyBaseLogger,
  ) {}

  async create(body: ChannelBody): Promise<ChannelOut> {
    await validateChannel(this.db, body)
    const now = new Date()
    const { channel, codes } = await inTransaction(this.db, async (m) => {
      const channel = await m
        .getRepository(ChannelEntity)
        .save({ ...channelColumns(body), createdAt: now, updatedAt: now, deletedAt: null })
      await writeAdvisors(m, channel.id, body)
      await writeWelcome(m, channel.id, 'standard', body.welcome)
      await writeWelcome(m, channel.id, 'gift', body.gift.message)
      const codes = await insertCodes(
        m,
        channel.id,
        body.codes.map((c) => c.name),
      )
      return { channel, codes }
    })
    try {
      await this.createContactWays(channel, codes)
    } catch (err) {
      await this.undoCreate(channel.id, codes)
      throw err
    }
    this.version++
    return this.get(channel.id)
  }

  async update(id: number, body: ChannelBody): Promise<ChannelOut> {
    const channel = await this.live(id)
    await validateChannel(this.db, body, id)
    const existing = await this.db
      .getRepository(ChannelCodeEntity)
      .find({ where: { channelId: id, deletedAt: IsNull() } })
    const keep = new Set(body.codes.filter((c) => c.id).map((c) => c.id!))
    for (const k of keep) if (!existing.some((c) => c.id === k)) throw notFound(`code ${k} of channel ${id}`)
    const removed = existing.filter((c) => !keep.has(c.id))
    const fresh = await inTransaction(this.db, (m) =>
      insertCodes(
        m,
        id,
        body.codes.filter((c) => !c.id).map((c) => c.name),
      ),
    )
    const next = { ...channel, ...channelColumns(body) }
    // New codes first: if WeCom refuses one, the channel is left exactly as it was.
    try {
      await this.createContactWays(next, fresh, await this.usersFromBody(id, body))
    } catch (err) {
      await this.undoCreate(null, fresh)
      throw err
    }
    const users = await this.usersFromBody(id, body)
    for (const code of existing.filter((c) => keep.has(c.id) && c.configId)) {
      await this.wecom.post('externalcontact/update_contact_way', {
        config_id: code.configId,
        user: users,
        skip_verify: body.skipVerify,
        remark: truncateChars(`${body.name}·${body.codes.find((c) => c.id === code.id)!.name}`, 30),
      })
    }
    await inTransaction(this.db, async (m) => {
      await m.getRepository(ChannelEntity).update({ id }, { ...channelColumns(body), updatedAt: new Date() })
      await m.getRepository(ChannelAdvisorEntity).delete({ channelId: id })
      await writeAdvisors(m, id, body)
      await writeWelcome(m, id, 'standard', body.welcome)
      await writeWelcome(m, id, 'gift', body.gift.message)
      for (const c of body.codes.filter((c) => c.id))
        await m
          .getRepository(ChannelCodeEntity)
          .update({ id: c.id }, { name: c.name.trim(), currentUsers: users.join(',') })
      if (removed.length)
        await m
          .getRepository(ChannelCodeEntity)
          .update({ id: In(removed.map((c) => c.id)) }, { deletedAt: new Date() })
    })
    await this.deleteContactWays(removed)
    this.version++
    return this.get(id)
  }

  /** Only the welcome part of a channel (the 欢迎语 page edits it on its own). */
  async updateWelcome(id: number, welcome: WelcomeBody, gift: ChannelBody['gift']): Promise<void> {
    await this.live(id)
    await inTransaction(this.db, async (m) => {
      await writeWelcome(m, id, 'standard', welcome)
      await writeWelcome(m, id, 'gift', gift.message)
      await m.getRepository(ChannelEntity).update(
        { id },
        {
          giftEnabled: gift.enabled,
          giftDailyQuota: gift.dailyQuota,
          giftWindowHours: gift.windowHours,
          updatedAt: new Date(),
        },
      )
    })
    this.version++
  }

  /** Deletes the contact ways in WeCom first; our rows are soft-deleted so the numbers keep their names. */
  async remove(id: number): Promise<void> {
    await this.live(id)
    const codes = await this.db
      .getRepository(ChannelCodeEntity)
      .find({ where: { channelId: id, deletedAt: IsNull() } })
    await this.deleteContactWays(codes, true)
    const now = new Date()
    await inTransaction(this.db, async (m) => {
      await m
        .getRepository(ChannelCodeEntity)
        .update({ channelId: id, deletedAt: IsNull() }, { deletedAt: now })
      await m.getRepository(ChannelEntity).update({ id }, { deletedAt: now })
    })
    this.version++
  }

  async list(): Promise<ChannelOut[]> {
    const channels = await this.db
      .getRepository(ChannelEntity)
      .find({ where: { deletedAt: IsNull() }, order: { id: 'DESC' } })
    return this.describe(channels)
  }

  async get(id: number): Promise<ChannelOut> {
    return (await this.describe([await this.live(id)]))[0]
  }

  async live(id: number): Promise<Channel> {
    const channel = await this.db.getRepository(ChannelEntity).findOneBy({ id, deletedAt: IsNull() })
    if (!channel) throw notFound(`channel ${id}`)
    return channel
  }

  async code(id: number): Promise<ChannelCode> {
    const code = await this.db.getRepository(ChannelCodeEntity).findOneBy({ id, deletedAt: IsNull() })
    if (!code) throw notFound(`code ${id}`)
    return code
  }

  // ── WeCom ──

  private async usersFromBody(channelId: number, body: ChannelBody): Promise<string[]> {
    const advisors = body.advisors.map((a, i) => toAdvisorRow(channelId, a, i))
    return advisorsOnDuty(advisors, await addsTodayByAdvisor(this.db, channelId), new Date())
  }

  private async createContactWays(channel: Channel, codes: ChannelCode[], users?: string[]) {
    const list = users ?? (await this.rotation.usersFor(channel.id))
    for (const code of codes) {
      // type 2 (multi-person) even with one advisor: the type cannot change later, the user list can.
      const res = await this.wecom.post<{ config_id: string; qr_code: string }>(
        'externalcontact/add_contact_way',
        {
          type: 2,
          scene: 2,
          state: code.state,
          skip_verify: channel.skipVerify,
          user: list,
          remark: truncateChars(`${channel.name}·${code.name}`, 30),
        },
      )
      code.configId = res.config_id
      code.qrCode = res.qr_code ?? ''
      await this.db.getRepository(ChannelCodeEntity).update(
        { id: code.id },
        {
          configId: res.config_id,
          qrCode: res.qr_code ?? '',
          currentUsers: list.join(','),
          status: 'active',
        },
      )
    }
  }

  private async undoCreate(channelId: number | null, codes: ChannelCode[]) {
    await this.deleteContactWays(codes.filter((c) => c.configId)).catch((err) =>
      this.log.error({ err, channelId }, 'could not delete contact ways of a failed creation'),
    )
    await inTransaction(this.db, async (m) => {
      if (codes.length) await m.getRepository(ChannelCodeEntity).delete({ id: In(codes.map((c) => c.id)) })
      if (channelId !== null) {
        await m.getRepository(ChannelAdvisorEntity).delete({ channelId })
        await m.getRepository(WelcomeMessageEntity).delete({ channelId })
        await m.getRepository(ChannelEntity).delete({ id: channelId })
      }
    })
  }

  private async deleteContactWays(codes: ChannelCode[], strict = false) {
    for (const code of codes) {
      if (!code.configId) continue
      try {
        await this.wecom.post('externalcontact/del_contact_way', { config_id: code.configId })
      } catch (err) {
        if (err instanceof WeComApiError && err.errcode === CONTACT_WAY_GONE) continue
        if (strict) throw err
        this.log.warn({ err, codeId: code.id }, 'could not delete a removed code in WeCom')
      }
    }
  }

  // ── read model ──

  private async describe(channels: Channel[]): Promise<ChannelOut[]> {
    if (!channels.length) return []
    const ids = channels.map((c) => c.id)
    const [codes, advisors, welcomes, staff, quota] = await Promise.all([
      this.db
        .getRepository(ChannelCodeEntity)
        .find({ where: { channelId: In(ids), deletedAt: IsNull() }, order: { id: 'ASC' } }),
      this.db
        .getRepository(ChannelAdvisorEntity)
        .find({ where: { channelId: In(ids) }, order: { sortOrder: 'ASC' } }),
      this.db.getRepository(WelcomeMessageEntity).find({ where: { channelId: In(ids) } }),
      this.db.getRepository(StaffEntity).find({ select: { userId: true, name: true } }),
      this.db.getRepository(GiftQuotaUsageEntity).find({ where: { channelId: In(ids), day: shanghaiDay() } }),
    ])
    const counts = await this.addCounts(ids)
    const perAdvisorToday = await this.addsTodayPerAdvisor(ids)
    const names = new Map(staff.map((s) => [s.userId, s.name]))
    const now = new Date()
    return channels.map((ch) => {
      const mine = advisors.filter((a) => a.channelId === ch.id)
      const today = new Map(
        [...perAdvisorToday].filter(([k]) => k.startsWith(`${ch.id}|`)).map(([k, n]) => [k.split('|')[1], n]),
      )
      const onDuty = advisorsOnDuty(mine, today, now)
      const welcome = welcomes.find((w) => w.channelId === ch.id && w.kind === 'standard')
      const gift = welcomes.find((w) => w.channelId === ch.id && w.kind === 'gift')
      const chCodes = codes.filter((c) => c.channelId === ch.id)
      const sum = (k: keyof AddCounts) => chCodes.reduce((n, c) => n + (counts.get(c.id)?.[k] ?? 0), 0)
      return {
        id: ch.id,
        name: ch.name,
        groupName: ch.groupName,
        skipVerify: ch.skipVerify,
        advisors: mine.map((a) => ({
          userId: a.userId,
          name: names.get(a.userId) ?? a.userId,
          dailyCap: a.dailyCap,
          weekdays: a.weekdays ? a.weekdays.split(',').map(Number) : [],
          startTime: a.startTime,
          endTime: a.endTime,
          onDuty: onDuty.includes(a.userId) && isScheduled(a, now),
          addsToday: today.get(a.userId) ?? 0,
        })),
        tagIds: JSON.parse(ch.tagIds) as string[],
        remarkTemplate: ch.remarkTemplate,
        memberGroup: ch.memberGroup,
        shopNick: ch.shopNick,
        supervisorUserId: ch.supervisorUserId,
        codes: chCodes.map((c) => ({
          id: c.id,
          name: c.name,
          state: c.state ?? '',
          configId: c.configId ?? '',
          qrUrl: `/api/admin/acquisition/codes/${c.id}/qr.png`,
          currentUsers: c.currentUsers ? c.currentUsers.split(',') : [],
          adds: counts.get(c.id) ?? { today: 0, week: 0, total: 0 },
        })),
        welcome: { text: welcome?.text ?? '', attachments: JSON.parse(welcome?.attachments ?? '[]') },
        gift: {
          enabled: ch.giftEnabled,
          dailyQuota: ch.giftDailyQuota,
          windowHours: ch.giftWindowHours,
          message: { text: gift?.text ?? '', attachments: JSON.parse(gift?.attachments ?? '[]') },
        },
        giftUsedToday: quota.find((q) => q.channelId === ch.id)?.used ?? 0,
        adds: { today: sum('today'), week: sum('week'), total: sum('total') },
        staffOnDuty: onDuty.map((u) => ({ userId: u, name: names.get(u) ?? u })),
        createdAt: ch.createdAt.toISOString(),
      }
    })
  }

  /** Adds per code: today, the last 7 days (today included) and ever. */
  private async addCounts(channelIds: number[]): Promise<Map<number, AddCounts>> {
    const today = shanghaiDay()
    const weekStart = shanghaiDayMinus(6)
    const rows = await this.db
      .getRepository(AcquisitionRecordEntity)
      .createQueryBuilder('r')
      .select('r.code_id', 'codeId')
      .addSelect('COUNT(*)', 'total')
      .addSelect('SUM(CASE WHEN r.day >= :weekStart THEN 1 ELSE 0 END)', 'week')
      .addSelect('SUM(CASE WHEN r.day = :today THEN 1 ELSE 0 END)', 'today')
      .where('r.channel_id IN (:...channelIds)', { channelIds })
      .setParameters({ weekStart, today })
      .groupBy('r.code_id')
      .getRawMany<{ codeId: number; total: string; week: string; today: string }>()
    return new Map(
      rows.map((r) => [
        Number(r.codeId),
        { total: Number(r.total), week: Number(r.week ?? 0), today: Number(r.today ?? 0) },
      ]),
    )
  }

  private async addsTodayPerAdvisor(channelIds: number[]): Promise<Map<string, number>> {
    const rows = await this.db
      .getRepository(AcquisitionRecordEntity)
      .createQueryBuilder('r')
      .select('r.channel_id', 'channelId')
      .addSelect('r.user_id', 'userId')
      .addSelect('COUNT(*)', 'n')
      .where('r.channel_id IN (:...channelIds) AND r.day = :day', { channelIds, day: shanghaiDay() })
      .groupBy('r.channel_id')
      .addGroupBy('r.user_id')
      .getRawMany<{ channelId: number; userId: string; n: string }>()
    return new Map(rows.map((r) => [`${r.channelId}|${r.userId}`, Number(r.n)]))
  }
}

function channelColumns(body: ChannelBody) {
  return {
    name: body.name.trim(),
    groupName: body.groupName.trim(),
    skipVerify: body.skipVerify,
    tagIds: JSON.stringify([...new Set(body.tagIds)]),
    remarkTemplate: body.remarkTemplate,
    memberGroup: body.memberGroup,
    shopNick: body.shopNick,
    supervisorUserId: body.supervisorUserId,
    giftEnabled: body.gift.enabled,
    giftDailyQuota: body.gift.dailyQuota,
    giftWindowHours: body.gift.windowHours,
  }
}

function toAdvisorRow(channelId: number, a: ChannelBody['advisors'][number], i: number): ChannelAdvisor {
  return {
    id: 0,
    channelId,
    userId: a.userId,
    sortOrder: i,
    dailyCap: a.dailyCap,
    weekdays: [...new Set(a.weekdays)].sort().join(','),
    startTime: a.startTime,
    endTime: a.endTime,
  }
}

async function writeAdvisors(m: EntityManager, channelId: number, body: ChannelBody) {
  const rows = body.advisors.map((a, i) => {
    const { id: _id, ...row } = toAdvisorRow(channelId, a, i)
    return row
  })
  if (rows.length) await m.getRepository(ChannelAdvisorEntity).insert(rows)
}

export async function writeWelcome(
  m: EntityManager,
  channelId: number | null,
  kind: WelcomeKind,
  w: WelcomeBody,
) {
  const repo = m.getRepository(WelcomeMessageEntity)
  const where = { channelId: channelId === null ? IsNull() : channelId, kind }
  const values = { text: w.text, attachments: JSON.stringify(w.attachments), updatedAt: new Date() }
  const found = await repo.findOneBy(where)
  if (found) await repo.update({ id: found.id }, values)
  else await repo.insert({ channelId, kind, ...values })
}

/** Inserts code rows in 'creating' and gives each its state, derived from its id. */
async function insertCodes(m: EntityManager, channelId: number, names: string[]): Promise<ChannelCode[]> {
  const out: ChannelCode[] = []
  const repo = m.getRepository(ChannelCodeEntity)
  for (const name of names) {
    const code = await repo.save({
      channelId,
      name: name.trim(),
      state: null as string | null,
      configId: null,
      qrCode: '',
      currentUsers: '',
      status: 'creating' as const,
      createdAt: new Date(),
      deletedAt: null,
    })
    code.state = stateOf(code.id)
    await repo.update({ id: code.id }, { state: code.state })
    out.push(code)
  }
  return out
}
