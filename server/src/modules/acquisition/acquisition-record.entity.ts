import { EntitySchema } from 'typeorm'

export type WelcomeChoice = 'standard' | 'gift' | 'default' | 'none'
/** sent; already_sent (41051, final); expired (41050 or past the 20 s window); failed (other errcode); skipped (nothing to send). */
export type WelcomeStatus = 'pending' | 'sent' | 'already_sent' | 'expired' | 'failed' | 'skipped'
export type FollowUpStatus = 'pending' | 'done' | 'failed' | 'skipped'

/** One add (add_external_contact / add_half_external_contact) and the outcome of each step taken for it. */
export interface AcquisitionRecord {
  id: number
  /** userId|externalUserId|CreateTime|ChangeType: a replayed callback finds its record again. */
  eventKey: string
  externalUserId: string
  userId: string
  state: string
  channelId: number | null
  codeId: number | null
  channelName: string
  half: boolean
  /** YYYY-MM-DD in Asia/Shanghai: the numbers group by it in SQL on both databases. */
  day: string
  addedAt: Date
  welcomeKind: WelcomeChoice
  welcomeStatus: WelcomeStatus
  welcomeError: string
  welcomeSentAt: Date | null
  tagStatus: FollowUpStatus
  tagError: string
  remarkStatus: FollowUpStatus
  remarkText: string
  remarkError: string
  updatedAt: Date
}

export const AcquisitionRecordEntity = new EntitySchema<AcquisitionRecord>({
  name: 'AcquisitionRecord',
  tableName: 'acq_record',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    eventKey: { name: 'event_key', type: 'varchar', length: 160, unique: true },
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64 },
    userId: { name: 'user_id', type: 'varchar', length: 64 },
    state: { type: 'varchar', length: 64, default: '' },
    channelId: { name: 'channel_id', type: 'integer', nullable: true },
    codeId: { name: 'code_id', type: 'integer', nullable: true },
    channelName: { name: 'channel_name', type: 'varchar', length: 64, default: '' },
    half: { type: 'boolean', default: false },
    day: { type: 'varchar', length: 10 },
    addedAt: { name: 'added_at', type: 'datetime' },
    welcomeKind: { name: 'welcome_kind', type: 'varchar', length: 16 },
    welcomeStatus: { name: 'welcome_status', type: 'varchar', length: 16 },
    welcomeError: { name: 'welcome_error', type: 'varchar', length: 255, default: '' },
    welcomeSentAt: { name: 'welcome_sent_at', type: 'datetime', nullable: true },
    tagStatus: { name: 'tag_status', type: 'varchar', length: 16 },
    tagError: { name: 'tag_error', type: 'varchar', length: 255, default: '' },
    remarkStatus: { name: 'remark_status', type: 'varchar', length: 16 },
    remarkText: { name: 'remark_text', type: 'varchar', length: 64, default: '' },
    remarkError: { name: 'remark_error', type: 'varchar', length: 255, default: '' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
})
