// The first touch (欢迎语): on an add, record it, choose the message (gift, standard or default) and send
// it with the WelcomeCode while the 20-second window is open. 41051 (already sent) is final.
import type { DataSource } from 'typeorm'
import type { WeComClient } from '../../wecom/client.ts'
import { WELCOME_ALREADY_SENT, WELCOME_CODE_EXPIRED, WeComApiError } from '../../wecom/errors.ts'
import type { CallbackEvent } from '../../wecom/events.ts'
import { fromUnix } from '../../lib/time.ts'
import type { ContactReader } from '../directory/contact-reader.ts'
import {
  AcquisitionRecordEntity,
  type AcquisitionRecord,
  type WelcomeChoice,
} from './acquisition-record.entity.ts'
import type { ChannelResolver, ResolvedChannel, WelcomeContent } from './channel-resolver.ts'
import { shanghaiDay } from './shanghai-time.ts'
import { fill, truncateBytes, WELCOME_TEXT_MAX_BYTES } from './templates.ts'
import { GiftQuotaUsageEntity } from './welcome-message.entity.ts'
import { describe, isRetryable } from './wecom-outcome.ts'
import { serialized } from '../../db/transaction.ts'
import { insertedId } from '../../db/data-source.ts'

/** When the customer last ordered; the orders module plugs in here. Without it no order is known. */
export type OrderLookup = (customer: {
  externalUserId: string
  unionid: string | null
}) => Promise<Date | null>

export const eventKeyOf = (ev: CallbackEvent) =>
  `${ev.UserID}|${ev.ExternalUserID}|${ev.CreateTime}|${ev.ChangeType}`.slice(0, 160)

