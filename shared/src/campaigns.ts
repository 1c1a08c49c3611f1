// Group campaigns (社群活动 / 社群团购): a group buy's launch message and its countdowns, broadcast to
// customer groups through WeCom's group mass send. Shapes shared by the server routes and the web app.
import { Type, type Static } from 'typebox'
import { IsoDate, NullableIsoDate } from './common.ts'

/** planning → preparation → running → review; derived from the dates unless an admin sets it. */
export const CAMPAIGN_STAGES = ['planning', 'preparation', 'running', 'review'] as const
export type CampaignStage = (typeof CAMPAIGN_STAGES)[number]
export const CampaignStageSchema = Type.Union([
  Type.Literal('planning'),
  Type.Literal('preparation'),
  Type.Literal('running'),
  Type.Literal('review'),
])
export const CAMPAIGN_STAGE_LABELS: Record<CampaignStage, string> = {
  planning: '策划中',
  preparation: '预热中',
  running: '进行中',
  review: '复盘',
}

/** Countdowns WeCom group buys use: 3 h, 1 h and 15 min before the end. */
export const DEFAULT_COUNTDOWN_MINUTES = [180, 60, 15] as const
/** WeCom's limit for a mass send's text. */
export const CAMPAIGN_TEXT_MAX_BYTES = 4000
export const CAMPAIGN_MAX_COUNTDOWNS = 12

const Str = (max: number, min = 0) => Type.String({ minLength: min, maxLength: max })

/**
 * One optional attachment per message. Images are permanent URLs (media/uploadimg); a mini-program's
 * cover is uploaded as a temporary media id at send time (those live 3 days, a campaign may be planned
 * weeks ahead).
 */
export const CampaignAttachment = Type.Union([
  Type.Object(
    {
      type: Type.Literal('link'),
      title: Str(128, 1),
      url: Type.String({ minLength: 8, maxLength: 2048, pattern: '^https?://' }),
      desc: Type.Optional(Str(512)),
      picUrl: Type.Optional(Str(2048)),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('image'),
      picUrl: Type.String({ minLength: 8, maxLength: 2048, pattern: '^https?://' }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('miniprogram'),
      title: Str(64, 1),
      appid: Str(64, 1),
      page: Str(512, 1),
      picUrl: Type.String({ minLength: 8, maxLength: 2048, pattern: '^https?://' }),
    },
    { additionalProperties: false },
  ),
])
export type CampaignAttachment = Static<typeof CampaignAttachment>

/** Text templates may use {left} (time left: 3小时, 15分钟), {name} (the campaign) and {end} (end time). */
export const CampaignMessageInput = Type.Object(
  {
    // Bytes are checked by the service (after the template is filled), so 4,000 Chinese characters fail there.
    text: Type.String({ maxLength: 8000 }),
    attachment: Type.Optional(Type.Union([CampaignAttachment, Type.Null()])),
  },
  { additionalProperties: false },
)
export type CampaignMessageInput = Static<typeof CampaignMessageInput>

export const CountdownInput = Type.Object(
  {
    /** Minutes before the end. */
    offsetMinutes: Type.Integer({ minimum: -100_000, maximum: 60 * 24 * 90 }),
    text: Type.String({ maxLength: 8000 }),
    attachment: Type.Optional(Type.Union([CampaignAttachment, Type.Null()])),
  },
  { additionalProperties: false },
)
export type CountdownInput = Static<typeof CountdownInput>

export const CampaignInput = Type.Object(
  {
    name: Str(128, 1),
    description: Type.Optional(Str(2000)),
    /** null: derived from the dates. */
    stage: Type.Optional(Type.Union([CampaignStageSchema, Type.Null()])),
    startsAt: IsoDate,
    endsAt: IsoDate,
    /** Explicit groups (group_chat ids) … */
    chatIds: Type.Array(Str(64, 1), { maxItems: 5000 }),
    /** … and/or every group of these owners, resolved when each message goes out. */
    ownerUserIds: Type.Array(Str(64, 1), { maxItems: 500 }),
    launch: CampaignMessageInput,
    countdowns: Type.Array(CountdownInput, { maxItems: 50 }),
  },
  { additionalProperties: false },
)
export type CampaignInput = Static<typeof CampaignInput>

export const CampaignMessageKindSchema = Type.Union([Type.Literal('launch'), Type.Literal('countdown')])
export type CampaignMessageKind = Static<typeof CampaignMessageKindSchema>

/** One scheduled message: pending → planned (send rows made per owner) or skipped (too late). */
export const CampaignScheduledMessage = Type.Object({
  key: Type.String(),
  kind: CampaignMessageKindSchema,
  offsetMinutes: Type.Integer(),
  sendAt: IsoDate,
  status: Type.Union([Type.Literal('pending'), Type.Literal('planned'), Type.Literal('skipped')]),
  note: Type.String(),
  /** The text with {left}/{name}/{end} filled for this message's nominal time. */
  text: Type.String(),
  attachment: Type.Union([CampaignAttachment, Type.Null()]),
})
export type CampaignScheduledMessage = Static<typeof CampaignScheduledMessage>

export const CampaignSendStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('sending'),
  Type.Literal('retry'),
  Type.Literal('sent'),
  Type.Literal('failed'),
])
export type CampaignSendStatus = Static<typeof CampaignSendStatusSchema>

