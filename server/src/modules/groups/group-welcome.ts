// Group welcome (入群欢迎语) ↔ WeCom's group_welcome_template body.
import { GROUP_WELCOME_TEXT_MAX_BYTES, type GroupWelcome, type GroupWelcomeAttachment } from '@scrm/shared'
import { badRequest } from '../../lib/errors.ts'

/** Our `{name}` placeholder is WeCom's `%NICKNAME%` (the joining member's nickname). */
export const toWeComText = (text: string) => text.replaceAll('{name}', '%NICKNAME%')

export function hasWelcome(w: GroupWelcome | null | undefined): w is GroupWelcome {
  return !!w && (w.text.trim() !== '' || !!w.attachment)
}

/** The byte limit is WeCom's, measured on what we send (after the placeholder is expanded). */
export function checkWelcome(w: GroupWelcome | null | undefined): void {
  if (!hasWelcome(w)) return
  const bytes = Buffer.byteLength(toWeComText(w.text))
  if (bytes > GROUP_WELCOME_TEXT_MAX_BYTES)
    throw badRequest(
      'welcome_too_long',
      `welcome text is ${bytes} bytes; WeCom allows at most ${GROUP_WELCOME_TEXT_MAX_BYTES} (UTF-8, {name} counts as %NICKNAME%)`,
    )
}

export function welcomeTemplateBody(w: GroupWelcome, agentId: string | number): Record<string, unknown> {
  const body: Record<string, unknown> = { agentid: Number(agentId) || undefined }
  if (w.text.trim()) body.text = { content: toWeComText(w.text) }
  const a = w.attachment
  if (a?.type === 'image') body.image = { pic_url: a.picUrl }
  if (a?.type === 'link')
    body.link = {
      title: a.title,
      url: a.url,
      ...(a.picUrl ? { picurl: a.picUrl } : {}),
      ...(a.desc ? { desc: a.desc } : {}),
    }
  if (a?.type === 'miniprogram')
    body.miniprogram = {
      title: a.title,
      appid: a.appid,
      page: a.page,
      ...(a.picMediaId ? { pic_media_id: a.picMediaId } : {}),
    }
  return body
}

export function readWelcome(text: string | null, attachment: string | null): GroupWelcome | null {
  if (text === null && attachment === null) return null
  const att = attachment ? (JSON.parse(attachment) as GroupWelcomeAttachment) : undefined
  return { text: text ?? '', ...(att ? { attachment: att } : {}) }
}
