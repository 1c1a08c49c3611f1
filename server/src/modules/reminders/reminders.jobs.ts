import type { ScheduledJob } from '../../plugins/scheduler.ts'
import type { ReminderService } from './reminder.service.ts'

/** 08:50 daily (Asia/Shanghai): predictions, reminders, SOP tasks and their app messages, one leader. */
export const reminderScanJob = (reminders: ReminderService): ScheduledJob => ({
  name: 'reminders.scan',
  cron: '50 8 * * *',
  leaseMs: 30 * 60_000,
  run: async () => {
    await reminders.scan()
  },
})

/** 09:00 daily: each advisor's digest of open tasks. */
export const taskDigestJob = (reminders: ReminderService): ScheduledJob => ({
  name: 'reminders.digest',
  cron: '0 9 * * *',
  run: async () => {
    await reminders.digest()
  },
})