export class WelcomeService {
  orderLookup: OrderLookup = async () => null
  /**
   * The records of adds in flight, so the later steps of the same event skip a read. Only a shortcut:
   * every step still writes through, and a cold cache (restart, other instance) reads the row.
   */
  private readonly recent = new Map<string, AcquisitionRecord>()

  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
    private readonly resolver: ChannelResolver,
    private readonly contacts: ContactReader,
  ) {}

  /** The record of this add, created on first sight (a replayed event finds it again). */
  async recordFor(ev: CallbackEvent): Promise<AcquisitionRecord> {
    const repo = this.db.getRepository(AcquisitionRecordEntity)
    const eventKey = eventKeyOf(ev)
    const cached = this.recent.get(eventKey)
    if (cached) return cached
    const found = await repo.findOneBy({ eventKey })
    if (found) return this.remember(found)
    const resolved = await this.resolver.byState(ev.State ?? '')
    const addedAt = fromUnix(ev.CreateTime)
    const row: Omit<AcquisitionRecord, 'id'> = {
      eventKey,
      externalUserId: ev.ExternalUserID!,
      userId: ev.UserID!,
      state: (ev.State ?? '').slice(0, 64),
      channelId: resolved?.channel.id ?? null,
      codeId: resolved?.code.id ?? null,
      channelName: resolved?.channel.name ?? '',
      half: ev.ChangeType === 'add_half_external_contact',
      day: shanghaiDay(addedAt),
      addedAt,
      welcomeKind: await this.choose(resolved, ev, addedAt),
      welcomeStatus: 'pending',
      welcomeError: '',
      welcomeSentAt: null,
      tagStatus: resolved?.tagIds.length ? 'pending' : 'skipped',
      tagError: '',
      remarkStatus: resolved?.channel.remarkTemplate ? 'pending' : 'skipped',
      remarkText: '',
      remarkError: '',
      updatedAt: new Date(),
    }
    const res = await repo.createQueryBuilder().insert().values(row).updateEntity(false).execute()
    return this.remember({ ...row, id: insertedId(res.raw) })
  }

  private remember(rec: AcquisitionRecord): AcquisitionRecord {
    if (this.recent.size >= 5_000) this.recent.delete(this.recent.keys().next().value!)
    this.recent.set(rec.eventKey, rec)
    return rec
  }

  forget(rec: AcquisitionRecord): void {
    this.recent.delete(rec.eventKey)
  }

  /** Gift while today's quota lasts and the order is recent enough; else the standard (fallback) message. */
  private async choose(
    resolved: ResolvedChannel | null,
    ev: CallbackEvent,
    addedAt: Date,
  ): Promise<WelcomeChoice> {
    if (!resolved) return 'default'
    const { channel } = resolved
    if (channel.giftEnabled && channel.giftDailyQuota > 0) {
      let eligible = true
      if (channel.giftWindowHours !== null) {
        // The unionid comes from this event's contact read (cached, and reused by the mirror).
        const contact = await this.contacts.read(ev).catch(() => null)
        const orderedAt = await this.orderLookup({
          externalUserId: ev.ExternalUserID!,
          unionid: contact?.external_contact.unionid || null,
        })
        eligible =
          !!orderedAt &&
          addedAt.getTime() - orderedAt.getTime() <= channel.giftWindowHours * 3600_000 &&
          orderedAt <= addedAt
      }
      if (eligible && (await this.claimGift(channel.id, channel.giftDailyQuota, shanghaiDay(addedAt))))
        return 'gift'
    }
    return 'standard'
  }

  /** One gift slot, or false when today's quota is used up: a conditional UPDATE, safe across instances. */
  async claimGift(channelId: number, quota: number, day: string): Promise<boolean> {
    return serialized(this.db, async () => {
      await this.db
        .createQueryBuilder()
        .insert()
        .into(GiftQuotaUsageEntity)
        .values({ channelId, day, used: 0 })
        .orIgnore()
        .execute()
      const res = await this.db
        .createQueryBuilder()
        .update(GiftQuotaUsageEntity)
        .set({ used: () => 'used + 1' })
        .where('channel_id = :channelId AND day = :day AND used < :quota', { channelId, day, quota })
        .execute()
      return (res.affected ?? 0) > 0
    })
  }

  /** Sends the chosen message once. Throws only when another try can still help. */
  async send(ev: CallbackEvent, rec: AcquisitionRecord): Promise<void> {
    if (rec.welcomeStatus !== 'pending') return
    const repo = this.db.getRepository(AcquisitionRecordEntity)
    const done = (values: Partial<AcquisitionRecord>) => {
      Object.assign(rec, values)
      return repo.update({ id: rec.id }, { ...values, updatedAt: new Date() })
    }
    if (!ev.WelcomeCode)
      return void (await done({
        welcomeStatus: 'skipped',
        welcomeError: 'no WelcomeCode (the advisor has a WeCom-side welcome, or the chat already started)',
      }))
    const content = await this.content(rec)
    if (!content.text.trim() && content.attachments.length === 0)
      return void (await done({ welcomeStatus: 'skipped', welcomeError: 'no welcome message configured' }))
    const text = await this.render(content.text, rec, ev)
    try {
      await this.wecom.post('externalcontact/send_welcome_msg', {
        welcome_code: ev.WelcomeCode,
        ...(text.trim() ? { text: { content: text } } : {}),
        ...(content.attachments.length ? { attachments: content.attachments } : {}),
      })
      await done({ welcomeStatus: 'sent', welcomeSentAt: new Date(), welcomeError: '' })
    } catch (err) {
      if (err instanceof WeComApiError && err.errcode === WELCOME_ALREADY_SENT)
        return void (await done({ welcomeStatus: 'already_sent', welcomeError: describe(err) }))
      if (err instanceof WeComApiError && err.errcode === WELCOME_CODE_EXPIRED)
        return void (await done({ welcomeStatus: 'expired', welcomeError: describe(err) }))
      if (isRetryable(err)) {
        await done({ welcomeError: describe(err) })
        throw err
      }
      await done({ welcomeStatus: 'failed', welcomeError: describe(err) })
    }
  }

  private async content(rec: AcquisitionRecord): Promise<WelcomeContent> {
    if (rec.welcomeKind === 'default' || rec.welcomeKind === 'none') return this.resolver.defaults()
    const resolved = await this.resolver.byState(rec.state)
    if (!resolved) return this.resolver.defaults()
    return rec.welcomeKind === 'gift' ? resolved.gift : resolved.standard
  }

  // The welcome runs before the directory mirror is written: the name comes from this event's
  // contact read, which the mirror step then reuses.
  private async render(template: string, rec: AcquisitionRecord, ev: CallbackEvent): Promise<string> {
    if (!/\{(name|advisor)\}/.test(template)) return template
    const [contact, advisor] = await Promise.all([
      /\{name\}/.test(template) ? this.contacts.read(ev).catch(() => null) : null,
      this.resolver.staffName(rec.userId),
    ])
    return truncateBytes(
      fill(template, { name: contact?.external_contact.name || '亲', advisor }),
      WELCOME_TEXT_MAX_BYTES,
    )
  }
}
