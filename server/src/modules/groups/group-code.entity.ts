import { EntitySchema } from 'typeorm'
import type { GroupCodeHistoryKind, GroupPoolSource } from '@scrm/shared'

/**
 * A group code (群活码): one permanent WeCom join way (QR) that rotates an ordered pool of customer
 * groups through its ≤5 slots. The rotation_* columns are a per-code lease, so only one instance at
 * a time rewrites the join way; rotation_dirty records "someone asked while it was held".
 */
export interface GroupCode {
  id: number
  name: string
  threshold: number
  autoCreate: boolean
  roomBaseName: string
  roomBaseId: number | null
  state: string
  configId: string | null
  qrCode: string
  /** JSON array of the chat ids WeCom's join way lists now (as far as we last wrote or read). */
  liveChatIds: string
  welcomeText: string | null
  /** JSON of the GroupWelcomeAttachment, or null. */
  welcomeAttachment: string | null
  welcomeTemplateId: string | null
  status: 'creating' | 'active'
  rotationHolder: string
  rotationUntil: Date
  rotationDirty: boolean
  retryAt: Date | null
  retryAttempts: number
  createdAt: Date
  updatedAt: Date
}

export const GroupCodeEntity = new EntitySchema<GroupCode>({
  name: 'GroupCode',
  tableName: 'group_code',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    name: { type: 'varchar', length: 64 },
    threshold: { type: 'integer' },
    autoCreate: { name: 'auto_create', type: 'boolean', default: false },
    roomBaseName: { name: 'room_base_name', type: 'varchar', length: 64, default: '' },
    roomBaseId: { name: 'room_base_id', type: 'integer', nullable: true },
    state: { type: 'varchar', length: 32, default: '' },
    configId: { name: 'config_id', type: 'varchar', length: 64, nullable: true },
    qrCode: { name: 'qr_code', type: 'varchar', length: 512, default: '' },
    liveChatIds: { name: 'live_chat_ids', type: 'varchar', length: 512, default: '[]' },
    welcomeText: { name: 'welcome_text', type: 'text', nullable: true },
    welcomeAttachment: { name: 'welcome_attachment', type: 'text', nullable: true },
    welcomeTemplateId: { name: 'welcome_template_id', type: 'varchar', length: 64, nullable: true },
    status: { type: 'varchar', length: 16, default: 'creating' },
    rotationHolder: { name: 'rotation_holder', type: 'varchar', length: 64, default: '' },
    rotationUntil: { name: 'rotation_until', type: 'datetime' },
    rotationDirty: { name: 'rotation_dirty', type: 'boolean', default: false },
    retryAt: { name: 'retry_at', type: 'datetime', nullable: true },
    retryAttempts: { name: 'retry_attempts', type: 'integer', default: 0 },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
})

/** One group of a code's pool, in order. */
export interface GroupCodePool {
  id: number
  groupCodeId: number
  chatId: string
  position: number
  source: GroupPoolSource
  addedAt: Date
}

export const GroupCodePoolEntity = new EntitySchema<GroupCodePool>({
  name: 'GroupCodePool',
  tableName: 'group_code_pool',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    groupCodeId: { name: 'group_code_id', type: 'integer' },
    chatId: { name: 'chat_id', type: 'varchar', length: 64 },
    position: { type: 'integer' },
    source: { type: 'varchar', length: 16 },
    addedAt: { name: 'added_at', type: 'datetime' },
  },
  indices: [
    { name: 'uq_group_code_pool', columns: ['groupCodeId', 'chatId'], unique: true },
    { name: 'idx_group_code_pool_chat', columns: ['chatId'] },
  ],
})

export interface GroupCodeHistory {
  id: number
  groupCodeId: number
  at: Date
  kind: GroupCodeHistoryKind
  detail: string
}

export const GroupCodeHistoryEntity = new EntitySchema<GroupCodeHistory>({
  name: 'GroupCodeHistory',
  tableName: 'group_code_history',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    groupCodeId: { name: 'group_code_id', type: 'integer' },
    at: { type: 'datetime' },
    kind: { type: 'varchar', length: 16 },
    detail: { type: 'varchar', length: 500, default: '' },
  },
  indices: [{ name: 'idx_group_code_history_code', columns: ['groupCodeId', 'at'] }],
})
