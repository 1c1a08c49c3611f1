// The chat sidebar's customer and group views, the script library (话术库) and the product library
// (商品库): schemas shared by the server routes and the web app.
import { Type, type Static } from 'typebox'
import { IsoDate, NullableIsoDate } from './common.ts'

/** Life-path nodes scripts are organised by: 承接 → 互动 → 转化 → 复购. */
export const LIFE_NODES = ['takeover', 'interaction', 'conversion', 'repurchase'] as const
export type LifeNode = (typeof LIFE_NODES)[number]
export const LifeNodeSchema = Type.Union([
  Type.Literal('takeover'),
  Type.Literal('interaction'),
  Type.Literal('conversion'),
  Type.Literal('repurchase'),
])

export const ProfileTag = Type.Object({ tagId: Type.String(), name: Type.String() })
export const ProfileTagGroup = Type.Object({
  groupId: Type.String(),
  name: Type.String(),
  tags: Type.Array(ProfileTag),
})
export type ProfileTagGroup = Static<typeof ProfileTagGroup>

export const CustomerNote = Type.Object({
  id: Type.Integer(),
  kind: Type.Union([Type.Literal('note'), Type.Literal('follow_up')]),
  content: Type.String(),
  createdAt: IsoDate,
})
export type CustomerNote = Static<typeof CustomerNote>

export const NewCustomerNote = Type.Object({
  kind: Type.Optional(Type.Union([Type.Literal('note'), Type.Literal('follow_up')])),
  content: Type.String({ minLength: 1, maxLength: 1000 }),
})
export type NewCustomerNote = Static<typeof NewCustomerNote>

export const CustomerStage = Type.Object({
  node: LifeNodeSchema,
  /** Tag ids that place the customer in a segment; scripts for these segments rank first. */
  segmentTagIds: Type.Array(Type.String()),
})
export type CustomerStage = Static<typeof CustomerStage>

/** The customer view: one customer as this advisor follows them. */
export const CustomerProfile = Type.Object({
  externalUserId: Type.String(),
  name: Type.String(),
  avatar: Type.String(),
  type: Type.Integer(),
  corpName: Type.Union([Type.String(), Type.Null()]),
  remark: Type.String(),
  description: Type.String(),
  addTime: IsoDate,
  state: Type.String(),
  channelName: Type.Union([Type.String(), Type.Null()]),
  /** Tags on this advisor's follow, by tag group (in the corp's tag-group order). */
  tagGroups: Type.Array(ProfileTagGroup),
  groups: Type.Array(
    Type.Object({ chatId: Type.String(), name: Type.String(), memberCount: Type.Integer() }),
  ),
  otherAdvisors: Type.Array(Type.Object({ userId: Type.String(), name: Type.String() })),
  stage: CustomerStage,
  notes: Type.Array(CustomerNote),
})
export type CustomerProfile = Static<typeof CustomerProfile>

export const TagChange = Type.Object({ tagId: Type.String({ minLength: 1, maxLength: 64 }) })

export const GROUP_MEMBER_CAP = 200

/** The group view: a customer group the advisor owns or administers. */
export const GroupProfile = Type.Object({
  chatId: Type.String(),
  name: Type.String(),
  ownerUserId: Type.String(),
  ownerName: Type.String(),
  memberCount: Type.Integer(),
  memberCap: Type.Integer(),
  notice: Type.Union([Type.String(), Type.Null()]),
  role: Type.Union([Type.Literal('owner'), Type.Literal('admin')]),
  /** Members who are customers of this corp (followed by anyone), with the tags their follows carry. */
  customers: Type.Array(
    Type.Object({
      externalUserId: Type.String(),
      name: Type.String(),
      avatar: Type.String(),
      joinTime: IsoDate,
      followedByMe: Type.Boolean(),
      tags: Type.Array(Type.Object({ tagId: Type.String(), name: Type.String(), groupName: Type.String() })),
    }),
  ),
})
export type GroupProfile = Static<typeof GroupProfile>

// ── Scripts (话术库) ────────────────────────────────────────────────────────────────────────────────

export const SCRIPT_KINDS = ['text', 'image', 'file'] as const
export type ScriptKind = (typeof SCRIPT_KINDS)[number]
export const ScriptKindSchema = Type.Union([
  Type.Literal('text'),
  Type.Literal('image'),
  Type.Literal('file'),
])

export const ScriptLibrary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  order: Type.Integer(),
  scriptCount: Type.Integer(),
})
export type ScriptLibrary = Static<typeof ScriptLibrary>

export const ScriptLibraryInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  order: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999 })),
})

export const Script = Type.Object({
  id: Type.Integer(),
  libraryId: Type.Integer(),
  libraryName: Type.String(),
  title: Type.String(),
  kind: ScriptKindSchema,
  /** The text for text scripts; a caption for image/file scripts. */
  content: Type.String(),
  node: LifeNodeSchema,
  segmentTagId: Type.Union([Type.String(), Type.Null()]),
  segmentTagName: Type.Union([Type.String(), Type.Null()]),
  mediaName: Type.Union([Type.String(), Type.Null()]),
  mediaCreatedAt: NullableIsoDate,
  useCount: Type.Integer(),
  updatedAt: IsoDate,
})
export type Script = Static<typeof Script>

