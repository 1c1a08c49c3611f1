import type { FastifyBaseLogger } from 'fastify'
import type { DataSource } from 'typeorm'
import type { ScheduledJob } from '../../plugins/scheduler.ts'
import type { GroupCodeService } from './group-code.service.ts'
import { snapshotAllGroups } from './member-tracking.ts'
import type { GroupRotation } from './rotation.ts'

export const RECONCILE_JOB = 'group-codes.reconcile'
export const RETRY_JOB = 'group-codes.retry'

/**
 * Every 5 minutes: each code against WeCom (get_join_way + groupchat/get of its live groups), which
 * rotates full groups out even if a callback was lost, adopts auto-created groups and records joins
 * whose callback never came; then today's member-count snapshot of every group.
 */
export function reconcileJob(
  db: DataSource,
  codes: GroupCodeService,
  rotation: GroupRotation,
  log: FastifyBaseLogger,
): ScheduledJob {
  return {
    name: RECONCILE_JOB,
    cron: '*/5 * * * *',
    leaseMs: 4 * 60_000,
    run: async () => {
      for (const id of await codes.activeIds())
        await rotation
          .request(id, 'reconcile')
          .catch((err) => log.warn({ err, codeId: id }, 'group code reconciliation failed'))
      await snapshotAllGroups(db)
    },
  }
}

/** Every 20 seconds: codes whose join-way update failed and whose backoff has passed. */
export function retryJob(rotation: GroupRotation, log: FastifyBaseLogger): ScheduledJob {
  return {
    name: RETRY_JOB,
    cron: '*/20 * * * * *',
    leaseMs: 60_000,
    run: async () => {
      for (const id of await rotation.due())
        await rotation
          .request(id, 'retry')
          .catch((err) => log.warn({ err, codeId: id }, 'group code retry failed'))
    },
  }
}
