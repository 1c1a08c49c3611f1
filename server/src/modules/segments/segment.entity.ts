import { EntitySchema, type ValueTransformer } from 'typeorm'

// bigint columns come back as strings from mysql2; amounts here stay far below 2^53.
const bigintNumber: ValueTransformer = {
  to: (v: number | null) => v,
  from: (v: string | number | null) => (v === null ? null : Number(v)),
}

/** One customer's computed segments (written only by the recompute; others read it). */
export interface CustomerSegmentRow {
  externalUserId: string
  tierId: number | null
  tierName: string | null
  rfmGroup: string | null
  rScore: number | null
  fScore: number | null
  mScore: number | null
  activity: string
  lastInteractionAt: Date | null
  priceSensitivity: string | null
  orderCount: number
  totalCents: number
  lastOrderAt: Date | null
  avgIntervalDays: number | null
  computedAt: Date
}

export const CustomerSegmentEntity = new EntitySchema<CustomerSegmentRow>({
  name: 'CustomerSegment',
  tableName: 'customer_segment',
  columns: {
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64, primary: true },
    tierId: { name: 'tier_id', type: 'integer', nullable: true },
    tierName: { name: 'tier_name', type: 'varchar', length: 32, nullable: true },
    rfmGroup: { name: 'rfm_group', type: 'varchar', length: 32, nullable: true },
    rScore: { name: 'r_score', type: 'integer', nullable: true },
    fScore: { name: 'f_score', type: 'integer', nullable: true },
    mScore: { name: 'm_score', type: 'integer', nullable: true },
    activity: { type: 'varchar', length: 12, default: 'inactive' },
    lastInteractionAt: { name: 'last_interaction_at', type: 'datetime', nullable: true },
    priceSensitivity: { name: 'price_sensitivity', type: 'varchar', length: 8, nullable: true },
    orderCount: { name: 'order_count', type: 'integer', default: 0 },
    totalCents: { name: 'total_cents', type: 'bigint', default: 0, transformer: bigintNumber },
    lastOrderAt: { name: 'last_order_at', type: 'datetime', nullable: true },
    avgIntervalDays: { name: 'avg_interval_days', type: 'integer', nullable: true },
    computedAt: { name: 'computed_at', type: 'datetime' },
  },
})

export interface MemberTierRow {
  id: number
  name: string
  minSpendCents: number
  minOrders: number
  rank: number
  groupCodeId: number | null
  createdAt: Date
  updatedAt: Date
}

export const MemberTierEntity = new EntitySchema<MemberTierRow>({
  name: 'MemberTier',
  tableName: 'member_tier',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    name: { type: 'varchar', length: 32 },
    minSpendCents: { name: 'min_spend_cents', type: 'bigint', default: 0, transformer: bigintNumber },
    minOrders: { name: 'min_orders', type: 'integer', default: 0 },
    rank: { name: 'tier_rank', type: 'integer' },
    groupCodeId: { name: 'group_code_id', type: 'integer', nullable: true },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
})

/** A segment value mirrored to a WeCom corp tag (dimension tier: value = tier id). */
export interface SegmentTagRow {
  dimension: string
  value: string
  tagId: string
}

export const SegmentTagEntity = new EntitySchema<SegmentTagRow>({
  name: 'SegmentTag',
  tableName: 'segment_tag',
  columns: {
    dimension: { type: 'varchar', length: 16, primary: true },
    value: { type: 'varchar', length: 32, primary: true },
    tagId: { name: 'tag_id', type: 'varchar', length: 64 },
  },
})

export interface SegmentSettingRow {
  name: string
  value: string
}

export const SegmentSettingEntity = new EntitySchema<SegmentSettingRow>({
  name: 'SegmentSetting',
  tableName: 'segment_setting',
  columns: {
    name: { type: 'varchar', length: 64, primary: true },
    value: { type: 'text' },
  },
})

export interface SegmentRunRow {
  id: number
  kind: string
  startedAt: Date
  finishedAt: Date | null
  durationMs: number | null
  customers: number
  error: string | null
}

export const SegmentRunEntity = new EntitySchema<SegmentRunRow>({
  name: 'SegmentRun',
  tableName: 'segment_run',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    kind: { type: 'varchar', length: 16 },
    startedAt: { name: 'started_at', type: 'datetime' },
    finishedAt: { name: 'finished_at', type: 'datetime', nullable: true },
    durationMs: { name: 'duration_ms', type: 'integer', nullable: true },
    customers: { type: 'integer', default: 0 },
    error: { type: 'text', nullable: true },
  },
})

/** An advisor task: invite this customer to the group of the tier's group code (VIP group). */
export interface SegmentInviteRow {
  id: number
  externalUserId: string
  userId: string
  tierId: number
  groupCodeId: number
  status: 'pending' | 'done'
  createdAt: Date
  doneAt: Date | null
}

export const SegmentInviteEntity = new EntitySchema<SegmentInviteRow>({
  name: 'SegmentInvite',
  tableName: 'segment_invite',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64 },
    userId: { name: 'user_id', type: 'varchar', length: 64 },
    tierId: { name: 'tier_id', type: 'integer' },
    groupCodeId: { name: 'group_code_id', type: 'integer' },
    status: { type: 'varchar', length: 16, default: 'pending' },
    createdAt: { name: 'created_at', type: 'datetime' },
    doneAt: { name: 'done_at', type: 'datetime', nullable: true },
  },
})
