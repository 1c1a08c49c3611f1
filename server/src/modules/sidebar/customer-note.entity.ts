import { EntitySchema } from 'typeorm'

/** A note or follow-up record (跟进记录) an advisor writes about a customer they follow. */
export interface CustomerNoteRow {
  id: number
  externalUserId: string
  userId: string
  kind: 'note' | 'follow_up'
  content: string
  createdAt: Date
}

export const CustomerNoteEntity = new EntitySchema<CustomerNoteRow>({
  name: 'CustomerNote',
  tableName: 'customer_note',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64 },
    userId: { name: 'user_id', type: 'varchar', length: 64 },
    kind: { type: 'varchar', length: 16 },
    content: { type: 'text' },
    createdAt: { name: 'created_at', type: 'datetime' },
  },
  indices: [{ name: 'idx_note_follow', columns: ['externalUserId', 'userId'] }],
})
