// Pure rules of a campaign's life: its stage, the schedule of its messages and their templates.
import type { CampaignAttachment, CampaignMessageInput, CampaignStage, CountdownInput } from '@scrm/shared'

/** A campaign is "in preparation" (预热) for the last three days before it starts. */
export const PREPARATION_MS = 3 * 86_400_000

export function deriveStage(startsAt: Date, endsAt: Date, now: Date): CampaignStage {
  const t = now.getTime()
  if (t >= endsAt.getTime()) return 'review'
  if (t >= startsAt.getTime()) return 'running'
  if (startsAt.getTime() - t <= PREPARATION_MS) return 'preparation'
  return 'planning'
}

/**
 * An admin may pin the stage. Pinned to planning (still a draft) or review (ended early), nothing is
 * sent; otherwise messages go out by their times whatever the label says.
 */
export const holdsSends = (override: CampaignStage | null) => override === 'planning' || override === 'review'

/** 185 → 3小时5分钟, 15 → 15分钟, 1500 → 1天1小时. */
export function formatLeft(minutes: number): string {
  const m = Math.max(0, Math.round(minutes))
  const d = Math.floor(m / 1440)
  const h = Math.floor((m % 1440) / 60)
  const min = m % 60
  const parts = [d ? `${d}天` : '', h ? `${h}小时` : '', min && !d ? `${min}分钟` : '']
  return parts.join('') || '0分钟'
}

/** 'MM月DD日 HH:mm' in Asia/Shanghai. */
export function shanghaiShort(at: Date): string {
  const s = new Date(at.getTime() + 8 * 3600_000).toISOString()
  return `${s.slice(5, 7)}月${s.slice(8, 10)}日 ${s.slice(11, 16)}`
}

export interface TemplateVars {
  name: string
  endsAt: Date
  leftMinutes: number
}

export function fillTemplate(text: string, v: TemplateVars): string {
  return text
    .replace(/\{left\}/g, formatLeft(v.leftMinutes))
    .replace(/\{name\}/g, v.name)
    .replace(/\{end\}/g, shanghaiShort(v.endsAt))
}

export function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s
  let out = ''
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > max) break
    out += ch
  }
  return out
}

export interface PlannedMessage {
  key: string
  kind: 'launch' | 'countdown'
  offsetMinutes: number
  sendAt: Date
  text: string
  attachment: CampaignAttachment | null
}

export const countdownKey = (offsetMinutes: number) => `countdown:${offsetMinutes}`

/** The launch at the start, then each countdown `offsetMinutes` before the end (texts not yet filled). */
export function scheduleOf(c: {
  startsAt: Date
  endsAt: Date
  launch: CampaignMessageInput
  countdowns: CountdownInput[]
}): PlannedMessage[] {
  const duration = Math.round((c.endsAt.getTime() - c.startsAt.getTime()) / 60_000)
  return [
    {
      key: 'launch',
      kind: 'launch' as const,
      offsetMinutes: duration,
      sendAt: c.startsAt,
      text: c.launch.text,
      attachment: c.launch.attachment ?? null,
    },
    ...[...c.countdowns]
      .sort((a, b) => b.offsetMinutes - a.offsetMinutes)
      .map((d) => ({
        key: countdownKey(d.offsetMinutes),
        kind: 'countdown' as const,
        offsetMinutes: d.offsetMinutes,
        sendAt: new Date(c.endsAt.getTime() - d.offsetMinutes * 60_000),
        text: d.text,
        attachment: d.attachment ?? null,
      })),
  ]
}

/** The default countdown texts for a new campaign. */
export const defaultCountdownText = (minutes: number) =>
  minutes >= 60
    ? `【{name}】距结束还有{left}，还没下单的抓紧啦！`
    : `最后{left}！{name}即将结束，错过再等一个月～`
