import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { notFound } from '../../lib/errors.ts'
import { INBOX_STATUSES, InboxItem, InboxStats, InboxStatus, PageQuery } from '@scrm/shared'
import { InboxEntity } from './inbox.entity.ts'

/** 回调收件箱: what WeCom sent us, what became of it, and a replay for parked rows. */
export const inboxRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())
  const repo = app.db.getRepository(InboxEntity)

  app.get('/stats', { schema: { tags: ['inbox'], response: { 200: InboxStats } } }, async () => {
    const rows = await repo
      .createQueryBuilder('i')
      .select('i.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .groupBy('i.status')
      .getRawMany<{ status: string; n: string | number }>()
    const stats: Record<string, number> = Object.fromEntries(INBOX_STATUSES.map((s) => [s, 0]))
    for (const r of rows) stats[r.status] = Number(r.n)
    return stats
  })

  app.get(
    '/',
    {
      schema: {
        tags: ['inbox'],
        querystring: Type.Object({
          status: Type.Optional(InboxStatus),
          event: Type.Optional(Type.String({ maxLength: 64 })),
          ...PageQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(InboxItem), total: Type.Integer() }) },
      },
    },
    async (req) => {
      const { status, event, page, pageSize } = req.query
      const [rows, total] = await repo.findAndCount({
        where: { ...(status ? { status } : {}), ...(event ? { event } : {}) },
        order: { id: 'DESC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      })
      return {
        total,
        items: rows.map((r) => ({
          id: r.id,
          event: r.event,
          changeType: r.changeType,
          entityKey: r.entityKey,
          status: r.status,
          attempts: r.attempts,
          stepsDone: r.stepsDone ? r.stepsDone.split(',') : [],
          lastError: r.lastError,
          receivedAt: r.receivedAt.toISOString(),
          processedAt: r.processedAt ? r.processedAt.toISOString() : null,
        })),
      }
    },
  )

  app.post(
    '/:id/replay',
    {
      schema: {
        tags: ['inbox'],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ ok: Type.Boolean() }) },
      },
    },
    async (req) => {
      if (!(await repo.existsBy({ id: req.params.id }))) throw notFound(`inbox row ${req.params.id}`)
      return { ok: await app.inbox.dispatcher.replay(req.params.id) }
    },
  )
}
