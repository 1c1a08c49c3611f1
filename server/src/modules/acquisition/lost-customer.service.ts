// Lost customers (流失提醒): the customer deleted the advisor (del_follow_user) or the advisor deleted the
// customer (del_external_contact, except by transfer). Recorded with channel and advisor, then the
// advisor (and a supervisor, if set) gets a WeCom app message.
import type { FastifyBaseLogger } from 'fastify'
import type { DataSource } from 'typeorm'
import { fromUnix } from '../../lib/time.ts'
import type { WeComClient } from '../../wecom/client.ts'
import type { CallbackEvent } from '../../wecom/events.ts'
import { CustomerEntity } from '../directory/customer.entity.ts'
import { CustomerFollowEntity } from '../directory/follow.entity.ts'
import { StaffEntity } from '../directory/staff.entity.ts'
import { AcquisitionRecordEntity } from './acquisition-record.entity.ts'
import { ChannelCodeEntity, ChannelEntity } from './channel.entity.ts'
import { LostCustomerEntity, type LostCustomer, type LostReason } from './lost-customer.entity.ts'
import { readSetting } from './settings.ts'
import { shanghaiDay } from './shanghai-time.ts'
import { describe, isRetryable } from './wecom-outcome.ts'

const lostKeyOf = (ev: CallbackEvent) =>
  `${ev.UserID}|${ev.ExternalUserID}|${ev.CreateTime}|${ev.ChangeType}`.slice(0, 160)

const REASON_TEXT: Record<LostReason, string> = {
  customer_deleted_staff: '客户删除了你',
  staff_deleted_customer: '你删除了客户',
}

export class LostCustomerService {
  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
    private readonly agentId: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  async record(ev: CallbackEvent): Promise<LostCustomer> {
    const repo = this.db.getRepository(LostCustomerEntity)
    const eventKey = lostKeyOf(ev)
    const found = await repo.findOneBy({ eventKey })
    if (found) return found
    const externalUserId = ev.ExternalUserID!
    const userId = ev.UserID!
    // The channel: our own record of the add, else the follow's state (adds from before this module).
    const acquired = await this.db
      .getRepository(AcquisitionRecordEntity)
      .findOne({ where: { externalUserId, userId }, order: { addedAt: 'DESC' } })
    const follow = await this.db.getRepository(CustomerFollowEntity).findOneBy({ externalUserId, userId })
    let channelId = acquired?.channelId ?? null
    let codeId = acquired?.codeId ?? null
    if (!acquired && follow?.state) {
      const code = await this.db.getRepository(ChannelCodeEntity).findOneBy({ state: follow.state })
      channelId = code?.channelId ?? null
      codeId = code?.id ?? null
    }
    const channel = channelId ? await this.db.getRepository(ChannelEntity).findOneBy({ id: channelId }) : null
    const customer = await this.db.getRepository(CustomerEntity).findOneBy({ externalUserId })
    const settings = await readSetting(this.db, 'lost_alert')
    const lostAt = fromUnix(ev.CreateTime)
    const row: Omit<LostCustomer, 'id'> = {
      eventKey,
      externalUserId,
      userId,
      reason: ev.ChangeType === 'del_follow_user' ? 'customer_deleted_staff' : 'staff_deleted_customer',
      channelId,
      codeId,
      channelName: channel?.name ?? acquired?.channelName ?? '',
      customerName: (customer?.name ?? '').slice(0, 128),
      day: shanghaiDay(lostAt),
      lostAt,
      addedAt: acquired?.addedAt ?? follow?.addTime ?? null,
      alertStatus: settings.enabled ? 'pending' : 'disabled',
      alertError: '',
      alertedTo: '',
    }
    const res = await repo.insert(row)
    return { ...row, id: Number(res.identifiers[0].id) }
  }

  async alert(ev: CallbackEvent): Promise<void> {
    const repo = this.db.getRepository(LostCustomerEntity)
    const lost = await repo.findOneBy({ eventKey: lostKeyOf(ev) })
    if (!lost || lost.alertStatus !== 'pending') return
    const settings = await readSetting(this.db, 'lost_alert')
    const channel = lost.channelId
      ? await this.db.getRepository(ChannelEntity).findOneBy({ id: lost.channelId })
      : null
    const to = [
      ...new Set(
        [lost.userId, channel?.supervisorUserId, settings.supervisorUserId].filter((u): u is string => !!u),
      ),
    ]
    const staff = await this.db.getRepository(StaffEntity).findOneBy({ userId: lost.userId })
    const days = lost.addedAt
      ? Math.max(0, Math.floor((lost.lostAt.getTime() - lost.addedAt.getTime()) / 86_400_000))
      : null
    const when = new Date(lost.lostAt.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')
    const content = [
      `【流失提醒】${REASON_TEXT[lost.reason]}`,
      `客户：${lost.customerName || lost.externalUserId}`,
      `员工：${staff?.name ?? lost.userId}`,
      `渠道：${lost.channelName || '无渠道'}`,
      `时间：${when}${days !== null ? `（添加 ${days} 天）` : ''}`,
    ].join('\n')
    try {
      await this.wecom.post('message/send', {
        touser: to.join('|'),
        msgtype: 'text',
        agentid: Number(this.agentId),
        text: { content },
      })
      await repo.update(
        { id: lost.id },
        { alertStatus: 'sent', alertedTo: to.join('|').slice(0, 255), alertError: '' },
      )
    } catch (err) {
      await repo.update({ id: lost.id }, { alertError: describe(err) })
      if (isRetryable(err)) throw err
      this.log.warn({ err, lostId: lost.id }, 'lost-customer alert refused by WeCom')
      await repo.update({ id: lost.id }, { alertStatus: 'failed' })
    }
  }
}
