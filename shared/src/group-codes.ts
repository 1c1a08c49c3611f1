// Group codes (群活码), group welcome, stores by location and group stats: API shapes shared by the
// server (route validation) and the admin console / store landing page.
import { Type, type Static } from 'typebox'
import { IsoDate } from './common.ts'

/** WeCom holds at most this many groups in one join way. */
export const GROUP_JOIN_WAY_MAX = 5
/** WeCom's hard member limit of a customer group, and the highest threshold we accept. */
export const GROUP_MEMBER_LIMIT = 200
/** group_welcome_template text limit, in UTF-8 bytes. */
export const GROUP_WELCOME_TEXT_MAX_BYTES = 4000

const Str = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max })

export const GroupWelcomeAttachment = Type.Union([
  Type.Object({ type: Type.Literal('image'), picUrl: Str(2048, 1) }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('link'),
      title: Str(128, 1),
      url: Str(2048, 1),
      picUrl: Type.Optional(Str(2048)),
      desc: Type.Optional(Str(512)),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('miniprogram'),
      title: Str(64, 1),
      appid: Str(64, 1),
      page: Str(512, 1),
      picMediaId: Type.Optional(Str(128)),
    },
    { additionalProperties: false },
  ),
])
export type GroupWelcomeAttachment = Static<typeof GroupWelcomeAttachment>

/** Group welcome (入群欢迎语). `text` may hold `{name}` (the joining member's nickname); ≤4000 bytes. */
export const GroupWelcome = Type.Object(
  {
    // Characters are capped loosely here; the 4000-byte limit is checked by the server (clear 400).
    text: Type.String({ maxLength: 4000 }),
    attachment: Type.Optional(GroupWelcomeAttachment),
  },
  { additionalProperties: false },
)
export type GroupWelcome = Static<typeof GroupWelcome>

export const GroupCodeInput = Type.Object(
  {
    name: Str(30, 1),
    /** Ordered pool of existing customer groups (chat ids); the first non-full ones go live. */
    chatIds: Type.Array(Str(64, 1), { minItems: 1, maxItems: 1000 }),
    threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: GROUP_MEMBER_LIMIT, default: 200 })),
    autoCreate: Type.Boolean(),
    roomBaseName: Type.Optional(Str(40)),
    roomBaseId: Type.Optional(Type.Integer({ minimum: 1 })),
    welcome: Type.Optional(Type.Union([GroupWelcome, Type.Null()])),
  },
  { additionalProperties: false },
)
export type GroupCodeInput = Static<typeof GroupCodeInput>

export const GroupCodeSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  threshold: Type.Integer(),
  autoCreate: Type.Boolean(),
  roomBaseName: Type.String(),
  roomBaseId: Type.Union([Type.Integer(), Type.Null()]),
  /** WeCom's join way config_id. */
  configId: Type.String(),
  /** The permanent QR code URL WeCom returned (download through /group-codes/:id/qr.png). */
  qrCode: Type.String(),
  /** Chat ids currently in the join way (≤5). */
  liveChatIds: Type.Array(Type.String()),
  poolSize: Type.Integer(),
  /** Pool groups at or above the threshold. */
  fullCount: Type.Integer(),
  /** Members across the pool's groups. */
  members: Type.Integer(),
  /** Joins into the pool's groups today (Asia/Shanghai). */
  joinsToday: Type.Integer(),
  createdAt: IsoDate,
})
export type GroupCodeSummary = Static<typeof GroupCodeSummary>

export const GroupCodeList = Type.Object({ items: Type.Array(GroupCodeSummary) })
export type GroupCodeList = Static<typeof GroupCodeList>

export const GROUP_POOL_SOURCES = ['admin', 'auto_created'] as const
export type GroupPoolSource = (typeof GROUP_POOL_SOURCES)[number]

export const GroupCodePoolItem = Type.Object({
  chatId: Type.String(),
  name: Type.String(),
  ownerUserId: Type.String(),
  ownerName: Type.String(),
  memberCount: Type.Integer(),
  /** 0-based order in the pool. */
  position: Type.Integer(),
  /** Currently listed in the join way. */
  live: Type.Boolean(),
  /** memberCount >= threshold. */
  full: Type.Boolean(),
  source: Type.Union([Type.Literal('admin'), Type.Literal('auto_created')]),
  /** The mirrored group's status ('active', 'dismissed', ...). */
  status: Type.String(),
})
export type GroupCodePoolItem = Static<typeof GroupCodePoolItem>

