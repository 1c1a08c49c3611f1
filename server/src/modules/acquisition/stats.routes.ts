import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { badRequest } from '../../lib/errors.ts'
import { shanghaiDay, shanghaiDayMinus } from './shanghai-time.ts'
import type { ReportRange } from './stats.service.ts'
import { StatsQuery, StatsReport } from '@scrm/shared'

function range(q: StatsQuery): ReportRange {
  const to = q.to ?? shanghaiDay()
  const from = q.from ?? shanghaiDayMinus(29)
  if (from > to) throw badRequest('invalid_range', '开始日期不能晚于结束日期')
  if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000)
    throw badRequest('invalid_range', '统计区间最长一年')
  return { from, to, channelId: q.channelId }
}

/** Channel numbers (渠道统计): per channel, code variant, advisor and day; CSV export. Default: the last 30 days. */
export const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())
  const stats = app.acquisition.stats

  app.get(
    '/stats',
    {
      schema: {
        tags: ['acquisition'],
        querystring: StatsQuery,
        response: {
          200: StatsReport,
        },
      },
    },
    async (req) => stats.report(range(req.query)),
  )

  app.get(
    '/stats.csv',
    { schema: { tags: ['acquisition'], querystring: StatsQuery } },
    async (req, reply) => {
      const q = range(req.query)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="channel-stats-${q.from}_${q.to}.csv"`)
        .send(await stats.csv(q))
    },
  )
}
