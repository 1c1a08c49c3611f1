// Script usage per segment. Without WeCom's message archive there is no reply signal, so the report
// gives usage (uses, customers) and, as the effectiveness measure, the share of uses followed by a
// paid order from that customer within 7 days. Segments are the customer's current ones.
import type { DataSource } from 'typeorm'
import {
  ACTIVITY_LABEL,
  PRICE_LABEL,
  PURCHASE_LABEL,
  RFM_LABEL,
  type ScriptStatsReport,
  type SegmentDimension,
} from '@scrm/shared'
import { MemberTierEntity } from './segment.entity.ts'
import { castText, plusDays, timeLit, type Dialect } from './segment-sql.ts'

export const CONVERSION_NOTE =
  '企业微信未开通会话存档时无法获知客户是否回复，此处以「发送后 7 天内下单」的比例作为转化率（按客户当前分层统计）。'

const valueExpr = (d: Dialect, dim: SegmentDimension) =>
  ({
    tier: castText(d, 's.tier_id'),
    rfm: 's.rfm_group',
    activity: 's.activity',
    price: 's.price_sensitivity',
    purchase: "CASE WHEN s.order_count > 0 THEN 'bought' ELSE 'not_bought' END",
  })[dim]

export async function scriptStats(
  db: DataSource,
  d: Dialect,
  dimension: SegmentDimension,
  days: number,
  now = new Date(),
): Promise<ScriptStatsReport> {
  const since = timeLit(new Date(now.getTime() - days * 86_400_000))
  const v = valueExpr(d, dimension)
  const converted = `CASE WHEN EXISTS (SELECT 1 FROM shop_order o WHERE o.external_user_id = u.external_user_id
      AND o.status = 'paid' AND o.ordered_at > u.used_at AND o.ordered_at <= ${plusDays(d, 'u.used_at', 7)}) THEN 1 ELSE 0 END`
  const from = `FROM script_usage u JOIN customer_segment s ON s.external_user_id = u.external_user_id
      WHERE u.used_at >= ${since}`
  type Row = {
    scriptId?: number
    v: string | null
    uses: number | string
    customers: number | string
    converted: number | string | null
  }
  const [rows, seg] = (await Promise.all([
    db.query(`SELECT u.script_id AS scriptId, ${v} AS v, COUNT(*) AS uses, COUNT(DISTINCT u.external_user_id) AS customers,
        SUM(${converted}) AS converted ${from} GROUP BY u.script_id, ${v}`),
    db.query(`SELECT ${v} AS v, COUNT(*) AS uses, COUNT(DISTINCT u.external_user_id) AS customers,
        SUM(${converted}) AS converted ${from} GROUP BY ${v}`),
  ])) as [Row[], Row[]]
  const tiers = new Map((await db.getRepository(MemberTierEntity).find()).map((t) => [String(t.id), t.name]))
  const labels: Record<string, string> = {
    ...RFM_LABEL,
    ...ACTIVITY_LABEL,
    ...PRICE_LABEL,
    ...PURCHASE_LABEL,
  }
  const label = (value: string | null) =>
    value === null ? '未分层' : dimension === 'tier' ? (tiers.get(value) ?? value) : (labels[value] ?? value)
  const ids = [...new Set(rows.map((r) => Number(r.scriptId)))]
  const titles = new Map<number, string>()
  if (ids.length)
    for (const t of (await db.query(
      `SELECT id, title FROM script WHERE id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    )) as { id: number; title: string }[])
      titles.set(Number(t.id), t.title)
  const stat = (r: Row) => {
    const uses = Number(r.uses)
    const conv = Number(r.converted ?? 0)
    return {
      value: r.v === null ? 'none' : String(r.v),
      label: label(r.v === null ? null : String(r.v)),
      uses,
      customers: Number(r.customers),
      converted: conv,
      conversionRate: uses ? conv / uses : 0,
    }
  }
  return {
    dimension,
    days,
    bySegment: seg.map(stat).sort((a, b) => b.uses - a.uses),
    rows: rows
      .map((r) => ({
        scriptId: Number(r.scriptId),
        title: titles.get(Number(r.scriptId)) ?? `#${r.scriptId}`,
        ...stat(r),
      }))
      .sort((a, b) => a.scriptId - b.scriptId || b.uses - a.uses),
    note: CONVERSION_NOTE,
  }
}
