import { EntitySchema } from 'typeorm'

/** A customer group (客户群), mirrored from WeCom. */
export interface GroupChat {
  chatId: string
  name: string
  ownerUserId: string
  notice: string | null
  memberCount: number
  status: 'active' | 'dismissed'
  createdAt: Date
  updatedAt: Date
  syncRunId: number | null
}

export const GroupChatEntity = new EntitySchema<GroupChat>({
  name: 'GroupChat',
  tableName: 'group_chat',
  columns: {
    chatId: { name: 'chat_id', type: 'varchar', length: 64, primary: true },
    name: { type: 'varchar', length: 128, default: '' },
    ownerUserId: { name: 'owner_user_id', type: 'varchar', length: 64 },
    notice: { type: 'text', nullable: true },
    memberCount: { name: 'member_count', type: 'integer', default: 0 },
    status: { type: 'varchar', length: 16, default: 'active' },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
    syncRunId: { name: 'sync_run_id', type: 'integer', nullable: true },
  },
  indices: [{ name: 'idx_group_owner', columns: ['ownerUserId'] }],
})

/** A member of a customer group: staff (type 1) or an external contact (type 2). */
export interface GroupMember {
  chatId: string
  memberId: string
  type: number
  joinTime: Date
  joinScene: number
  invitor: string
  isAdmin: boolean
}

export const GroupMemberEntity = new EntitySchema<GroupMember>({
  name: 'GroupMember',
  tableName: 'group_member',
  columns: {
    chatId: { name: 'chat_id', type: 'varchar', length: 64, primary: true },
    memberId: { name: 'member_id', type: 'varchar', length: 64, primary: true },
    type: { type: 'integer' },
    joinTime: { name: 'join_time', type: 'datetime' },
    joinScene: { name: 'join_scene', type: 'integer', default: 0 },
    invitor: { type: 'varchar', length: 64, default: '' },
    isAdmin: { name: 'is_admin', type: 'boolean', default: false },
  },
  indices: [{ name: 'idx_group_member_member', columns: ['memberId'] }],
})
