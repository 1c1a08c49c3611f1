import { EntitySchema } from 'typeorm'

// active; removed_by_staff (del_external_contact); removed_by_customer (del_follow_user);
// transferred (del_external_contact with DELETE_BY_TRANSFER); gone (absent from a full sync without a callback telling us why).
export type FollowStatus = 'active' | 'removed_by_staff' | 'removed_by_customer' | 'transferred' | 'gone'

/** The follow relationship between one advisor and one customer (跟进成员), where remarks and tags live. */
export interface CustomerFollow {
  id: number
  externalUserId: string
  userId: string
  remark: string
  description: string
  remarkMobiles: string
  addTime: Date
  addWay: number
  state: string
  status: FollowStatus
  removedAt: Date | null
  syncRunId: number | null
  updatedAt: Date
}

export const CustomerFollowEntity = new EntitySchema<CustomerFollow>({
  name: 'CustomerFollow',
  tableName: 'customer_follow',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64 },
    userId: { name: 'user_id', type: 'varchar', length: 64 },
    remark: { type: 'varchar', length: 128, default: '' },
    description: { type: 'varchar', length: 512, default: '' },
    remarkMobiles: { name: 'remark_mobiles', type: 'varchar', length: 255, default: '' },
    addTime: { name: 'add_time', type: 'datetime' },
    addWay: { name: 'add_way', type: 'integer', default: 0 },
    state: { type: 'varchar', length: 64, default: '' },
    status: { type: 'varchar', length: 24, default: 'active' },
    removedAt: { name: 'removed_at', type: 'datetime', nullable: true },
    syncRunId: { name: 'sync_run_id', type: 'integer', nullable: true },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
  uniques: [{ name: 'uq_follow_pair', columns: ['externalUserId', 'userId'] }],
  indices: [
    { name: 'idx_follow_user', columns: ['userId', 'status'] },
    { name: 'idx_follow_state', columns: ['state'] },
  ],
})

/** A corp tag on one follow relationship (WeCom tags a customer per advisor). */
export interface FollowTag {
  externalUserId: string
  userId: string
  tagId: string
}

export const FollowTagEntity = new EntitySchema<FollowTag>({
  name: 'FollowTag',
  tableName: 'follow_tag',
  columns: {
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64, primary: true },
    userId: { name: 'user_id', type: 'varchar', length: 64, primary: true },
    tagId: { name: 'tag_id', type: 'varchar', length: 64, primary: true },
  },
  indices: [{ name: 'idx_follow_tag_tag', columns: ['tagId'] }],
})
