import { EntitySchema } from 'typeorm'

/** An external contact (外部联系人): a WeChat user (type 1) or a WeCom user of another corp (type 2). */
export interface Customer {
  externalUserId: string
  name: string
  avatar: string
  type: number
  gender: number
  unionid: string | null
  corpName: string | null
  createdAt: Date
  updatedAt: Date
}

export const CustomerEntity = new EntitySchema<Customer>({
  name: 'Customer',
  tableName: 'customer',
  columns: {
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64, primary: true },
    name: { type: 'varchar', length: 128, default: '' },
    avatar: { type: 'varchar', length: 512, default: '' },
    type: { type: 'integer', default: 1 },
    gender: { type: 'integer', default: 0 },
    unionid: { type: 'varchar', length: 64, nullable: true },
    corpName: { name: 'corp_name', type: 'varchar', length: 128, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
  indices: [{ name: 'idx_customer_unionid', columns: ['unionid'] }],
})
