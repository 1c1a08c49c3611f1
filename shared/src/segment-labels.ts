// Segment values and their Chinese labels, free of schemas so that the sidebar can import them
// (`@scrm/shared/segment-labels`) without pulling TypeBox into its bundle.

export const RFM_GROUPS = [
  'important_value',
  'important_develop',
  'important_keep',
  'important_retain',
  'general_value',
  'general_develop',
  'general_keep',
  'general_retain',
] as const
export type RfmGroup = (typeof RFM_GROUPS)[number]

/** R/F/M high (score ≥ 3) or low → the usual 8 groups. */
export const RFM_LABEL: Record<RfmGroup, string> = {
  important_value: '重要价值客户', // R↑ F↑ M↑
  important_develop: '重要发展客户', // R↑ F↓ M↑
  important_keep: '重要保持客户', // R↓ F↑ M↑
  important_retain: '重要挽留客户', // R↓ F↓ M↑
  general_value: '一般价值客户', // R↑ F↑ M↓
  general_develop: '一般发展客户', // R↑ F↓ M↓
  general_keep: '一般保持客户', // R↓ F↑ M↓
  general_retain: '一般挽留客户', // R↓ F↓ M↓
}

export const ACTIVITY_BANDS = ['3d', '7d', '14d', 'inactive'] as const
export type ActivityBand = (typeof ACTIVITY_BANDS)[number]
export const ACTIVITY_LABEL: Record<ActivityBand, string> = {
  '3d': '3天内活跃',
  '7d': '7天内活跃',
  '14d': '14天内活跃',
  inactive: '不活跃',
}

export const PRICE_SENSITIVITIES = ['low', 'medium', 'high'] as const
export type PriceSensitivity = (typeof PRICE_SENSITIVITIES)[number]
export const PRICE_LABEL: Record<PriceSensitivity, string> = {
  low: '价格敏感度低',
  medium: '价格敏感度中',
  high: '价格敏感度高',
}

/** Purchase tags derived from order_count / total_cents / avg_interval_days. */
export const PURCHASE_VALUES = [
  'bought',
  'not_bought',
  'value_low',
  'value_mid',
  'value_high',
  'freq_once',
  'freq_repeat',
  'freq_frequent',
  'interval_monthly',
  'interval_quarterly',
  'interval_long',
] as const
export type PurchaseValue = (typeof PURCHASE_VALUES)[number]
export const PURCHASE_LABEL: Record<PurchaseValue, string> = {
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

/** The dimensions that can be mirrored to WeCom corp tags. */
export const SEGMENT_DIMENSIONS = ['tier', 'rfm', 'activity', 'price', 'purchase'] as const
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number]
export const DIMENSION_LABEL: Record<SegmentDimension, string> = {
  tier: '会员等级',
  rfm: 'RFM',
  activity: '活跃度',
  price: '价格敏感度',
  purchase: '购买',
}
