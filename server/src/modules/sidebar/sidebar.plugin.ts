import fp from 'fastify-plugin'
import { JsSdkService } from './jssdk.service.ts'
import { sidebarAuthRoutes } from './sidebar-auth.routes.ts'
import sidebarSession from './sidebar-session.ts'
import { sidebarRoutes } from './sidebar.routes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    jsSdk: JsSdkService
  }
}

export default fp(
  async (app) => {
    app.decorate(
      'jsSdk',
      new JsSdkService(app.wecom, app.credentials, app.config.wecom.corpId, app.config.wecom.agentId),
    )
    await app.register(sidebarSession)
    await app.register(sidebarAuthRoutes, { prefix: '/api/sidebar/auth' })
    await app.register(sidebarRoutes, { prefix: '/api/sidebar' })
  },
  { name: 'sidebar', dependencies: ['db', 'wecom', 'auth', 'directory'] },
)
