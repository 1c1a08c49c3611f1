import type { ScheduledJob } from '../../plugins/scheduler.ts'
import type { SegmentService } from './segment.service.ts'

export const RECOMPUTE_JOB = 'segments.recompute'

/**
 * Nightly at 02:30 (Asia/Shanghai), one instance (the scheduler's lease): every customer's segments.
 * The run on the 1st is the monthly one — tiers read the calendar month that just ended.
 */
export const recomputeJob = (segments: SegmentService): ScheduledJob => ({
  name: RECOMPUTE_JOB,
  cron: '30 2 * * *',
  leaseMs: 30 * 60_000,
  run: async () => {
    await segments.recomputeAll()
  },
})
