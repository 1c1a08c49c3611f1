import fp from 'fastify-plugin'
import { GroupCodeService } from './group-code.service.ts'
import { groupAdminRoutes } from './group-codes.routes.ts'
import { GroupStatsService } from './group-stats.service.ts'
import { reconcileJob, retryJob } from './groups.jobs.ts'
import { registerGroupSteps } from './groups.steps.ts'
import { JoinWayApi } from './join-way.ts'
import { groupPublicRoutes } from './public.routes.ts'
import { GroupRotation } from './rotation.ts'
import { StoreService } from './store.service.ts'

export interface Groups {
  codes: GroupCodeService
  rotation: GroupRotation
  stats: GroupStatsService
  stores: StoreService
}

declare module 'fastify' {
  interface FastifyInstance {
    groups: Groups
  }
}

// Customer groups: group codes that never fill (群活码 / 自动换群), group welcome, member joins and
// quits, group stats, and stores by location.
export default fp(
  async (app) => {
    const log = app.log.child({ component: 'groups' })
    const api = new JoinWayApi(app.wecom)
    const rotation = new GroupRotation(app.db, api, log)
    const codes = new GroupCodeService(app.db, app.wecom, api, rotation, app.config.wecom.agentId, log)
    app.decorate('groups', {
      codes,
      rotation,
      stats: new GroupStatsService(app.db),
      stores: new StoreService(app.db),
    })
    registerGroupSteps(app.events, { db: app.db, rotation, log })
    app.scheduler.register(reconcileJob(app.db, codes, rotation, log))
    app.scheduler.register(retryJob(rotation, log))
    await app.register(groupAdminRoutes, { prefix: '/api/admin' })
    await app.register(groupPublicRoutes, { prefix: '/api/public' })
  },
  { name: 'groups', dependencies: ['db', 'wecom', 'auth', 'directory', 'scheduler'] },
)
