import { EntitySchema } from 'typeorm'

/** customer_deleted_staff = del_follow_user; staff_deleted_customer = del_external_contact (not by transfer). */
export type LostReason = 'customer_deleted_staff' | 'staff_deleted_customer'
export type AlertStatus = 'pending' | 'sent' | 'failed' | 'disabled'

/** A lost customer (流失客户), with the channel they came from and whether the advisor was alerted. */
export interface LostCustomer {
  id: number
  eventKey: string
  externalUserId: string
  userId: string
  reason: LostReason
  channelId: number | null
  codeId: number | null
  channelName: string
  customerName: string
  day: string
  lostAt: Date
  addedAt: Date | null
  alertStatus: AlertStatus
  alertError: string
  alertedTo: string
}

export const LostCustomerEntity = new EntitySchema<LostCustomer>({
  name: 'LostCustomer',
  tableName: 'lost_customer',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    eventKey: { name: 'event_key', type: 'varchar', length: 160, unique: true },
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64 },
    userId: { name: 'user_id', type: 'varchar', length: 64 },
    reason: { type: 'varchar', length: 24 },
    channelId: { name: 'channel_id', type: 'integer', nullable: true },
    codeId: { name: 'code_id', type: 'integer', nullable: true },
    channelName: { name: 'channel_name', type: 'varchar', length: 64, default: '' },
    customerName: { name: 'customer_name', type: 'varchar', length: 128, default: '' },
    day: { type: 'varchar', length: 10 },
    lostAt: { name: 'lost_at', type: 'datetime' },
    addedAt: { name: 'added_at', type: 'datetime', nullable: true },
    alertStatus: { name: 'alert_status', type: 'varchar', length: 16 },
    alertError: { name: 'alert_error', type: 'varchar', length: 255, default: '' },
    alertedTo: { name: 'alerted_to', type: 'varchar', length: 255, default: '' },
  },
})
