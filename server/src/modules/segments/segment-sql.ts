// The set-based SQL of the recompute, written once for MySQL/MariaDB and SQLite. Everything we put
// into the text ourselves (numbers, our own timestamps, fixed codes) is inlined; admin-entered text
// (tier names) goes through bind parameters. Window functions need MariaDB ≥ 10.2 / MySQL 8 /
// SQLite ≥ 3.25; UPDATE … FROM and upserts need SQLite ≥ 3.33 / 3.24 (better-sqlite3 ships 3.4x+).
import type { DataSource } from 'typeorm'
import type { SegmentSettings } from '@scrm/shared'
import type { MemberTierRow } from './segment.entity.ts'

export type Dialect = 'mysql' | 'sqlite'
export const dialectOf = (db: DataSource): Dialect =>
  db.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql'

/** A timestamp literal in the stored form: UTC 'YYYY-MM-DD HH:MM:SS.SSS' (MySQL connects with timezone Z). */
export const timeLit = (d: Date) => `'${d.toISOString().replace('T', ' ').replace('Z', '')}'`

/** A datetime read by a raw query (a string on SQLite, a Date on MySQL). */
export function readTime(v: unknown): Date | null {
  if (v === null || v === undefined || v === '') return null
  if (v instanceof Date) return v
  const s = String(v)
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`)
}

const num = (n: number) => {
  if (!Number.isFinite(n)) throw new Error(`not a number: ${n}`)
  return String(n)
}

export const truncate = (d: Dialect, table: string) =>
  d === 'mysql' ? `TRUNCATE TABLE ${table}` : `DELETE FROM ${table}`
export const insertIgnore = (d: Dialect) => (d === 'mysql' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO')
export const castText = (d: Dialect, e: string) =>
  d === 'mysql' ? `CAST(${e} AS CHAR)` : `CAST(${e} AS TEXT)`
/** The later of two nullable datetimes (NULL only when both are). */
export const later = (d: Dialect, a: string, b: string) =>
  `${d === 'mysql' ? 'GREATEST' : 'MAX'}(COALESCE(${a}, ${b}), COALESCE(${b}, ${a}))`
const daysBetween = (d: Dialect, from: string, to: string) =>
  d === 'mysql'
    ? `(TIMESTAMPDIFF(SECOND, ${from}, ${to}) / 86400.0)`
    : `(julianday(${to}) - julianday(${from}))`
/** `e` + 7 days, in the stored form. */
export const plusDays = (d: Dialect, e: string, days: number) =>
  d === 'mysql'
    ? `(${e} + INTERVAL ${num(days)} DAY)`
    : `strftime('%Y-%m-%d %H:%M:%f', ${e}, '+${num(days)} days')`

/** A fragment of SQL with its bind parameters, composed in text order. */
export class Sql {
  text = ''
  params: unknown[] = []
  add(text: string, ...params: unknown[]): this {
    this.text += text
    this.params.push(...params)
    return this
  }
  append(other: Sql): this {
    this.text += other.text
    this.params.push(...other.params)
    return this
  }
}

/** When the recompute runs and which calendar month the tiers look at (Asia/Shanghai). */
export interface Clock {
  now: Date
  monthStart: Date
  monthEnd: Date
  /** YYYY-MM of the month the tiers are computed from. */
  tierMonth: string
}

export function clockAt(now: Date): Clock {
  // Shanghai is UTC+8 without DST: shift, take the calendar month, shift back.
  const sh = new Date(now.getTime() + 8 * 3600_000)
  const y = sh.getUTCFullYear()
  const m = sh.getUTCMonth()
  const monthStart = new Date(Date.UTC(y, m - 1, 1) - 8 * 3600_000)
  const monthEnd = new Date(Date.UTC(y, m, 1) - 8 * 3600_000)
  const lm = new Date(Date.UTC(y, m - 1, 1))
  return {
    now,
    monthStart,
    monthEnd,
    tierMonth: `${lm.getUTCFullYear()}-${String(lm.getUTCMonth() + 1).padStart(2, '0')}`,
  }
}

/** Score cut-offs of the last full run: the lowest value that earned score 2…5, per dimension. */
export interface RfmCuts {
  r: (string | null)[]
  f: (number | null)[]
  m: (number | null)[]
}

const groupKey = (d: Dialect) => (d === 'mysql' ? 'external_user_id COLLATE utf8mb4_bin' : 'external_user_id')

/** Per-customer order facts: a table alias `o` with order_count, total_cents, first/last_order_at, promo_orders, month_*. */
export function orderAggSelect(d: Dialect, clock: Clock, where = ''): string {
  // Full runs scan shop_order once: on MySQL the (external_user_id, ordered_at) index would turn the
  // scan into millions of random row lookups. Ids group in binary (WeCom ids are case-sensitive, and
  // the unicode collation's comparisons double the cost of the group-by).
  const hint = d === 'mysql' && !where ? ' IGNORE INDEX (idx_shop_order_customer)' : ''
  const inMonth = `ordered_at >= ${timeLit(clock.monthStart)} AND ordered_at < ${timeLit(clock.monthEnd)}`
  return `SELECT ${groupKey(d)} AS external_user_id, COUNT(*) AS order_count, SUM(total_cents) AS total_cents,
      MIN(ordered_at) AS first_order_at, MAX(ordered_at) AS last_order_at,
      SUM(CASE WHEN discount_cents > 0 OR coupon_used = 1 THEN 1 ELSE 0 END) AS promo_orders,
      SUM(CASE WHEN ${inMonth} THEN total_cents ELSE 0 END) AS month_cents,
      SUM(CASE WHEN ${inMonth} THEN 1 ELSE 0 END) AS month_orders
    FROM shop_order${hint} WHERE status = 'paid' AND external_user_id IS NOT NULL ${where}
    GROUP BY ${groupKey(d)}`
}

/** Latest interaction other than orders: adds, group joins, product and script sends, follow-up notes. */
export function activitySelect(d: Dialect, ids?: string): string {
  const w = (col: string) => (ids ? ` AND ${col} IN (${ids})` : '')
  return `SELECT ${groupKey(d)} AS external_user_id, MAX(t) AS last_at FROM (
      SELECT external_user_id, add_time AS t FROM customer_follow WHERE 1 = 1${w('external_user_id')}
      UNION ALL SELECT member_id, join_time FROM group_member WHERE type = 2${w('member_id')}
      UNION ALL SELECT external_user_id, sent_at FROM product_send WHERE external_user_id IS NOT NULL${w('external_user_id')}
      UNION ALL SELECT external_user_id, used_at FROM script_usage WHERE external_user_id IS NOT NULL${w('external_user_id')}
      UNION ALL SELECT external_user_id, created_at FROM customer_note WHERE 1 = 1${w('external_user_id')}
    ) u GROUP BY ${groupKey(d)}`
}

const scoreFromRank = (pr: string) =>
  `CASE WHEN ${pr} IS NULL THEN NULL WHEN ${pr} >= 0.8 THEN 5 WHEN ${pr} >= 0.6 THEN 4 WHEN ${pr} >= 0.4 THEN 3 WHEN ${pr} >= 0.2 THEN 2 ELSE 1 END`

const scoreFromCuts = (
  value: string,
  cuts: (string | number | null)[],
  lit: (v: string | number) => string,
) => {
  const whens = [4, 3, 2, 1]
    .filter((i) => cuts[i - 1] !== null && cuts[i - 1] !== undefined)
    .map((i) => `WHEN ${value} >= ${lit(cuts[i - 1]!)} THEN ${i + 1}`)
    .join(' ')
  return `CASE WHEN o.order_count IS NULL THEN NULL ${whens} ELSE 1 END`
}

/** The RFM scores: from window ranks (full run) or the last full run's cut-offs (a few customers). */
export function rfmScores(mode: { ranks: true } | { cuts: RfmCuts }): { r: string; f: string; m: string } {
  if ('ranks' in mode) return { r: scoreFromRank('o.pr'), f: scoreFromRank('o.pf'), m: scoreFromRank('o.pm') }
  const dateLit = (v: string | number) => timeLit(readTime(v)!)
  return {
    r: scoreFromCuts('o.last_order_at', mode.cuts.r, dateLit),
    f: scoreFromCuts('o.order_count', mode.cuts.f, (v) => num(Number(v))),
    m: scoreFromCuts('o.total_cents', mode.cuts.m, (v) => num(Number(v))),
  }
}

/** R, F, M each high (score ≥ 3) or low → one of the 8 groups. */
export function rfmGroupExpr(s: { r: string; f: string; m: string }): string {
  const hi = (e: string) => `(${e}) >= 3`
  const cases: [string, string, string, string][] = [
    ['important_value', 'r', 'f', 'm'],
    ['important_develop', 'r', '!f', 'm'],
    ['important_keep', '!r', 'f', 'm'],
    ['important_retain', '!r', '!f', 'm'],
    ['general_value', 'r', 'f', '!m'],
    ['general_develop', 'r', '!f', '!m'],
    ['general_keep', '!r', 'f', '!m'],
    ['general_retain', '!r', '!f', '!m'],
  ]
  const cond = (k: string) => {
    const key = k.replace('!', '') as 'r' | 'f' | 'm'
    return k.startsWith('!') ? `NOT ${hi(s[key])}` : hi(s[key])
  }
  return `CASE WHEN o.order_count IS NULL THEN NULL ${cases
    .map(([g, r, f, m]) => `WHEN ${cond(r)} AND ${cond(f)} AND ${cond(m)} THEN '${g}'`)
    .join(' ')} END`
}

/** The best tier (highest rank) whose conditions on last month's spend and order count all hold. */
export function tierExprs(tiers: MemberTierRow[]): { id: Sql; name: Sql } {
  const sorted = [...tiers].sort((a, b) => b.rank - a.rank)
  const cond = (t: MemberTierRow) =>
    `COALESCE(o.month_cents, 0) >= ${num(t.minSpendCents)} AND COALESCE(o.month_orders, 0) >= ${num(t.minOrders)}`
  const id = new Sql().add('CASE')
  const name = new Sql().add('CASE')
  for (const t of sorted) {
    id.add(` WHEN ${cond(t)} THEN ${num(t.id)}`)
    name.add(` WHEN ${cond(t)} THEN ?`, t.name)
  }
  id.add(' ELSE NULL END')
  name.add(' ELSE NULL END')
  if (sorted.length === 0) return { id: new Sql().add('NULL'), name: new Sql().add('NULL') }
  return { id, name }
}

export const SEGMENT_COLUMNS =
  'external_user_id, tier_id, tier_name, rfm_group, r_score, f_score, m_score, activity, last_interaction_at, price_sensitivity, order_count, total_cents, last_order_at, avg_interval_days, computed_at'

/**
 * The SELECT producing customer_segment rows from customer `c`, order facts `o` (with pr/pf/pm in
 * rank mode) and activity `a`; the caller supplies FROM … JOIN … and WHERE.
 */
export function segmentSelect(
  d: Dialect,
  clock: Clock,
  tiers: MemberTierRow[],
  settings: SegmentSettings,
  scores: { r: string; f: string; m: string },
): Sql {
  const last = later(d, 'a.last_at', 'o.last_order_at')
  const ago = (days: number) => timeLit(new Date(clock.now.getTime() - days * 86_400_000))
  const share = `(o.promo_orders * 1.0 / o.order_count)`
  const interval = daysBetween(d, 'o.first_order_at', 'o.last_order_at')
  const avgDays =
    d === 'mysql'
      ? `ROUND(${interval} / (o.order_count - 1))`
      : `CAST(ROUND(${interval} / (o.order_count - 1)) AS INTEGER)`
  const tier = tierExprs(tiers)
  return new Sql()
    .add('SELECT c.external_user_id, ')
    .append(tier.id)
    .add(', ')
    .append(tier.name)
    .add(
      `, ${rfmGroupExpr(scores)}, ${scores.r}, ${scores.f}, ${scores.m},
      CASE WHEN ${last} >= ${ago(3)} THEN '3d' WHEN ${last} >= ${ago(7)} THEN '7d' WHEN ${last} >= ${ago(14)} THEN '14d' ELSE 'inactive' END,
      ${last},
      CASE WHEN o.order_count IS NULL THEN NULL
           WHEN ${share} >= ${num(settings.priceHighShare)} THEN 'high'
           WHEN ${share} <= ${num(settings.priceLowShare)} THEN 'low' ELSE 'medium' END,
      COALESCE(o.order_count, 0), COALESCE(o.total_cents, 0), o.last_order_at,
      CASE WHEN o.order_count > 1 THEN ${avgDays} ELSE NULL END,
      ${timeLit(clock.now)}`,
    )
}

/** Purchase tag codes of a segment row `s` (each expression yields one code or NULL). */
export function purchaseExprs(settings: SegmentSettings): string[] {
  return [
    `CASE WHEN s.order_count > 0 THEN 'bought' ELSE 'not_bought' END`,
    `CASE WHEN s.order_count = 0 THEN NULL WHEN s.total_cents >= ${num(settings.valueHighCents)} THEN 'value_high'
          WHEN s.total_cents >= ${num(settings.valueMidCents)} THEN 'value_mid' ELSE 'value_low' END`,
    `CASE WHEN s.order_count = 0 THEN NULL WHEN s.order_count = 1 THEN 'freq_once'
          WHEN s.order_count <= ${num(settings.frequentOrders)} THEN 'freq_repeat' ELSE 'freq_frequent' END`,
    `CASE WHEN s.avg_interval_days IS NULL THEN NULL WHEN s.avg_interval_days <= ${num(settings.intervalMonthlyDays)} THEN 'interval_monthly'
          WHEN s.avg_interval_days <= ${num(settings.intervalQuarterlyDays)} THEN 'interval_quarterly' ELSE 'interval_long' END`,
  ]
}

/** The segment value of a row `s` for a dimension, as mapped in segment_tag.value (purchase: several). */
export function dimensionValueExprs(d: Dialect, dim: string, settings: SegmentSettings): string[] {
  switch (dim) {
    case 'tier':
      return [castText(d, 's.tier_id')]
    case 'rfm':
      return ['s.rfm_group']
    case 'activity':
      return ['s.activity']
    case 'price':
      return ['s.price_sensitivity']
    case 'purchase':
      return purchaseExprs(settings)
    default:
      throw new Error(`unknown dimension ${dim}`)
  }
}

/**
 * (user_id, external_user_id, tag_id) every active follow should carry for the mirrored dimensions:
 * one SELECT per dimension value expression, UNION ALL.
 */
export function desiredTagsSelect(
  d: Dialect,
  dims: string[],
  settings: SegmentSettings,
  ids?: string,
): string {
  const parts: string[] = []
  for (const dim of dims)
    for (const e of dimensionValueExprs(d, dim, settings))
      parts.push(`SELECT f.user_id, f.external_user_id, m.tag_id
        FROM customer_follow f JOIN customer_segment s ON s.external_user_id = f.external_user_id
        JOIN segment_tag m ON m.dimension = '${dim}' AND m.value = ${e}
        WHERE f.status = 'active'${ids ? ` AND f.external_user_id IN (${ids})` : ''}`)
  return parts.join('\nUNION ALL\n')
}

/** `?, ?, …` for a list of bind parameters. */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ')