/** One add_msg_template call: one owner's targeted groups for one message. */
export const CampaignSend = Type.Object({
  id: Type.Integer(),
  messageKey: Type.String(),
  kind: CampaignMessageKindSchema,
  offsetMinutes: Type.Integer(),
  ownerUserId: Type.String(),
  ownerName: Type.String(),
  chatIds: Type.Array(Type.String()),
  status: CampaignSendStatusSchema,
  msgid: Type.Union([Type.String(), Type.Null()]),
  failList: Type.Array(Type.String()),
  attempts: Type.Integer(),
  error: Type.String(),
  nextAttemptAt: NullableIsoDate,
  /** Whether the owner confirmed the send in WeCom (get_groupmsg_task), when synced. */
  confirmed: Type.Union([Type.Boolean(), Type.Null()]),
  sentAt: NullableIsoDate,
  syncedAt: NullableIsoDate,
})
export type CampaignSend = Static<typeof CampaignSend>

/** Per group delivery of one send (get_groupmsg_send_result: 0 unsent, 1 sent, 2/3 not delivered). */
export const CampaignDelivery = Type.Object({
  sendId: Type.Integer(),
  messageKey: Type.String(),
  chatId: Type.String(),
  groupName: Type.String(),
  status: Type.Integer(),
  sendTime: NullableIsoDate,
})
export type CampaignDelivery = Static<typeof CampaignDelivery>

export const CampaignSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  stage: CampaignStageSchema,
  stageOverride: Type.Union([CampaignStageSchema, Type.Null()]),
  startsAt: IsoDate,
  endsAt: IsoDate,
  chatIds: Type.Array(Type.String()),
  ownerUserIds: Type.Array(Type.String()),
  /** Groups targeted right now (explicit ∪ the owners' active groups). */
  groupCount: Type.Integer(),
  nextMessage: Type.Union([CampaignScheduledMessage, Type.Null()]),
  sentCount: Type.Integer(),
  failedCount: Type.Integer(),
  /** The latest WeCom error of a send that is failing or being retried. */
  lastError: Type.String(),
  updatedAt: IsoDate,
})
export type CampaignSummary = Static<typeof CampaignSummary>

export const CampaignDetail = Type.Object({
  ...CampaignSummary.properties,
  launch: CampaignMessageInput,
  countdowns: Type.Array(CountdownInput),
  schedule: Type.Array(CampaignScheduledMessage),
  sends: Type.Array(CampaignSend),
  deliveries: Type.Array(CampaignDelivery),
  /** Review numbers: groups delivered / not yet / failed over all synced sends. */
  delivery: Type.Object({ delivered: Type.Integer(), unsent: Type.Integer(), failed: Type.Integer() }),
})
export type CampaignDetail = Static<typeof CampaignDetail>

export const CampaignGroupOption = Type.Object({
  chatId: Type.String(),
  name: Type.String(),
  ownerUserId: Type.String(),
  ownerName: Type.String(),
  memberCount: Type.Integer(),
})
export type CampaignGroupOption = Static<typeof CampaignGroupOption>

export const CampaignOptions = Type.Object({
  groups: Type.Array(CampaignGroupOption),
  owners: Type.Array(Type.Object({ userId: Type.String(), name: Type.String(), groupCount: Type.Integer() })),
})
export type CampaignOptions = Static<typeof CampaignOptions>

// ── sidebar ──

export const SidebarCampaign = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  stage: CampaignStageSchema,
  startsAt: IsoDate,
  endsAt: IsoDate,
  nextMessage: Type.Union([CampaignScheduledMessage, Type.Null()]),
  /** Launch and countdowns, to put one into this chat by hand. */
  messages: Type.Array(CampaignScheduledMessage),
})
export type SidebarCampaign = Static<typeof SidebarCampaign>

export const CampaignChatSendInput = Type.Object(
  {
    key: Str(32, 1),
    part: Type.Union([Type.Literal('text'), Type.Literal('attachment')]),
  },
  { additionalProperties: false },
)
export type CampaignChatSendInput = Static<typeof CampaignChatSendInput>
