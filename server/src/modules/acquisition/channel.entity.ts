import { EntitySchema } from 'typeorm'

/** A channel (渠道): package card, live stream, store counter, poster… Holds one or more code variants. */
export interface Channel {
  id: number
  name: string
  groupName: string
  skipVerify: boolean
  /** JSON array of corp tag ids applied with mark_tag on every add. */
  tagIds: string
  remarkTemplate: string
  /** Values for the {memberGroup} and {shopNick} remark placeholders. */
  memberGroup: string
  shopNick: string
  giftEnabled: boolean
  giftDailyQuota: number
  /** The gift goes only to customers whose order is at most this many hours old (null: no window). */
  giftWindowHours: number | null
  /** Also alerted when a customer of this channel is lost (besides the advisor). */
  supervisorUserId: string
  createdAt: Date
  updatedAt: Date
  /** Soft delete: records and lost customers keep pointing at the channel for the numbers. */
  deletedAt: Date | null
}

export const ChannelEntity = new EntitySchema<Channel>({
  name: 'Channel',
  tableName: 'acq_channel',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    name: { type: 'varchar', length: 64 },
    groupName: { name: 'group_name', type: 'varchar', length: 64, default: '' },
    skipVerify: { name: 'skip_verify', type: 'boolean', default: true },
    tagIds: { name: 'tag_ids', type: 'text' },
    remarkTemplate: { name: 'remark_template', type: 'varchar', length: 128, default: '' },
    memberGroup: { name: 'member_group', type: 'varchar', length: 32, default: '' },
    shopNick: { name: 'shop_nick', type: 'varchar', length: 32, default: '' },
    giftEnabled: { name: 'gift_enabled', type: 'boolean', default: false },
    giftDailyQuota: { name: 'gift_daily_quota', type: 'integer', default: 0 },
    giftWindowHours: { name: 'gift_window_hours', type: 'integer', nullable: true },
    supervisorUserId: { name: 'supervisor_user_id', type: 'varchar', length: 64, default: '' },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
    deletedAt: { name: 'deleted_at', type: 'datetime', nullable: true },
  },
})

export type ChannelCodeStatus = 'creating' | 'active'

/**
 * One code variant of a channel (渠道活码): its own WeCom contact way (「联系我」) and state, so the
 * add counts of e.g. two package-card designs can be compared.
 */
export interface ChannelCode {
  id: number
  channelId: number
  name: string
  /** `c<id>`: the contact way's state (≤30 chars), derived from our id so renaming changes nothing. */
  state: string | null
  configId: string | null
  qrCode: string
  /** The `user` list last pushed with add/update_contact_way (comma-separated), to skip no-op updates. */
  currentUsers: string
  status: ChannelCodeStatus
  createdAt: Date
  deletedAt: Date | null
}

export const ChannelCodeEntity = new EntitySchema<ChannelCode>({
  name: 'ChannelCode',
  tableName: 'acq_channel_code',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    channelId: { name: 'channel_id', type: 'integer' },
    name: { type: 'varchar', length: 64 },
    state: { type: 'varchar', length: 32, nullable: true },
    configId: { name: 'config_id', type: 'varchar', length: 64, nullable: true },
    qrCode: { name: 'qr_code', type: 'varchar', length: 512, default: '' },
    currentUsers: { name: 'current_users', type: 'varchar', length: 1024, default: '' },
    status: { type: 'varchar', length: 16 },
    createdAt: { name: 'created_at', type: 'datetime' },
    deletedAt: { name: 'deleted_at', type: 'datetime', nullable: true },
  },
})

/** An advisor (导购) on a channel, with an optional weekday/time schedule and daily cap. */
export interface ChannelAdvisor {
  id: number
  channelId: number
  userId: string
  sortOrder: number
  dailyCap: number | null
  /** ISO weekdays 1 (Mon) … 7 (Sun), comma-separated; empty = every day. */
  weekdays: string
  /** 'HH:MM' in Asia/Shanghai; empty = all day. */
  startTime: string
  endTime: string
}

export const ChannelAdvisorEntity = new EntitySchema<ChannelAdvisor>({
  name: 'ChannelAdvisor',
  tableName: 'acq_channel_advisor',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    channelId: { name: 'channel_id', type: 'integer' },
    userId: { name: 'user_id', type: 'varchar', length: 64 },
    sortOrder: { name: 'sort_order', type: 'integer', default: 0 },
    dailyCap: { name: 'daily_cap', type: 'integer', nullable: true },
    weekdays: { type: 'varchar', length: 16, default: '' },
    startTime: { name: 'start_time', type: 'varchar', length: 5, default: '' },
    endTime: { name: 'end_time', type: 'varchar', length: 5, default: '' },
  },
})
