import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { badRequest } from '../../lib/errors.ts'
import { shanghaiDay, shanghaiDayMinus } from './shanghai-time.ts'
import type { StatsQuery } from './stats.service.ts'

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
const Query = Type.Object({
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  channelId: Type.Optional(Type.Integer({ minimum: 1 })),
})
const Row = Type.Object({
  key: Type.String(),
  label: Type.String(),
  channelId: Type.Union([Type.Integer(), Type.Null()]),
  adds: Type.Integer(),
  losses: Type.Integer(),
  net: Type.Integer(),
  following: Type.Integer(),
  retention: Type.Number(),
})

function range(q: { from?: string; to?: string; channelId?: number }): StatsQuery {
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
        querystring: Query,
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            totals: Type.Object({
              adds: Type.Integer(),
              losses: Type.Integer(),
              net: Type.Integer(),
              following: Type.Integer(),
              retention: Type.Number(),
            }),
            byChannel: Type.Array(Row),
            byCode: Type.Array(Row),
            byAdvisor: Type.Array(Row),
            byDay: Type.Array(Row),
            series: Type.Array(
              Type.Object({
                day: Type.String(),
                channelId: Type.Union([Type.Integer(), Type.Null()]),
                label: Type.String(),
                adds: Type.Integer(),
                losses: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => stats.report(range(req.query)),
  )

  app.get('/stats.csv', { schema: { tags: ['acquisition'], querystring: Query } }, async (req, reply) => {
    const q = range(req.query)
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="channel-stats-${q.from}_${q.to}.csv"`)
      .send(await stats.csv(q))
  })
}
