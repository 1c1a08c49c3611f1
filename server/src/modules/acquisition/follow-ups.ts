// After the welcome: the channel's tags (mark_tag) and the templated remark (remark), each its own step
// so that a failure here is retried without ever sending the welcome again. WeCom sends no callback
// for changes we make, so the mirror is updated here too.
import type { DataSource } from 'typeorm'
import type { WeComClient } from '../../wecom/client.ts'
import { CustomerEntity } from '../directory/customer.entity.ts'
import { CustomerFollowEntity, FollowTagEntity } from '../directory/follow.entity.ts'
import { AcquisitionRecordEntity, type AcquisitionRecord } from './acquisition-record.entity.ts'
import type { ChannelResolver } from './channel-resolver.ts'
import { fill, REMARK_MAX_CHARS, truncateChars } from './templates.ts'
import { describe, isRetryable } from './wecom-outcome.ts'

export class FollowUps {
  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
    private readonly resolver: ChannelResolver,
  ) {}

  private update(rec: AcquisitionRecord, values: Partial<AcquisitionRecord>) {
    Object.assign(rec, values)
    return this.db
      .getRepository(AcquisitionRecordEntity)
      .update({ id: rec.id }, { ...values, updatedAt: new Date() })
  }

  /** Throws when a retry can help (the record says 'failed' meanwhile); permanent refusals are recorded. */
  async tag(rec: AcquisitionRecord): Promise<void> {
    if (rec.tagStatus !== 'pending' && rec.tagStatus !== 'failed') return
    const resolved = await this.resolver.byState(rec.state)
    const tagIds = resolved?.tagIds ?? []
    if (!tagIds.length) return void (await this.update(rec, { tagStatus: 'skipped' }))
    try {
      await this.wecom.post('externalcontact/mark_tag', {
        userid: rec.userId,
        external_userid: rec.externalUserId,
        add_tag: tagIds,
      })
    } catch (err) {
      await this.update(rec, { tagStatus: 'failed', tagError: describe(err) })
      if (isRetryable(err)) throw err
      return
    }
    await this.db
      .createQueryBuilder()
      .insert()
      .into(FollowTagEntity)
      .values(tagIds.map((tagId) => ({ externalUserId: rec.externalUserId, userId: rec.userId, tagId })))
      .orIgnore()
      .execute()
    await this.update(rec, { tagStatus: 'done', tagError: '' })
  }

  async remark(rec: AcquisitionRecord): Promise<void> {
    if (rec.remarkStatus !== 'pending' && rec.remarkStatus !== 'failed') return
    const resolved = await this.resolver.byState(rec.state)
    const template = resolved?.channel.remarkTemplate ?? ''
    if (!template) return void (await this.update(rec, { remarkStatus: 'skipped' }))
    const remark = await this.renderRemark(template, rec)
    try {
      await this.wecom.post('externalcontact/remark', {
        userid: rec.userId,
        external_userid: rec.externalUserId,
        remark,
      })
    } catch (err) {
      await this.update(rec, { remarkStatus: 'failed', remarkError: describe(err), remarkText: remark })
      if (isRetryable(err)) throw err
      return
    }
    await this.db
      .getRepository(CustomerFollowEntity)
      .update({ externalUserId: rec.externalUserId, userId: rec.userId }, { remark, updatedAt: new Date() })
    await this.update(rec, { remarkStatus: 'done', remarkError: '', remarkText: remark })
  }

  async renderRemark(template: string, rec: AcquisitionRecord): Promise<string> {
    const resolved = await this.resolver.byState(rec.state)
    const [customer, advisor] = await Promise.all([
      this.db
        .getRepository(CustomerEntity)
        .findOne({ where: { externalUserId: rec.externalUserId }, select: { name: true } }),
      this.resolver.staffName(rec.userId),
    ])
    const code = resolved?.code
    const ch = resolved?.channel
    const local = new Date(rec.addedAt.getTime() + 8 * 3600_000).toISOString()
    const values = {
      name: customer?.name ?? '',
      channel: ch?.name ?? '',
      group: ch?.groupName ?? '',
      code: code?.name ?? '',
      advisor,
      memberGroup: ch?.memberGroup ?? '',
      shopNick: ch?.shopNick ?? '',
      date: local.slice(5, 7) + local.slice(8, 10),
    }
    // Empty placeholders would leave dangling separators ("··name"): collapse them.
    const text = fill(template, values)
      .replace(/([·\-|_/\s])\1+/g, '$1')
      .replace(/^[·\-|_/\s]+|[·\-|_/\s]+$/g, '')
    return truncateChars(text, REMARK_MAX_CHARS)
  }
}
