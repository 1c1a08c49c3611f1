import fp from 'fastify-plugin'
import { reminderScanJob, taskDigestJob } from './reminders.jobs.ts'
import { ReminderService } from './reminder.service.ts'
import { reminderAdminRoutes, reminderSidebarRoutes } from './reminders.routes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    reminders: ReminderService
  }
}

type OrderListener = (externalUserIds: string[]) => Promise<void>

/** 提醒与SOP: run-out reminders (周期购) and their kin, SOP rules, follow-up tasks and the daily digest. */
export default fp(
  async (app) => {
    const log = app.log.child({ component: 'reminders' })
    const reminders = new ReminderService(app, app.db, log)
    app.decorate('reminders', reminders)
    app.scheduler.register(reminderScanJob(reminders))
    app.scheduler.register(taskDigestJob(reminders))
    // The orders module may be registered after this one (or not yet exist): subscribe once all are loaded.
    app.addHook('onReady', async () => {
      const orders = (app as unknown as { orders?: { onOrderChanged?: (l: OrderListener) => void } }).orders
      if (typeof orders?.onOrderChanged !== 'function') {
        log.warn('no orders module: run-out predictions follow orders only through the daily scan')
        return
      }
      orders.onOrderChanged(async (ids) => {
        try {
          await reminders.onOrdersChanged(ids)
        } catch (err) {
          // Never fail the order write; the daily scan recomputes anyway.
          log.error({ err }, 'could not update run-out predictions after an order change')
        }
      })
    })
    await app.register(reminderAdminRoutes, { prefix: '/api/admin/reminders' })
    await app.register(reminderSidebarRoutes, { prefix: '/api/sidebar' })
  },
  { name: 'reminders', dependencies: ['db', 'wecom', 'auth', 'sidebar', 'scheduler', 'scripts'] },
)
