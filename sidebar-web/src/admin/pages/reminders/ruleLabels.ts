import {
  ACTIVITY_BANDS,
  ACTIVITY_LABEL,
  PRICE_LABEL,
  PRICE_SENSITIVITIES,
  RFM_GROUPS,
  RFM_LABEL,
} from '@scrm/shared'

// Values as the segments module stores them in customer_segment (tiers are the admin's own names).
export const SEGMENT_OPTIONS: Record<string, { label: string; values: readonly string[] }> = {
  tier: { label: '会员等级', values: [] },
  rfm: { label: 'RFM 分组', values: RFM_GROUPS },
  activity: { label: '活跃度', values: ACTIVITY_BANDS },
  price: { label: '价格敏感度', values: PRICE_SENSITIVITIES },
}
export const VALUE_LABEL: Record<string, string> = { ...RFM_LABEL, ...ACTIVITY_LABEL, ...PRICE_LABEL }

/** A completion rate as a whole percentage, `—` when nothing was due yet. */
export const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`)