export const ScriptInput = Type.Object({
  libraryId: Type.Integer({ minimum: 1 }),
  title: Type.String({ minLength: 1, maxLength: 128 }),
  kind: Type.Optional(ScriptKindSchema),
  content: Type.String({ maxLength: 4000 }),
  node: LifeNodeSchema,
  segmentTagId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  /** For image/file scripts: the file, base64, uploaded to WeCom with media/upload. */
  media: Type.Optional(
    Type.Object({
      name: Type.String({ minLength: 1, maxLength: 128 }),
      base64: Type.String({ minLength: 4, maxLength: 700_000 }),
    }),
  ),
})
export type ScriptInput = Static<typeof ScriptInput>

export const ScriptImport = Type.Object({
  libraryId: Type.Integer({ minimum: 1 }),
  items: Type.Array(
    Type.Object({
      title: Type.String({ minLength: 1, maxLength: 128 }),
      content: Type.String({ minLength: 1, maxLength: 4000 }),
      node: LifeNodeSchema,
      segmentTagId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    }),
    { minItems: 1, maxItems: 200 },
  ),
})
export type ScriptImport = Static<typeof ScriptImport>

export const SCRIPT_SORTS = ['recommended', 'most_used', 'newest'] as const
export type ScriptSort = (typeof SCRIPT_SORTS)[number]

/** A script as the sidebar lists it: `fit` says why it ranks where it does. */
export const RankedScript = Type.Intersect([
  Script,
  Type.Object({
    fit: Type.Union([
      Type.Literal('node_segment'),
      Type.Literal('node'),
      Type.Literal('segment'),
      Type.Literal('other'),
    ]),
  }),
])
export type RankedScript = Static<typeof RankedScript>

export const SidebarScripts = Type.Object({
  stage: Type.Union([CustomerStage, Type.Null()]),
  items: Type.Array(RankedScript),
})
export type SidebarScripts = Static<typeof SidebarScripts>

/** Where a script or product is being sent: the current 1v1 customer or the current group. */
export const SendTarget = Type.Object({
  externalUserId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  chatId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
})
export type SendTarget = Static<typeof SendTarget>

/** The argument of ww.sendChatMessage, built by the server (fresh media ids, tracked links). */
export const ChatMessagePayload = Type.Union([
  Type.Object({ msgtype: Type.Literal('text'), text: Type.Object({ content: Type.String() }) }),
  Type.Object({ msgtype: Type.Literal('image'), image: Type.Object({ mediaid: Type.String() }) }),
  Type.Object({ msgtype: Type.Literal('file'), file: Type.Object({ mediaid: Type.String() }) }),
  Type.Object({
    msgtype: Type.Literal('news'),
    news: Type.Object({
      link: Type.String(),
      title: Type.String(),
      desc: Type.String(),
      imgUrl: Type.String(),
    }),
  }),
  Type.Object({
    msgtype: Type.Literal('miniprogram'),
    miniprogram: Type.Object({
      appid: Type.String(),
      title: Type.String(),
      imgUrl: Type.String(),
      page: Type.String(),
    }),
  }),
])
export type ChatMessagePayload = Static<typeof ChatMessagePayload>

export const SendResult = Type.Object({ message: ChatMessagePayload })
export type SendResult = Static<typeof SendResult>

// ── Products (商品库) ───────────────────────────────────────────────────────────────────────────────

export const Product = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  priceCents: Type.Integer(),
  imageUrl: Type.String(),
  link: Type.String(),
  miniAppId: Type.Union([Type.String(), Type.Null()]),
  miniPage: Type.Union([Type.String(), Type.Null()]),
  sku: Type.Union([Type.String(), Type.Null()]),
  cycleDays: Type.Union([Type.Integer(), Type.Null()]),
  /** Run-out reminders: units one cycle covers, and days before run-out to remind. */
  unitsPerOrder: Type.Optional(Type.Integer()),
  remindDaysBefore: Type.Optional(Type.Integer()),
  tags: Type.Array(Type.String()),
  sendCount: Type.Integer(),
  updatedAt: IsoDate,
})
export type Product = Static<typeof Product>

export const ProductInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  priceCents: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  imageUrl: Type.String({ maxLength: 512 }),
  link: Type.String({ minLength: 8, maxLength: 512, pattern: '^https?://' }),
  miniAppId: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  miniPage: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
  sku: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  cycleDays: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()])),
  unitsPerOrder: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  remindDaysBefore: Type.Optional(Type.Integer({ minimum: 0, maximum: 90 })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 20 })),
})
export type ProductInput = Static<typeof ProductInput>

export const ProductSendInput = Type.Intersect([
  SendTarget,
  Type.Object({ msgtype: Type.Union([Type.Literal('news'), Type.Literal('miniprogram')]) }),
])
export type ProductSendInput = Static<typeof ProductSendInput>

export const ProductSend = Type.Object({
  id: Type.Integer(),
  productId: Type.Integer(),
  productName: Type.String(),
  msgtype: Type.String(),
  userId: Type.String(),
  sentAt: IsoDate,
})
export type ProductSend = Static<typeof ProductSend>
