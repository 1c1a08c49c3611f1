import { EntitySchema } from 'typeorm'
import type { CampaignStage } from '@scrm/shared'

/** A group campaign (社群活动): launch + countdown messages to customer groups between two dates. */
export interface CampaignRow {
  id: number
  name: string
  description: string
  /** null: the stage follows the dates. */
  stageOverride: CampaignStage | null
  startsAt: Date
  endsAt: Date
  /** JSON CampaignMessageInput */
  launch: string
  /** JSON CountdownInput[] */
  countdowns: string
  createdAt: Date
  updatedAt: Date
  deletedAt: Date | null
}

export const CampaignEntity = new EntitySchema<CampaignRow>({
  name: 'Campaign',
  tableName: 'campaign',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    name: { type: 'varchar', length: 128 },
    description: { type: 'text' },
    stageOverride: { name: 'stage_override', type: 'varchar', length: 16, nullable: true },
    startsAt: { name: 'starts_at', type: 'datetime' },
    endsAt: { name: 'ends_at', type: 'datetime' },
    launch: { type: 'text' },
    countdowns: { type: 'text' },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
    deletedAt: { name: 'deleted_at', type: 'datetime', nullable: true },
  },
})

export interface CampaignTargetRow {
  campaignId: number
  kind: 'chat' | 'owner'
  targetId: string
}

export const CampaignTargetEntity = new EntitySchema<CampaignTargetRow>({
  name: 'CampaignTarget',
  tableName: 'campaign_target',
  columns: {
    campaignId: { name: 'campaign_id', type: 'integer', primary: true },
    kind: { type: 'varchar', length: 8, primary: true },
    targetId: { name: 'target_id', type: 'varchar', length: 64, primary: true },
  },
})

/** One scheduled message of a campaign (the launch, or a countdown `offsetMinutes` before the end). */
export interface CampaignMessageRow {
  id: number
  campaignId: number
  /** 'launch' or 'countdown:<minutes>' */
  msgKey: string
  kind: 'launch' | 'countdown'
  offsetMinutes: number
  sendAt: Date
  /** pending → planned (send rows made) | skipped (too late, or the campaign ended) */
  status: 'pending' | 'planned' | 'skipped'
  note: string
  plannedAt: Date | null
}

export const CampaignMessageEntity = new EntitySchema<CampaignMessageRow>({
  name: 'CampaignMessage',
  tableName: 'campaign_message',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    campaignId: { name: 'campaign_id', type: 'integer' },
    msgKey: { name: 'msg_key', type: 'varchar', length: 32 },
    kind: { type: 'varchar', length: 16 },
    offsetMinutes: { name: 'offset_minutes', type: 'integer' },
    sendAt: { name: 'send_at', type: 'datetime' },
    status: { type: 'varchar', length: 16 },
    note: { type: 'varchar', length: 255, default: '' },
    plannedAt: { name: 'planned_at', type: 'datetime', nullable: true },
  },
})

/** One add_msg_template call: one message to one owner's groups (chunks of ≤ 2,000 chat ids). */
export interface CampaignSendRow {
  id: number
  campaignId: number
  messageId: number
  msgKey: string
  ownerUserId: string
  chunk: number
  /** JSON string[] */
  chatIds: string
  /** JSON { text, attachment } as rendered when the message was planned */
  payload: string
  status: 'pending' | 'sending' | 'retry' | 'sent' | 'failed'
  msgid: string | null
  /** JSON string[] */
  failList: string
  attempts: number
  error: string
  outcomeUnknown: boolean
  nextAttemptAt: Date | null
  claimToken: string | null
  claimedUntil: Date | null
  attemptedAt: Date | null
  sentAt: Date | null
  confirmed: boolean
  syncedAt: Date | null
  createdAt: Date
  updatedAt: Date
}

export const CampaignSendEntity = new EntitySchema<CampaignSendRow>({
  name: 'CampaignSend',
  tableName: 'campaign_send',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    campaignId: { name: 'campaign_id', type: 'integer' },
    messageId: { name: 'message_id', type: 'integer' },
    msgKey: { name: 'msg_key', type: 'varchar', length: 32 },
    ownerUserId: { name: 'owner_user_id', type: 'varchar', length: 64 },
    chunk: { type: 'integer', default: 0 },
    chatIds: { name: 'chat_ids', type: 'text' },
    payload: { type: 'text' },
    status: { type: 'varchar', length: 16 },
    msgid: { type: 'varchar', length: 128, nullable: true },
    failList: { name: 'fail_list', type: 'text' },
    attempts: { type: 'integer', default: 0 },
    error: { type: 'text' },
    outcomeUnknown: { name: 'outcome_unknown', type: 'boolean', default: false },
    nextAttemptAt: { name: 'next_attempt_at', type: 'datetime', nullable: true },
    claimToken: { name: 'claim_token', type: 'varchar', length: 36, nullable: true },
    claimedUntil: { name: 'claimed_until', type: 'datetime', nullable: true },
    attemptedAt: { name: 'attempted_at', type: 'datetime', nullable: true },
    sentAt: { name: 'sent_at', type: 'datetime', nullable: true },
    confirmed: { type: 'boolean', default: false },
    syncedAt: { name: 'synced_at', type: 'datetime', nullable: true },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
})

/** Per group delivery of a send, from get_groupmsg_send_result. */
export interface CampaignDeliveryRow {
  sendId: number
  chatId: string
  campaignId: number
  status: number
  sendTime: Date | null
  updatedAt: Date
}

export const CampaignDeliveryEntity = new EntitySchema<CampaignDeliveryRow>({
  name: 'CampaignDelivery',
  tableName: 'campaign_delivery',
  columns: {
    sendId: { name: 'send_id', type: 'integer', primary: true },
    chatId: { name: 'chat_id', type: 'varchar', length: 64, primary: true },
    campaignId: { name: 'campaign_id', type: 'integer' },
    status: { type: 'integer' },
    sendTime: { name: 'send_time', type: 'datetime', nullable: true },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
})

export const campaignEntities = [
  CampaignEntity,
  CampaignTargetEntity,
  CampaignMessageEntity,
  CampaignSendEntity,
  CampaignDeliveryEntity,
]
