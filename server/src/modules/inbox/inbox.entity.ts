import { EntitySchema } from 'typeorm'

import type { InboxStatus } from '@scrm/shared'

export type { InboxStatus }

export interface InboxRow {
  id: number
  hash: string
  event: string
  changeType: string
  entityKey: string
  payload: string
  status: InboxStatus
  attempts: number
  stepsDone: string
  claimToken: string | null
  leaseUntil: Date | null
  nextAttemptAt: Date
  lastError: string | null
  receivedAt: Date
  processedAt: Date | null
}

export const InboxEntity = new EntitySchema<InboxRow>({
  name: 'CallbackInbox',
  tableName: 'callback_inbox',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    hash: { type: 'varchar', length: 64, unique: true },
    event: { type: 'varchar', length: 64 },
    changeType: { name: 'change_type', type: 'varchar', length: 64 },
    entityKey: { name: 'entity_key', type: 'varchar', length: 128 },
    payload: { type: 'text' },
    status: { type: 'varchar', length: 16 },
    attempts: { type: 'integer', default: 0 },
    stepsDone: { name: 'steps_done', type: 'varchar', length: 255, default: '' },
    claimToken: { name: 'claim_token', type: 'varchar', length: 36, nullable: true },
    leaseUntil: { name: 'lease_until', type: 'datetime', nullable: true },
    nextAttemptAt: { name: 'next_attempt_at', type: 'datetime' },
    lastError: { name: 'last_error', type: 'text', nullable: true },
    receivedAt: { name: 'received_at', type: 'datetime' },
    processedAt: { name: 'processed_at', type: 'datetime', nullable: true },
  },
})
