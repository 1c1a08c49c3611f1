// Welcome messages: send_welcome_msg (welcome_code: 20 s, single use) and group welcome templates.
import { Err, fail } from '../errors.ts'
import { requireStr, type ApiRoute } from '../http.ts'
import type { SimulatedCorp } from '../corp.ts'

const MAX_ATTACHMENTS = 9
const MAX_TEXT_BYTES = 4000
const MAX_GROUP_TEMPLATES = 100
const ATTACHMENT_TYPES = ['image', 'link', 'miniprogram', 'video', 'file']

/** Checks attachments like WeCom: ≤9, known msgtype, media ids that exist and have not expired. */
export function checkAttachments(corp: SimulatedCorp, attachments: unknown): unknown[] {
  if (attachments === undefined) return []
  if (!Array.isArray(attachments)) fail(Err.invalidParam, 'attachments must be an array')
  if (attachments.length > MAX_ATTACHMENTS) fail(Err.invalidParam, 'attachments exceed 9')
  for (const a of attachments as Record<string, Record<string, unknown> | undefined>[]) {
    const type = String(a?.msgtype ?? '')
    if (!ATTACHMENT_TYPES.includes(type)) fail(Err.invalidMsgType, `invalid attachment msgtype: ${type}`)
    const media = a[type]
    const mediaId = media?.media_id ?? media?.pic_media_id
    if (typeof mediaId === 'string') checkMedia(corp, mediaId)
  }
  return attachments
}

export function checkMedia(corp: SimulatedCorp, mediaId: string): void {
  const m = corp.data.media.get(mediaId)
  if (!m || (!m.permanent && corp.nowMs() - m.created_at * 1000 > corp.options.mediaTtlMs))
    fail(Err.invalidMediaId, 'invalid media_id')
}

export function checkText(text: unknown): { content: string } | undefined {
  if (text === undefined) return undefined
  const content = (text as { content?: unknown })?.content
  if (typeof content !== 'string') fail(Err.invalidParam, 'text.content must be a string')
  if (Buffer.byteLength(content) > MAX_TEXT_BYTES)
    fail(Err.contentTooLarge, 'text.content exceeds 4000 bytes')
  return { content }
}

export const welcomeRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/send_welcome_msg',
    handler: ({ corp, body }) => {
      const code = requireStr(body.welcome_code, Err.missingWelcomeCode, 'welcome_code')
      const text = checkText(body.text)
      const attachments = checkAttachments(corp, body.attachments)
      if (!text?.content && attachments.length === 0)
        fail(Err.emptyContent, 'text and attachments both empty')
      const issued = corp.data.welcomeCodes.get(code)
      if (!issued) fail(Err.invalidWelcomeCode, 'invalid welcome_code')
      if (issued.used) fail(Err.welcomeAlreadySent, 'welcome msg already sent or chat started')
      if (corp.nowMs() - issued.issued_at_ms > corp.options.welcomeCodeTtlMs)
        fail(Err.invalidWelcomeCode, 'welcome_code expired')
      issued.used = true
      corp.data.sentWelcomes.push({
        welcome_code: code,
        userid: issued.userid,
        external_userid: issued.external_userid,
        ...(text ? { text } : {}),
        attachments,
        time: corp.now(),
      })
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/group_welcome_template/add',
    handler: ({ corp, body }) => {
      if (corp.data.groupWelcomeTemplates.size >= MAX_GROUP_TEMPLATES)
        fail(41055, 'group welcome template limit reached')
      const { agentid: _a, notify: _n, ...content } = body
      checkText(content.text)
      const template_id = `msg${corp.ids.chars(29)}`
      corp.data.groupWelcomeTemplates.set(template_id, {
        template_id,
        body: content,
        create_time: corp.now(),
      })
      return { template_id }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/group_welcome_template/edit',
    handler: ({ corp, body }) => {
      const { template_id, agentid: _a, ...content } = body
      const t = corp.data.groupWelcomeTemplates.get(requireStr(template_id, Err.invalidParam, 'template_id'))
      if (!t) fail(Err.invalidParam, 'invalid template_id')
      checkText(content.text)
      t.body = content
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/group_welcome_template/get',
    handler: ({ corp, body }) => {
      const t = corp.data.groupWelcomeTemplates.get(
        requireStr(body.template_id, Err.invalidParam, 'template_id'),
      )
      if (!t) fail(Err.invalidParam, 'invalid template_id')
      return { ...t.body }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/group_welcome_template/del',
    handler: ({ corp, body }) => {
      const id = requireStr(body.template_id, Err.invalidParam, 'template_id')
      if (!corp.data.groupWelcomeTemplates.delete(id)) fail(Err.invalidParam, 'invalid template_id')
    },
  },
]