export const GROUP_CODE_HISTORY_KINDS = [
  'created',
  'rotated',
  'auto_created',
  'reconciled',
  'update_failed',
  'welcome_synced',
] as const
export type GroupCodeHistoryKind = (typeof GROUP_CODE_HISTORY_KINDS)[number]

export const GroupCodeHistoryItem = Type.Object({
  at: IsoDate,
  kind: Type.Union([
    Type.Literal('created'),
    Type.Literal('rotated'),
    Type.Literal('auto_created'),
    Type.Literal('reconciled'),
    Type.Literal('update_failed'),
    Type.Literal('welcome_synced'),
  ]),
  /** Human-readable detail (Chinese), e.g. which groups left / joined the join way. */
  detail: Type.String(),
})
export type GroupCodeHistoryItem = Static<typeof GroupCodeHistoryItem>

export const GroupCodeDetail = Type.Intersect([
  GroupCodeSummary,
  Type.Object({
    pool: Type.Array(GroupCodePoolItem),
    history: Type.Array(GroupCodeHistoryItem),
    welcome: Type.Union([GroupWelcome, Type.Null()]),
  }),
])
export type GroupCodeDetail = Static<typeof GroupCodeDetail>

// ---- Stats ----

const Ymd = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

export const GroupStatsQuery = Type.Object({
  from: Ymd,
  to: Ymd,
  groupCodeId: Type.Optional(Type.Integer({ minimum: 1 })),
  ownerUserId: Type.Optional(Str(64, 1)),
})
export type GroupStatsQuery = Static<typeof GroupStatsQuery>

export const GroupStatsDay = Type.Object({
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: Type.String(),
  joins: Type.Integer(),
  /** Join scene 0/1: invited by a member / staff. */
  joinsByInvite: Type.Integer(),
  /** Join scene 3: scanned a group QR. */
  joinsByQr: Type.Integer(),
  quits: Type.Integer(),
  net: Type.Integer(),
  /** Members at the end of that day (latest snapshot). */
  members: Type.Integer(),
})
export type GroupStatsDay = Static<typeof GroupStatsDay>

export const GroupStatsGroup = Type.Object({
  chatId: Type.String(),
  name: Type.String(),
  ownerUserId: Type.String(),
  joins: Type.Integer(),
  quits: Type.Integer(),
  net: Type.Integer(),
  members: Type.Integer(),
})
export type GroupStatsGroup = Static<typeof GroupStatsGroup>

export const GroupStatsOwner = Type.Object({
  ownerUserId: Type.String(),
  ownerName: Type.String(),
  groups: Type.Integer(),
  joins: Type.Integer(),
  quits: Type.Integer(),
  net: Type.Integer(),
  members: Type.Integer(),
})
export type GroupStatsOwner = Static<typeof GroupStatsOwner>

export const GroupStats = Type.Object({
  days: Type.Array(GroupStatsDay),
  groups: Type.Array(GroupStatsGroup),
  owners: Type.Array(GroupStatsOwner),
})
export type GroupStats = Static<typeof GroupStats>

// ---- Stores (store groups by location) ----

export const StoreInput = Type.Object(
  {
    name: Str(64, 1),
    address: Str(256),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    groupCodeId: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
)
export type StoreInput = Static<typeof StoreInput>

export const StoreItem = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  address: Type.String(),
  lat: Type.Number(),
  lng: Type.Number(),
  groupCodeId: Type.Integer(),
  groupCodeName: Type.String(),
  /** Public URL of the store's group QR PNG (no auth). */
  qrUrl: Type.String(),
  createdAt: IsoDate,
})
export type StoreItem = Static<typeof StoreItem>

export const StoreList = Type.Object({ items: Type.Array(StoreItem) })
export type StoreList = Static<typeof StoreList>

export const NearestStoreQuery = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lng: Type.Number({ minimum: -180, maximum: 180 }),
  radiusKm: Type.Optional(Type.Number({ minimum: 0.1, maximum: 100, default: 3 })),
})
export type NearestStoreQuery = Static<typeof NearestStoreQuery>

export const PublicStore = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  address: Type.String(),
  distanceKm: Type.Number(),
  /** Public URL of the group QR PNG, e.g. /api/public/group-codes/3/qr.png */
  qrUrl: Type.String(),
})
export type PublicStore = Static<typeof PublicStore>

export const NearestStores = Type.Object({
  /** The closest store within radiusKm, or null (then the page shows `stores` to choose from). */
  nearest: Type.Union([
    Type.Object({ store: PublicStore, distanceKm: Type.Number(), qrUrl: Type.String() }),
    Type.Null(),
  ]),
  /** Every store, closest first. */
  stores: Type.Array(PublicStore),
})
export type NearestStores = Static<typeof NearestStores>
