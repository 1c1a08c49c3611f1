import { EntitySchema } from 'typeorm'

/** A member of staff who may have external contacts (配置了客户联系功能的成员). */
export interface Staff {
  userId: string
  name: string
  avatar: string
  isFollowUser: boolean
  syncedAt: Date
}

export const StaffEntity = new EntitySchema<Staff>({
  name: 'Staff',
  tableName: 'staff',
  columns: {
    userId: { name: 'user_id', type: 'varchar', length: 64, primary: true },
    name: { type: 'varchar', length: 128, default: '' },
    avatar: { type: 'varchar', length: 512, default: '' },
    isFollowUser: { name: 'is_follow_user', type: 'boolean', default: true },
    syncedAt: { name: 'synced_at', type: 'datetime' },
  },
})
