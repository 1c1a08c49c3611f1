// Checks a channel before anything is sent to WeCom: every rule here is a clear 400.
import { In, IsNull, Not, type DataSource } from 'typeorm'
import { badRequest } from '../../lib/errors.ts'
import { StaffEntity } from '../directory/staff.entity.ts'
import { TagEntity } from '../directory/tag.entity.ts'
import { ChannelEntity } from './channel.entity.ts'
import type { ChannelBody, WelcomeBody } from '@scrm/shared'
import { MAX_ATTACHMENTS, WELCOME_TEXT_MAX_BYTES } from './templates.ts'

export function checkWelcome(w: WelcomeBody, what = '欢迎语'): void {
  const bytes = Buffer.byteLength(w.text)
  if (bytes > WELCOME_TEXT_MAX_BYTES)
    throw badRequest(
      'welcome_text_too_long',
      `${what}文字不能超过 ${WELCOME_TEXT_MAX_BYTES} 字节（当前 ${bytes} 字节）`,
    )
  if (w.attachments.length > MAX_ATTACHMENTS)
    throw badRequest(
      'too_many_attachments',
      `${what}附件最多 ${MAX_ATTACHMENTS} 个（当前 ${w.attachments.length} 个）`,
    )
}

export async function validateChannel(db: DataSource, body: ChannelBody, existingId?: number): Promise<void> {
  const name = body.name.trim()
  if (!name) throw badRequest('name_required', '渠道名称不能为空')
  if (body.advisors.length === 0) throw badRequest('advisors_required', '至少选择一名接待员工')
  const userIds = body.advisors.map((a) => a.userId)
  if (new Set(userIds).size !== userIds.length) throw badRequest('duplicate_advisor', '接待员工不能重复')
  for (const a of body.advisors)
    if ((a.startTime === '') !== (a.endTime === ''))
      throw badRequest('invalid_schedule', `员工 ${a.userId} 的值班时间需同时填写开始和结束`)
  const codeNames = body.codes.map((c) => c.name.trim())
  if (new Set(codeNames).size !== codeNames.length)
    throw badRequest('duplicate_code_name', '同一渠道的活码名称不能重复')
  checkWelcome(body.welcome)
  if (body.gift.enabled) {
    checkWelcome(body.gift.message, '赠礼欢迎语')
    if (!body.gift.message.text.trim() && body.gift.message.attachments.length === 0)
      throw badRequest('gift_message_required', '开启赠礼后需填写赠礼欢迎语')
    if (body.gift.dailyQuota < 1) throw badRequest('gift_quota_required', '开启赠礼后每日名额至少为 1')
  }
  const taken = await db.getRepository(ChannelEntity).exists({
    where: { name, deletedAt: IsNull(), ...(existingId ? { id: Not(existingId) } : {}) },
  })
  if (taken) throw badRequest('duplicate_name', `渠道名称「${name}」已存在`)
  const staff = await db
    .getRepository(StaffEntity)
    .find({ where: { userId: In(userIds) }, select: { userId: true } })
  const missing = userIds.filter((u) => !staff.some((s) => s.userId === u))
  if (missing.length) throw badRequest('unknown_staff', `员工不存在或未同步：${missing.join(', ')}`)
  if (
    body.supervisorUserId &&
    !(await db.getRepository(StaffEntity).exists({ where: { userId: body.supervisorUserId } }))
  )
    throw badRequest('unknown_staff', `主管不存在或未同步：${body.supervisorUserId}`)
  if (body.tagIds.length) {
    const tags = await db
      .getRepository(TagEntity)
      .find({ where: { tagId: In(body.tagIds) }, select: { tagId: true } })
    const unknown = body.tagIds.filter((t) => !tags.some((x) => x.tagId === t))
    if (unknown.length) throw badRequest('unknown_tag', `标签不存在或未同步：${unknown.join(', ')}`)
  }
}
