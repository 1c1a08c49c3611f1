// Segments (客户分层): member tiers, RFM groups, activity, price sensitivity and purchase tags, computed
// from orders and interactions. Schemas shared by the server routes and the web app.
import { Type, type Static } from 'typebox'
import { IsoDate, NullableIsoDate } from './common.ts'

export * from './segment-labels.ts'

export const SegmentDimensionSchema = Type.Union([
  Type.Literal('tier'),
  Type.Literal('rfm'),
  Type.Literal('activity'),
  Type.Literal('price'),
  Type.Literal('purchase'),
])

export const MemberTier = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  /** Last calendar month's paid spend needed, in cents (0: no spend condition). */
  minSpendCents: Type.Integer(),
  /** Last calendar month's paid orders needed (0: no count condition). */
  minOrders: Type.Integer(),
  /** Higher rank = better tier; a customer gets the best tier whose conditions they all meet. */
  rank: Type.Integer(),
  /** Group code (群活码) whose group the tier's customers are invited to, e.g. the VIP group. */
  groupCodeId: Type.Union([Type.Integer(), Type.Null()]),
})
export type MemberTier = Static<typeof MemberTier>

export const MemberTierInput = Type.Object(
  {
    id: Type.Optional(Type.Integer({ minimum: 1 })),
    name: Type.String({ minLength: 1, maxLength: 24 }),
    minSpendCents: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
    minOrders: Type.Integer({ minimum: 0, maximum: 100_000 }),
    rank: Type.Integer({ minimum: 1, maximum: 100 }),
    groupCodeId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  },
  { additionalProperties: false },
)
export type MemberTierInput = Static<typeof MemberTierInput>

export const SegmentSettings = Type.Object(
  {
    /** Share of a customer's orders with a discount or coupon at or above which sensitivity is high. */
    priceHighShare: Type.Number({ minimum: 0, maximum: 1 }),
    /** Share at or below which sensitivity is low; in between is medium. */
    priceLowShare: Type.Number({ minimum: 0, maximum: 1 }),
    /** Total spend bands (cents): below mid → low, below high → mid, else high. */
    valueMidCents: Type.Integer({ minimum: 0 }),
    valueHighCents: Type.Integer({ minimum: 0 }),
    /** Orders: 1 → once, up to this → repeat, above → frequent. */
    frequentOrders: Type.Integer({ minimum: 2 }),
    /** Average days between orders: ≤ monthly → monthly, ≤ quarterly → quarterly, else long. */
    intervalMonthlyDays: Type.Integer({ minimum: 1 }),
    intervalQuarterlyDays: Type.Integer({ minimum: 1 }),
    /** Mirror segments to WeCom corp tags (in the tag group below), for these dimensions. */
    mirrorEnabled: Type.Boolean(),
    mirrorDimensions: Type.Array(SegmentDimensionSchema),
  },
  { additionalProperties: false },
)
export type SegmentSettings = Static<typeof SegmentSettings>

export const SegmentCount = Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() })
export type SegmentCount = Static<typeof SegmentCount>

export const SegmentRun = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  startedAt: IsoDate,
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  customers: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
})
export type SegmentRun = Static<typeof SegmentRun>

export const TagMirrorStatus = Type.Object({
  enabled: Type.Boolean(),
  dimensions: Type.Array(SegmentDimensionSchema),
  groupId: Type.Union([Type.String(), Type.Null()]),
  groupName: Type.String(),
  mappedTags: Type.Integer(),
  /** Follows whose tags still need a mark_tag call. */
  pending: Type.Integer(),
  failed: Type.Integer(),
  lastSyncAt: NullableIsoDate,
  lastApplied: Type.Integer(),
})
export type TagMirrorStatus = Static<typeof TagMirrorStatus>

export const SegmentOverview = Type.Object({
  customers: Type.Integer(),
  buyers: Type.Integer(),
  tiers: Type.Array(SegmentCount),
  rfm: Type.Array(SegmentCount),
  activity: Type.Array(SegmentCount),
  price: Type.Array(SegmentCount),
  purchase: Type.Array(SegmentCount),
  lastRun: Type.Union([SegmentRun, Type.Null()]),
  /** Last calendar month the tiers were computed from (YYYY-MM, Asia/Shanghai). */
  tierMonth: Type.String(),
  pendingInvites: Type.Integer(),
  mirror: TagMirrorStatus,
})
export type SegmentOverview = Static<typeof SegmentOverview>

export const ScriptSegmentStat = Type.Object({
  scriptId: Type.Integer(),
  title: Type.String(),
  value: Type.String(),
  label: Type.String(),
  uses: Type.Integer(),
  customers: Type.Integer(),
  /** Uses followed by a paid order from that customer within 7 days. */
  converted: Type.Integer(),
  conversionRate: Type.Number(),
})
export type ScriptSegmentStat = Static<typeof ScriptSegmentStat>

export const ScriptStatsReport = Type.Object({
  dimension: SegmentDimensionSchema,
  days: Type.Integer(),
  /** Per segment value, all scripts together. */
  bySegment: Type.Array(
    Type.Object({
      value: Type.String(),
      label: Type.String(),
      uses: Type.Integer(),
      customers: Type.Integer(),
      converted: Type.Integer(),
      conversionRate: Type.Number(),
    }),
  ),
  rows: Type.Array(ScriptSegmentStat),
  /** No reply signal exists without WeCom's message archive; conversion is the stand-in. */
  note: Type.String(),
})
export type ScriptStatsReport = Static<typeof ScriptStatsReport>

/** One customer's segments, as the sidebar shows them. */
export const CustomerSegmentView = Type.Object({
  externalUserId: Type.String(),
  computedAt: NullableIsoDate,
  tier: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  rfmGroup: Type.Union([Type.String(), Type.Null()]),
  rfmLabel: Type.Union([Type.String(), Type.Null()]),
  scores: Type.Union([Type.Object({ r: Type.Integer(), f: Type.Integer(), m: Type.Integer() }), Type.Null()]),
  activity: Type.String(),
  lastInteractionAt: NullableIsoDate,
  priceSensitivity: Type.Union([Type.String(), Type.Null()]),
  orderCount: Type.Integer(),
  totalCents: Type.Integer(),
  lastOrderAt: NullableIsoDate,
  avgIntervalDays: Type.Union([Type.Integer(), Type.Null()]),
  /** Purchase tags (codes of PURCHASE_VALUES). */
  purchase: Type.Array(Type.String()),
})
export type CustomerSegmentView = Static<typeof CustomerSegmentView>

export const RecomputeResult = Type.Object({
  ran: Type.Boolean(),
  run: Type.Union([SegmentRun, Type.Null()]),
})
export type RecomputeResult = Static<typeof RecomputeResult>
