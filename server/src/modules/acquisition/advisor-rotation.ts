// Which advisors a channel's contact ways point at right now (值班): schedules by weekday/time and a
// daily cap per advisor; when one is full or off duty the next takes over. WeCom only knows the
// contact way's `user` list, so we keep it in step with update_contact_way.
import type { FastifyBaseLogger } from 'fastify'
import { In, IsNull, type DataSource } from 'typeorm'
import type { WeComClient } from '../../wecom/client.ts'
import { AcquisitionRecordEntity } from './acquisition-record.entity.ts'
import {
  ChannelAdvisorEntity,
  ChannelCodeEntity,
  ChannelEntity,
  type ChannelAdvisor,
} from './channel.entity.ts'
import { parseHm, shanghaiClock, shanghaiDay } from './shanghai-time.ts'

export function isScheduled(
  a: Pick<ChannelAdvisor, 'weekdays' | 'startTime' | 'endTime'>,
  at: Date,
): boolean {
  const { weekday, minutes } = shanghaiClock(at)
  const days = a.weekdays ? a.weekdays.split(',').map(Number) : []
  if (days.length && !days.includes(weekday)) return false
  const start = parseHm(a.startTime)
  const end = parseHm(a.endTime)
  if (start === null || end === null) return true
  // A window like 22:00–02:00 runs over midnight.
  return start <= end ? minutes >= start && minutes < end : minutes >= start || minutes < end
}

/**
 * The advisors on duty: scheduled now and under their daily cap, in the channel's order. WeCom needs at
 * least one user, so when everyone is capped the scheduled ones stay on, and with nobody scheduled all
 * advisors do: a customer who scans must always reach someone.
 */
export function advisorsOnDuty(
  advisors: ChannelAdvisor[],
  addsToday: Map<string, number>,
  at: Date,
): string[] {
  const ordered = [...advisors].sort((a, b) => a.sortOrder - b.sortOrder)
  const scheduled = ordered.filter((a) => isScheduled(a, at))
  const open = scheduled.filter((a) => a.dailyCap === null || (addsToday.get(a.userId) ?? 0) < a.dailyCap)
  const pick = open.length ? open : scheduled.length ? scheduled : ordered
  return pick.map((a) => a.userId)
}

export async function addsTodayByAdvisor(
  db: DataSource,
  channelId: number,
  at = new Date(),
): Promise<Map<string, number>> {
  const rows = await db
    .getRepository(AcquisitionRecordEntity)
    .createQueryBuilder('r')
    .select('r.user_id', 'userId')
    .addSelect('COUNT(*)', 'n')
    .where('r.channel_id = :channelId AND r.day = :day', { channelId, day: shanghaiDay(at) })
    .groupBy('r.user_id')
    .getRawMany<{ userId: string; n: string | number }>()
  return new Map(rows.map((r) => [r.userId, Number(r.n)]))
}

export class AdvisorRotation {
  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
    private readonly log: FastifyBaseLogger,
  ) {}

  async usersFor(channelId: number, at = new Date()): Promise<string[]> {
    const advisors = await this.db.getRepository(ChannelAdvisorEntity).find({ where: { channelId } })
    return advisorsOnDuty(advisors, await addsTodayByAdvisor(this.db, channelId, at), at)
  }

  /** Pushes the on-duty list to every live code of the channel whose list differs; returns how many changed. */
  async sync(channelId: number, at = new Date()): Promise<number> {
    const users = await this.usersFor(channelId, at)
    const codes = await this.db
      .getRepository(ChannelCodeEntity)
      .find({ where: { channelId, status: 'active', deletedAt: IsNull() } })
    let changed = 0
    for (const code of codes) {
      if (!code.configId || code.currentUsers === users.join(',')) continue
      await this.wecom.post('externalcontact/update_contact_way', { config_id: code.configId, user: users })
      await this.db
        .getRepository(ChannelCodeEntity)
        .update({ id: code.id }, { currentUsers: users.join(',') })
      changed++
    }
    if (changed) this.log.info({ channelId, users }, 'channel advisors rotated')
    return changed
  }

  /** The scheduler's sweep: schedules start and end, caps reset at midnight. */
  async syncAll(at = new Date()): Promise<number> {
    const channels = await this.db
      .getRepository(ChannelEntity)
      .find({ where: { deletedAt: IsNull() }, select: { id: true } })
    if (!channels.length) return 0
    const withAdvisors = await this.db
      .getRepository(ChannelAdvisorEntity)
      .find({ where: { channelId: In(channels.map((c) => c.id)) } })
    let changed = 0
    for (const id of new Set(withAdvisors.map((a) => a.channelId))) {
      try {
        changed += await this.sync(id, at)
      } catch (err) {
        this.log.warn({ err, channelId: id }, 'advisor rotation failed; the next sweep tries again')
      }
    }
    return changed
  }

  /** After an add: only a channel with a cap can change its list because of it. */
  async afterAdd(channelId: number): Promise<void> {
    const advisors = await this.db.getRepository(ChannelAdvisorEntity).find({ where: { channelId } })
    if (advisors.some((a) => a.dailyCap !== null)) await this.sync(channelId)
  }
}
