// The acquisition API's shapes (channel codes, welcomes, lost customers, numbers): route schemas on the
// server (request bodies are validated without coercion) and types in the web app.
import { Type, type Static } from 'typebox'
import { IsoDate, NullableIsoDate } from './common.ts'

const Str = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max })

/** WeCom's attachment shapes for send_welcome_msg; images take a media_id or a permanent pic_url. */
export const Attachment = Type.Union([
  Type.Object(
    {
      msgtype: Type.Literal('image'),
      image: Type.Union([
        Type.Object({ media_id: Str(128, 1) }, { additionalProperties: false }),
        Type.Object({ pic_url: Str(1024, 1) }, { additionalProperties: false }),
      ]),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      msgtype: Type.Literal('link'),
      link: Type.Object(
        {
          title: Str(128, 1),
          url: Str(2048, 1),
          picurl: Type.Optional(Str(2048)),
          desc: Type.Optional(Str(512)),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      msgtype: Type.Literal('miniprogram'),
      miniprogram: Type.Object(
        { title: Str(64, 1), pic_media_id: Str(128, 1), appid: Str(64, 1), page: Str(512, 1) },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      msgtype: Type.Literal('video'),
      video: Type.Object({ media_id: Str(128, 1) }, { additionalProperties: false }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      msgtype: Type.Literal('file'),
      file: Type.Object({ media_id: Str(128, 1) }, { additionalProperties: false }),
    },
    { additionalProperties: false },
  ),
])
export type Attachment = Static<typeof Attachment>

// maxItems is left to the service, so "more than 9 attachments" gets its own clear error code.
export const WelcomeBody = Type.Object(
  { text: Type.String({ maxLength: 8000 }), attachments: Type.Array(Attachment, { maxItems: 50 }) },
  { additionalProperties: false },
)
export type WelcomeBody = Static<typeof WelcomeBody>

export const GiftBody = Type.Object(
  {
    enabled: Type.Boolean(),
    dailyQuota: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    windowHours: Type.Union([Type.Integer({ minimum: 1, maximum: 24 * 90 }), Type.Null()]),
    message: WelcomeBody,
  },
  { additionalProperties: false },
)
export type GiftBody = Static<typeof GiftBody>

const Hm = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' })
export const AdvisorBody = Type.Object(
  {
    userId: Str(64, 1),
    dailyCap: Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()]),
    weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7 }),
    startTime: Type.Union([Hm, Type.Literal('')]),
    endTime: Type.Union([Hm, Type.Literal('')]),
  },
  { additionalProperties: false },
)
export type AdvisorBody = Static<typeof AdvisorBody>

export const CodeBody = Type.Object(
  { id: Type.Optional(Type.Integer({ minimum: 1 })), name: Str(64, 1) },
  { additionalProperties: false },
)

export const ChannelBody = Type.Object(
  {
    name: Str(64, 1),
    groupName: Str(64),
    skipVerify: Type.Boolean(),
    advisors: Type.Array(AdvisorBody, { maxItems: 100 }),
    tagIds: Type.Array(Str(64, 1), { maxItems: 50 }),
    remarkTemplate: Str(128),
    memberGroup: Str(32),
    shopNick: Str(32),
    supervisorUserId: Str(64),
    codes: Type.Array(CodeBody, { minItems: 1, maxItems: 10 }),
    welcome: WelcomeBody,
    gift: GiftBody,
  },
  { additionalProperties: false },
)
export type ChannelBody = Static<typeof ChannelBody>

export const CodeOut = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  state: Type.String(),
  configId: Type.String(),
  qrUrl: Type.String({ description: 'our proxy of the WeCom qr_code image' }),
  currentUsers: Type.Array(Type.String()),
  adds: Type.Object({ today: Type.Integer(), week: Type.Integer(), total: Type.Integer() }),
})
export type CodeOut = Static<typeof CodeOut>

export const ChannelOut = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  groupName: Type.String(),
  skipVerify: Type.Boolean(),
  advisors: Type.Array(
    Type.Intersect([
      AdvisorBody,
      Type.Object({ name: Type.String(), onDuty: Type.Boolean(), addsToday: Type.Integer() }),
    ]),
  ),
  tagIds: Type.Array(Type.String()),
  remarkTemplate: Type.String(),
  memberGroup: Type.String(),
  shopNick: Type.String(),
  supervisorUserId: Type.String(),
  codes: Type.Array(CodeOut),
  welcome: WelcomeBody,
  gift: GiftBody,
  giftUsedToday: Type.Integer(),
  adds: Type.Object({ today: Type.Integer(), week: Type.Integer(), total: Type.Integer() }),
  staffOnDuty: Type.Array(Type.Object({ userId: Type.String(), name: Type.String() })),
  createdAt: Type.String(),
})
export type ChannelOut = Static<typeof ChannelOut>

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

export const LostReason = Type.Union([
  Type.Literal('customer_deleted_staff'),
  Type.Literal('staff_deleted_customer'),
])

export const LostQuery = Type.Object({
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  channelId: Type.Optional(Type.Integer({ minimum: 0, description: '0 = customers without a channel' })),
  userId: Type.Optional(Type.String({ maxLength: 64 })),
  reason: Type.Optional(LostReason),
  q: Type.Optional(Type.String({ maxLength: 64 })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
})
export type LostQuery = Static<typeof LostQuery>

export const LostCustomerOut = Type.Object({
  id: Type.Integer(),
  externalUserId: Type.String(),
  customerName: Type.String(),
  userId: Type.String(),
  staffName: Type.String(),
  reason: LostReason,
  channelId: Type.Union([Type.Integer(), Type.Null()]),
  channelName: Type.String(),
  lostAt: IsoDate,
  addedAt: NullableIsoDate,
  alertStatus: Type.Union([
    Type.Literal('pending'),
    Type.Literal('sent'),
    Type.Literal('failed'),
    Type.Literal('disabled'),
  ]),
  alertError: Type.String(),
  alertedTo: Type.String(),
})
export type LostCustomerOut = Static<typeof LostCustomerOut>

export const LostAlertSettings = Type.Object(
  { enabled: Type.Boolean(), supervisorUserId: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
)
export type LostAlertSettings = Static<typeof LostAlertSettings>

export const StatsQuery = Type.Object({
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  channelId: Type.Optional(Type.Integer({ minimum: 1 })),
})
export type StatsQuery = Static<typeof StatsQuery>

const StatCounts = {
  adds: Type.Integer(),
  losses: Type.Integer(),
  net: Type.Integer(),
  following: Type.Integer(),
  /** following / adds, 0–1 (how many of the period's adds are still friends). */
  retention: Type.Number(),
}

export const StatRow = Type.Object({
  key: Type.String(),
  label: Type.String(),
  channelId: Type.Union([Type.Integer(), Type.Null()]),
  ...StatCounts,
})
export type StatRow = Static<typeof StatRow>

export const StatsReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  totals: Type.Object(StatCounts),
  byChannel: Type.Array(StatRow),
  byCode: Type.Array(StatRow),
  byAdvisor: Type.Array(StatRow),
  byDay: Type.Array(StatRow),
  /** Per day per channel (for the stacked chart). */
  series: Type.Array(
    Type.Object({
      day: Type.String(),
      channelId: Type.Union([Type.Integer(), Type.Null()]),
      label: Type.String(),
      adds: Type.Integer(),
      losses: Type.Integer(),
    }),
  ),
})
export type StatsReport = Static<typeof StatsReport>
