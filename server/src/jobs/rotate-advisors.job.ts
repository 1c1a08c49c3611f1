import type { AdvisorRotation } from '../modules/acquisition/advisor-rotation.ts'
import type { ScheduledJob } from '../plugins/scheduler.ts'

/** Every minute: advisors whose schedule starts or ends, and caps that reset at midnight, reach WeCom's contact ways. */
export const rotateAdvisorsJob = (rotation: AdvisorRotation): ScheduledJob => ({
  name: 'acquisition.rotate-advisors',
  cron: '* * * * *',
  run: async () => {
    await rotation.syncAll()
  },
})
