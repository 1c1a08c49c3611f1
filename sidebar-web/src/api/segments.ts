import { http } from './http'
import type {
  CustomerSegmentView,
  MemberTier,
  MemberTierInput,
  RecomputeResult,
  ScriptStatsReport,
  SegmentDimension,
  SegmentOverview,
  SegmentSettings,
} from '@scrm/shared'

/** 客户分层: tiers, settings, distributions, recompute, script stats; the sidebar's per-customer view. */
export type {
  CustomerSegmentView,
  MemberTier,
  MemberTierInput,
  ScriptStatsReport,
  SegmentDimension,
  SegmentOverview,
  SegmentSettings,
}

// Labels kept here (not imported at runtime from @scrm/shared) so the sidebar bundle stays free of schemas.
export const DIMENSION_LABEL: Record<SegmentDimension, string> = {
  tier: '会员等级',
  rfm: 'RFM',
  activity: '活跃度',
  price: '价格敏感度',
  purchase: '购买',
}
export const RFM_LABEL: Record<string, string> = {
  important_value: '重要价值客户',
  important_develop: '重要发展客户',
  important_keep: '重要保持客户',
  important_retain: '重要挽留客户',
  general_value: '一般价值客户',
  general_develop: '一般发展客户',
  general_keep: '一般保持客户',
  general_retain: '一般挽留客户',
}
export const ACTIVITY_LABEL: Record<string, string> = {
  '3d': '3天内活跃',
  '7d': '7天内活跃',
  '14d': '14天内活跃',
  inactive: '不活跃',
}
export const PRICE_LABEL: Record<string, string> = {
  low: '价格敏感度低',
  medium: '价格敏感度中',
  high: '价格敏感度高',
}
export const PURCHASE_LABEL: Record<string, string> = {
  bought: '已购',
  not_bought: '未购',
  value_low: '累计消费低',
  value_mid: '累计消费中',
  value_high: '累计消费高',
  freq_once: '首单客户',
  freq_repeat: '复购客户',
  freq_frequent: '高频复购',
  interval_monthly: '月度回购',
  interval_quarterly: '季度回购',
  interval_long: '回购间隔长',
}

const BASE = '/api/admin/segments'

export async function fetchSegmentOverview(): Promise<SegmentOverview> {
  return (await http.get<SegmentOverview>(`${BASE}/overview`)).data
}
export async function fetchTiers(): Promise<MemberTier[]> {
  return (await http.get<{ items: MemberTier[] }>(`${BASE}/tiers`)).data.items
}
export async function saveTiers(items: MemberTierInput[]): Promise<MemberTier[]> {
  return (await http.put<{ items: MemberTier[] }>(`${BASE}/tiers`, { items })).data.items
}
export async function fetchSegmentSettings(): Promise<SegmentSettings> {
  return (await http.get<SegmentSettings>(`${BASE}/settings`)).data
}
export async function saveSegmentSettings(s: SegmentSettings): Promise<SegmentSettings> {
  return (await http.put<SegmentSettings>(`${BASE}/settings`, s)).data
}
/** Runs the full recompute now (waits for it; a few seconds to a minute). */
export async function recomputeSegments(): Promise<RecomputeResult> {
  return (await http.post<RecomputeResult>(`${BASE}/recompute`, undefined, { timeout: 300_000 })).data
}
export async function fetchScriptStats(
  dimension: SegmentDimension,
  days: number,
): Promise<ScriptStatsReport> {
  return (await http.get<ScriptStatsReport>(`${BASE}/script-stats`, { params: { dimension, days } })).data
}

export async function fetchCustomerSegment(externalUserId: string): Promise<CustomerSegmentView> {
  const { data } = await http.get<CustomerSegmentView>(
    `/api/sidebar/customers/${encodeURIComponent(externalUserId)}/segment`,
  )
  return data
}
