// Placeholders in welcome texts and remark templates. Unknown placeholders are left as typed, so a
// typo shows up in the preview instead of silently vanishing.

/** Placeholders a welcome text may use. */
export const WELCOME_PLACEHOLDERS = {
  name: '客户微信昵称',
  advisor: '接待员工姓名',
} as const

/** Placeholders a remark template may use. */
export const REMARK_PLACEHOLDERS = {
  name: '客户微信昵称',
  channel: '渠道名称',
  group: '渠道分组',
  code: '活码名称（A/B 款）',
  advisor: '接待员工姓名',
  memberGroup: '会员群组（渠道设置）',
  shopNick: '店铺昵称（渠道设置）',
  date: '添加日期 MMDD',
} as const

export const WELCOME_TEXT_MAX_BYTES = 4000
export const MAX_ATTACHMENTS = 9
/** WeCom's remark holds at most 20 characters. */
export const REMARK_MAX_CHARS = 20

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? values[key] : whole))
}

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character. */
export function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s
  let out = ''
  let bytes = 0
  for (const ch of s) {
    const b = Buffer.byteLength(ch)
    if (bytes + b > max) break
    out += ch
    bytes += b
  }
  return out
}

export function truncateChars(s: string, max: number): string {
  return [...s].slice(0, max).join('')
}
