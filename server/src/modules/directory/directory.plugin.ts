import fp from 'fastify-plugin'
import { directoryRoutes } from './directory.routes.ts'
import { registerDirectorySteps } from './directory.steps.ts'
import { DirectorySync } from './sync.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    directorySync: DirectorySync
  }
}

export default fp<{ pageSize?: number }>(
  async (app, opts) => {
    app.decorate(
      'directorySync',
      new DirectorySync(app.db, app.wecom, app.log.child({ component: 'directory-sync' }), opts.pageSize),
    )
    registerDirectorySteps(app.events, app.db, app.wecom)
    await app.register(directoryRoutes, { prefix: '/api/admin' })
    app.addHook('preClose', () => app.directorySync.wait())
  },
  { name: 'directory', dependencies: ['db', 'wecom', 'auth'] },
)
