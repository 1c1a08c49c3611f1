import {
  ACTIVITY_LABEL as SHARED_ACTIVITY_LABEL,
  DIMENSION_LABEL as SHARED_DIMENSION_LABEL,
  PRICE_LABEL as SHARED_PRICE_LABEL,
  PURCHASE_LABEL as SHARED_PURCHASE_LABEL,
  RFM_LABEL as SHARED_RFM_LABEL,
} from '@scrm/shared/segment-labels'
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

// From the schema-free labels module, so the sidebar bundle stays free of TypeBox. Widened to string
// keys for lookups by API values.
export const DIMENSION_LABEL: Record<SegmentDimension, string> = SHARED_DIMENSION_LABEL
export const RFM_LABEL: Record<string, string> = SHARED_RFM_LABEL
export const ACTIVITY_LABEL: Record<string, string> = SHARED_ACTIVITY_LABEL
export const PRICE_LABEL: Record<string, string> = SHARED_PRICE_LABEL
export const PURCHASE_LABEL: Record<string, string> = SHARED_PURCHASE_LABEL

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
