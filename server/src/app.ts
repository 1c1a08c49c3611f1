import rateLimit from '@fastify/rate-limit'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import type { AppConfig } from './config.ts'
import { adminUsersRoutes } from './modules/auth/admin-users.routes.ts'
import { authRoutes } from './modules/auth/auth.routes.ts'
import directory from './modules/directory/directory.plugin.ts'
import acquisition from './modules/acquisition/acquisition.plugin.ts'
import groups from './modules/groups/groups.plugin.ts'
import scheduler from './plugins/scheduler.ts'
import { healthRoutes } from './modules/health.routes.ts'
import sidebar from './modules/sidebar/sidebar.plugin.ts'
import scripts from './modules/scripts/scripts.plugin.ts'
import products from './modules/products/products.plugin.ts'
import orders from './modules/orders/orders.plugin.ts'
import reminders from './modules/reminders/reminders.plugin.ts'
import campaigns from './modules/campaigns/campaigns.plugin.ts'
import segments from './modules/segments/segments.plugin.ts'
import type { DispatcherOptions } from './modules/inbox/dispatcher.ts'
import authPlugin from './plugins/auth.ts'
import configPlugin from './plugins/config.ts'
import dbPlugin from './plugins/db.ts'
import docs from './plugins/docs.ts'
import errors from './plugins/errors.ts'
import validation from './plugins/validation.ts'
import inbox from './plugins/inbox.ts'
import web from './plugins/web.ts'
import wecomPlugin, { type WeComPluginOptions } from './plugins/wecom.ts'
import simulator from './plugins/simulator.ts'

export interface BuildOptions {
  /** Run pending migrations at start (the demo and tests do; production runs `migration:run`). */
  migrate?: boolean
  dispatcher?: Partial<DispatcherOptions>
  wecom?: WeComPluginOptions
  /** Seconds a callback timestamp may be off; 0 turns the check off (the official vectors are from 2016). */
  callbackMaxSkewSec?: number
  /** Contacts per sync page; tests use small pages to exercise paging and resume. */
  syncPageSize?: number
}

export type App = FastifyInstance

/** Builds the whole application; used by main, the tests and the benchmarks alike. */
export async function buildApp(config: AppConfig, opts: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(configPlugin, { config })
  await app.register(errors)
  await app.register(validation)
  await app.register(docs)
  await app.register(rateLimit, { global: false })
  await app.register(dbPlugin, { migrate: opts.migrate ?? config.env !== 'production' })
  await app.register(authPlugin)
  await app.register(wecomPlugin, opts.wecom ?? {})
  await app.register(inbox, {
    dispatcher: opts.dispatcher,
    callbackMaxSkewSec: opts.callbackMaxSkewSec ?? 3600,
  })
  await app.register(directory, { pageSize: opts.syncPageSize })
  await app.register(scheduler)
  await app.register(acquisition)
  await app.register(groups)
  await app.register(sidebar)
  await app.register(scripts)
  await app.register(products)
  await app.register(orders)
  await app.register(reminders)
  await app.register(campaigns)
  await app.register(segments)
  await app.register(healthRoutes)
  await app.register(authRoutes, { prefix: '/api/admin/auth' })
  await app.register(adminUsersRoutes, { prefix: '/api/admin/users' })
  if (config.simulator) await app.register(simulator)
  await app.register(web)
  return app as unknown as App
}
