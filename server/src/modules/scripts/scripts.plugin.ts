import fp from 'fastify-plugin'
import { ScriptService } from './script.service.ts'
import { scriptAdminRoutes, scriptSidebarRoutes } from './scripts.routes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    scripts: ScriptService
  }
}

/** 话术库. Files of image/file scripts are kept under MEDIA_DIR (default ./data/media) for re-uploads. */
export default fp(
  async (app) => {
    app.decorate('scripts', new ScriptService(app.db, app.wecom, app.config.mediaDir))
    // WeCom drops a temporary media id after 3 days: re-upload image/file scripts before that, hourly.
    app.scheduler.register({
      name: 'script-media-refresh',
      cron: '17 * * * *',
      run: async () => {
        const n = await app.scripts.refreshExpiring()
        if (n) app.log.info({ refreshed: n }, 'script media ids refreshed')
      },
    })
    await app.register(scriptAdminRoutes, { prefix: '/api/admin' })
    await app.register(scriptSidebarRoutes, { prefix: '/api/sidebar' })
  },
  { name: 'scripts', dependencies: ['db', 'wecom', 'auth', 'sidebar', 'scheduler'] },
)
