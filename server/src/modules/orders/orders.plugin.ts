import { join } from 'node:path'
import fp from 'fastify-plugin'
import { EVENTS } from '../../wecom/events.ts'
import { OrderImportService } from './order-import.service.ts'
import { OrderSourceService } from './order-source.service.ts'
import { orderAdminRoutes, orderPushRoutes, orderSidebarRoutes } from './orders.routes.ts'
import { OrdersService } from './orders.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    orders: OrdersService
    orderSources: OrderSourceService
    orderImports: OrderImportService
  }
}

/** Sweeps follows changed by a full sync (no callback) into the mobile index and binds waiting orders. */
export const ORDER_BIND_JOB = 'orders.bind'

/** Orders in (订单): file imports, the push API, and binding orders to customers. */
export default fp(
  async (app) => {
    const log = app.log.child({ component: 'orders' })
    const orders = new OrdersService(app.db, log)
    const sources = new OrderSourceService(app.db)
    app.decorate('orders', orders)
    app.decorate('orderSources', sources)
    app.decorate(
      'orderImports',
      new OrderImportService(app.db, sources, join(app.config.mediaDir, 'order-uploads'), log, (ids) =>
        orders.afterInsert(ids),
      ),
    )

    // A contact added or edited (remark mobiles, unionid) may be the buyer of orders waiting unbound.
    // Runs after the directory step has mirrored the contact; replays just bind nothing new.
    const step = {
      name: 'orders.bind_customer',
      order: 150,
      run: async (ev: { ExternalUserID?: string }) => {
        if (ev.ExternalUserID) await orders.customersChanged([ev.ExternalUserID])
      },
    }
    for (const change of [
      'add_external_contact',
      'add_half_external_contact',
      'edit_external_contact',
      'transfer_fail',
      'del_external_contact',
      'del_follow_user',
    ])
      app.events.on(EVENTS.contact, change, step)
    // The welcome's gift offer can be limited to a window after the customer's order.
    app.acquisition.welcome.orderLookup = (customer) => orders.lastPaidOrderAt(customer)
    app.scheduler.register({ name: ORDER_BIND_JOB, cron: '* * * * *', run: () => orders.sweep() })

    await app.register(orderAdminRoutes, { prefix: '/api/admin' })
    await app.register(orderSidebarRoutes, { prefix: '/api/sidebar' })
    await app.register(orderPushRoutes, { prefix: '/api/integrations' })
    app.addHook('onReady', () => app.orderImports.failInterrupted())
    app.addHook('preClose', () => app.orderImports.idle())
  },
  { name: 'orders', dependencies: ['db', 'auth', 'sidebar', 'scheduler', 'directory', 'acquisition'] },
)
