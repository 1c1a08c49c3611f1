import fp from 'fastify-plugin'
import type { DataSource } from 'typeorm'
import { createDataSource, dbKindOf, type DbKind } from '../db/data-source.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: DataSource
    dbKind: DbKind
  }
}

export default fp(
  async (app, opts: { migrate: boolean }) => {
    const db = createDataSource(app.config.databaseUrl)
    await db.initialize()
    if (opts.migrate) {
      const ran = await db.runMigrations()
      if (ran.length) app.log.info({ migrations: ran.map((m) => m.name) }, 'migrations applied')
    }
    app.decorate('db', db)
    app.decorate('dbKind', dbKindOf(app.config.databaseUrl))
    // Registered first, so closed last: after the dispatcher and the server have drained.
    app.addHook('onClose', async () => {
      await db.destroy()
    })
  },
  { name: 'db', dependencies: ['config'] },
)
