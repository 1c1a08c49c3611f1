import { EntitySchema } from 'typeorm'

import type { SyncCounts, SyncPhase } from '@scrm/shared'

export type { SyncCounts, SyncPhase }

/** One full directory sync; `resume` holds the cursor so an interrupted run continues where it stopped. */
export interface SyncRun {
  id: number
  status: 'running' | 'done' | 'failed'
  phase: SyncPhase
  counts: string
  resume: string
  error: string | null
  startedAt: Date
  finishedAt: Date | null
  heartbeatAt: Date
}

export const SyncRunEntity = new EntitySchema<SyncRun>({
  name: 'SyncRun',
  tableName: 'sync_run',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    status: { type: 'varchar', length: 16 },
    phase: { type: 'varchar', length: 16 },
    counts: { type: 'varchar', length: 255 },
    resume: { type: 'text' },
    error: { type: 'text', nullable: true },
    startedAt: { name: 'started_at', type: 'datetime' },
    finishedAt: { name: 'finished_at', type: 'datetime', nullable: true },
    heartbeatAt: { name: 'heartbeat_at', type: 'datetime' },
  },
})
