import { In, LessThan, MoreThan, type DataSource } from 'typeorm'
import { AcquisitionRecordEntity } from '../modules/acquisition/acquisition-record.entity.ts'
import type { FollowUps } from '../modules/acquisition/follow-ups.ts'
import type { ScheduledJob } from '../plugins/scheduler.ts'

/**
 * Every 10 minutes: tags and remarks that still failed after the dispatcher's own retries (WeCom down
 * for longer than its backoff) are tried again for a day. Never touches the welcome.
 */
export const retryFollowUpsJob = (db: DataSource, followUps: FollowUps): ScheduledJob => ({
  name: 'acquisition.retry-follow-ups',
  cron: '*/10 * * * *',
  run: async () => {
    const now = Date.now()
    const rows = await db.getRepository(AcquisitionRecordEntity).find({
      where: [
        {
          tagStatus: In(['failed']),
          updatedAt: LessThan(new Date(now - 5 * 60_000)),
          addedAt: MoreThan(new Date(now - 86_400_000)),
        },
        {
          remarkStatus: In(['failed']),
          updatedAt: LessThan(new Date(now - 5 * 60_000)),
          addedAt: MoreThan(new Date(now - 86_400_000)),
        },
      ],
      take: 200,
    })
    for (const rec of rows) {
      await followUps.tag(rec).catch(() => undefined)
      await followUps.remark(rec).catch(() => undefined)
    }
  },
})
