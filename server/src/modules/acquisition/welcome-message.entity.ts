import { EntitySchema } from 'typeorm'

/**
 * A welcome message (欢迎语): `standard` per channel (also the fallback once the gift quota is used up),
 * `gift` per channel (the gift offer), and one `default` without a channel for adds without a state.
 */
export type WelcomeKind = 'default' | 'standard' | 'gift'

export interface WelcomeMessage {
  id: number
  channelId: number | null
  kind: WelcomeKind
  /** May hold {name} and {advisor}. */
  text: string
  /** JSON array of WeCom attachments (image, link, miniprogram, video, file), ≤ 9. */
  attachments: string
  updatedAt: Date
}

export const WelcomeMessageEntity = new EntitySchema<WelcomeMessage>({
  name: 'WelcomeMessage',
  tableName: 'welcome_message',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    channelId: { name: 'channel_id', type: 'integer', nullable: true },
    kind: { type: 'varchar', length: 16 },
    text: { type: 'text' },
    attachments: { type: 'text' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
})

/** How many gifts a channel gave on one Asia/Shanghai day; claimed with a conditional UPDATE. */
export interface GiftQuotaUsage {
  channelId: number
  day: string
  used: number
}

export const GiftQuotaUsageEntity = new EntitySchema<GiftQuotaUsage>({
  name: 'GiftQuotaUsage',
  tableName: 'gift_quota_usage',
  columns: {
    channelId: { name: 'channel_id', type: 'integer', primary: true },
    day: { type: 'varchar', length: 10, primary: true },
    used: { type: 'integer', default: 0 },
  },
})

/** Acquisition settings (key → JSON value), e.g. the lost-customer alert switch and supervisor. */
export interface AcquisitionSetting {
  key: string
  value: string
}

export const AcquisitionSettingEntity = new EntitySchema<AcquisitionSetting>({
  name: 'AcquisitionSetting',
  tableName: 'acq_setting',
  columns: {
    key: { name: 'setting_key', type: 'varchar', length: 64, primary: true },
    value: { type: 'text' },
  },
})
