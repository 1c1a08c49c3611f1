import fp from 'fastify-plugin'
import { recomputeJob } from './recompute.job.ts'
import { segmentAdminRoutes, segmentSidebarRoutes } from './segments.routes.ts'
import { SegmentService } from './segment.service.ts'
import { dialectOf } from './segment-sql.ts'
import { segmentAwareStageResolver } from './segment-stage.ts'
import { TagMirror } from './tag-mirror.ts'
import { TierService } from './tiers.ts'

declare module 'fastify' {
  interface FastifyInstance {
    segments: SegmentService
    segmentTags: TagMirror
    segmentTiers: TierService
  }
}

/** What we need of the orders module; it may not be registered (yet). */
interface OrderEvents {
  onOrderChanged?(listener: (externalUserIds: string[]) => Promise<void>): void
}

/** 客户分层: nightly set-based recompute, incremental after order events, corp tag mirroring. */
export default fp(
  async (app) => {
    const log = app.log.child({ component: 'segments' })
    const mirror = new TagMirror(app.db, app.wecom, dialectOf(app.db), log)
    const segments = new SegmentService(app.db, mirror, log)
    app.decorate('segmentTags', mirror)
    app.decorate('segments', segments)
    app.decorate('segmentTiers', new TierService(app.db, mirror))
    app.scheduler.register(recomputeJob(segments))
    app.customerStage.current = segmentAwareStageResolver(app.db, app.customerStage.current)
    await app.register(segmentAdminRoutes, { prefix: '/api/admin/segments' })
    await app.register(segmentSidebarRoutes, { prefix: '/api/sidebar' })
    // Subscribed once every plugin is loaded, so the order of registration in app.ts does not matter.
    app.addHook('onReady', async () => {
      const orders = (app as unknown as { orders?: OrderEvents }).orders
      if (typeof orders?.onOrderChanged === 'function')
        orders.onOrderChanged(async (ids) => segments.notifyOrdersChanged(ids))
      else log.info('orders module not registered: segments recompute nightly only')
    })
    app.addHook('preClose', async () => {
      await segments.idle()
    })
  },
  { name: 'segments', dependencies: ['db', 'wecom', 'auth', 'sidebar', 'scheduler'] },
)
