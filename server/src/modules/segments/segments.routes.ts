import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  CustomerSegmentView,
  ErrorBody,
  MemberTier,
  MemberTierInput,
  RecomputeResult,
  ScriptStatsReport,
  SegmentDimensionSchema,
  SegmentOverview,
  SegmentSettings,
} from '@scrm/shared'
import { AppError, badRequest } from '../../lib/errors.ts'
import { RECOMPUTE_JOB } from './recompute.job.ts'
import { runOut, segmentOf } from './segment.service.ts'
import { loadSettings, writeSetting } from './segment-settings.ts'
import { scriptStats } from './script-stats.ts'

const Items = Type.Object({ items: Type.Array(MemberTier) })

/** Admin: 客户分层 — tiers, settings, distributions, recompute now, tag mirroring, script stats. */
export const segmentAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())
  const tags = ['segments']

  app.get('/overview', { schema: { tags, response: { 200: SegmentOverview } } }, async () => ({
    ...(await app.segments.overview()),
    mirror: await app.segmentTags.status(),
  }))

  app.get('/tiers', { schema: { tags, response: { 200: Items } } }, async () => ({
    items: await app.segmentTiers.list(),
  }))
  app.put(
    '/tiers',
    {
      schema: {
        tags,
        body: Type.Object(
          { items: Type.Array(MemberTierInput, { maxItems: 20 }) },
          { additionalProperties: false },
        ),
        response: { 200: Items, 400: ErrorBody },
      },
    },
    async (req) => ({ items: await app.segmentTiers.replace(req.body.items) }),
  )

  app.get('/settings', { schema: { tags, response: { 200: SegmentSettings } } }, async () =>
    loadSettings(app.db),
  )
  app.put(
    '/settings',
    { schema: { tags, body: SegmentSettings, response: { 200: SegmentSettings, 400: ErrorBody } } },
    async (req) => {
      const s = req.body
      if (s.priceLowShare > s.priceHighShare)
        throw badRequest('bad_price_thresholds', '低敏感阈值不能高于高敏感阈值')
      if (s.valueMidCents > s.valueHighCents) throw badRequest('bad_value_bands', '中档金额不能高于高档金额')
      if (s.intervalMonthlyDays > s.intervalQuarterlyDays)
        throw badRequest('bad_intervals', '月度回购天数不能大于季度回购天数')
      const before = await loadSettings(app.db)
      const after = { ...s, mirrorDimensions: [...new Set(s.mirrorDimensions)] }
      await writeSetting(app.db, 'settings', after)
      // Turning mirroring on creates the tags at once (errors surface here, not at 02:30).
      if (
        after.mirrorEnabled &&
        (!before.mirrorEnabled || after.mirrorDimensions.join() !== before.mirrorDimensions.join())
      )
        await app.segmentTags.ensureTags(after)
      return after
    },
  )

  app.post(
    '/recompute',
    { schema: { tags, response: { 200: RecomputeResult, 409: ErrorBody } } },
    async () => {
      const ran = await app.scheduler.runNow(RECOMPUTE_JOB)
      if (!ran) throw new AppError(409, 'recompute_running', '分层正在另一处重算，请稍后再试')
      const run = await app.segments.lastRun()
      if (run?.error) throw new AppError(500, 'recompute_failed', run.error)
      return { ran, run: run ? runOut(run) : null }
    },
  )

  app.get(
    '/script-stats',
    {
      schema: {
        tags,
        querystring: Type.Object({
          dimension: Type.Optional(SegmentDimensionSchema),
          days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
        }),
        response: { 200: ScriptStatsReport },
      },
    },
    async (req) =>
      scriptStats(app.db, app.segments.dialect, req.query.dimension ?? 'rfm', req.query.days ?? 90),
  )
}

/** Sidebar: the customer's segments, for an advisor who follows them. */
export const segmentSidebarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdvisor)
  app.get(
    '/customers/:externalUserId/segment',
    {
      schema: {
        tags: ['sidebar'],
        params: Type.Object({ externalUserId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: CustomerSegmentView, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (req) => {
      await app.customerViews.requireFollow(req.advisor!.userId, req.params.externalUserId)
      return segmentOf(app.db, req.params.externalUserId)
    },
  )
}
