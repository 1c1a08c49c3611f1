import fp from 'fastify-plugin'
import { CustomerViewService } from './customer-view.service.ts'
import { heuristicStageResolver, type CustomerStageResolver } from './customer-stage.ts'
import { JsSdkService } from './jssdk.service.ts'
import { sidebarAuthRoutes } from './sidebar-auth.routes.ts'
import sidebarSession from './sidebar-session.ts'
import { sidebarRoutes } from './sidebar.routes.ts'
import { sidebarHostRoute, sidebarViewRoutes } from './sidebar-views.routes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    jsSdk: JsSdkService
    customerViews: CustomerViewService
    /** Life-path node and segments of a customer; the operations engine may replace `.current`. */
    customerStage: { current: CustomerStageResolver }
  }
}

export default fp(
  async (app) => {
    app.decorate(
      'jsSdk',
      new JsSdkService(app.wecom, app.credentials, app.config.wecom.corpId, app.config.wecom.agentId),
    )
    const stage = { current: heuristicStageResolver(app.db) }
    app.decorate('customerStage', stage)
    app.decorate('customerViews', new CustomerViewService(app.db, app.wecom, () => stage.current))
    await app.register(sidebarSession)
    await app.register(sidebarAuthRoutes, { prefix: '/api/sidebar/auth' })
    await app.register(sidebarRoutes, { prefix: '/api/sidebar' })
    await app.register(sidebarViewRoutes, { prefix: '/api/sidebar' })
    await app.register(sidebarHostRoute, { prefix: '/api/sidebar' })
  },
  { name: 'sidebar', dependencies: ['db', 'wecom', 'auth', 'directory'] },
)
