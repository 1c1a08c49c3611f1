import { EntitySchema } from 'typeorm'

/** A store (门店) with its location and the group code its customers join. */
export interface Store {
  id: number
  name: string
  address: string
  lat: number
  lng: number
  groupCodeId: number
  createdAt: Date
  updatedAt: Date
}

export const StoreEntity = new EntitySchema<Store>({
  name: 'Store',
  tableName: 'store',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    name: { type: 'varchar', length: 64 },
    address: { type: 'varchar', length: 256, default: '' },
    lat: { type: 'double' },
    lng: { type: 'double' },
    groupCodeId: { name: 'group_code_id', type: 'integer' },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
  },
  indices: [{ name: 'idx_store_group_code', columns: ['groupCodeId'] }],
})
