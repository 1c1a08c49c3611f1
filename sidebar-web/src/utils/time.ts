const TIME_ZONE = 'Asia/Shanghai'

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

const date = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? null : d
}

function join(parts: Intl.DateTimeFormatPart[], withTime: boolean): string {
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  const day = `${get('year')}-${get('month')}-${get('day')}`
  return withTime ? `${day} ${get('hour')}:${get('minute')}:${get('second')}` : day
}

/** An ISO (UTC) timestamp shown as `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai; '—' when empty. */
export function formatDateTime(iso: string | null | undefined): string {
  const d = parse(iso)
  return d ? join(dateTime.formatToParts(d), true) : '—'
}

export function formatDate(iso: string | null | undefined): string {
  const d = parse(iso)
  return d ? join(date.formatToParts(d), false) : '—'
}

/** Duration between two ISO timestamps (or until now), e.g. `1分05秒`. */
export function formatDuration(fromIso: string, toIso?: string | null): string {
  const from = parse(fromIso)
  const to = toIso ? parse(toIso) : new Date()
  if (!from || !to) return '—'
  const seconds = Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000))
  if (seconds < 60) return `${seconds}秒`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}分${String(seconds % 60).padStart(2, '0')}秒`
  return `${Math.floor(minutes / 60)}小时${String(minutes % 60).padStart(2, '0')}分`
}
