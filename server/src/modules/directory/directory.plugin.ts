import fp from 'fastify-plugin'
import { ContactReader } from './contact-reader.ts'
import { directoryRoutes } from './directory.routes.ts'
import { registerDirectorySteps } from './directory.steps.ts'
import { DirectorySync } from './sync.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    directorySync: DirectorySync
    contacts: ContactReader
  }
}

export default fp<{ pageSize?: number }>(
  async (app, opts) => {
    app.decorate(
      'directorySync',
      new DirectorySync(app.db, app.wecom, app.log.child({ component: 'directory-sync' }), opts.pageSize),
    )
    app.decorate('contacts', new ContactReader(app.wecom))
    registerDirectorySteps(app.events, app.db, app.wecom, app.contacts)
    await app.register(directoryRoutes, { prefix: '/api/admin' })
    app.addHook('preClose', () => app.directorySync.wait())
  },
  { name: 'directory', dependencies: ['db', 'wecom', 'auth'] },
)
