import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Brackets } from 'typeorm'
import { badRequest } from '../../lib/errors.ts'
import { LostAlertSettings, LostCustomerOut, LostQuery } from '@scrm/shared'
import { StaffEntity } from '../directory/staff.entity.ts'
import { LostCustomerEntity } from './lost-customer.entity.ts'
import { readSetting, writeSetting } from './settings.ts'

/** Lost customers (流失客户) with filters, and the alert settings. */
export const lostRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())

  app.get(
    '/lost',
    {
      schema: {
        tags: ['acquisition'],
        querystring: LostQuery,
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(LostCustomerOut) }) },
      },
    },
    async (req) => {
      const { from, to, channelId, userId, reason, q, page, pageSize } = req.query
      const qb = app.db.getRepository(LostCustomerEntity).createQueryBuilder('l')
      if (from) qb.andWhere('l.day >= :from', { from })
      if (to) qb.andWhere('l.day <= :to', { to })
      if (channelId === 0) qb.andWhere('l.channel_id IS NULL')
      else if (channelId) qb.andWhere('l.channel_id = :channelId', { channelId })
      if (userId) qb.andWhere('l.user_id = :userId', { userId })
      if (reason) qb.andWhere('l.reason = :reason', { reason })
      if (q) {
        const like = `%${q.replace(/[%_]/g, '')}%`
        qb.andWhere(
          new Brackets((b) =>
            b.where('l.customer_name LIKE :like', { like }).orWhere('l.external_user_id = :q', { q }),
          ),
        )
      }
      const [rows, total] = await qb
        .orderBy('l.lost_at', 'DESC')
        .addOrderBy('l.id', 'DESC')
        .skip((page - 1) * pageSize)
        .take(pageSize)
        .getManyAndCount()
      const staff = new Map(
        (await app.db.getRepository(StaffEntity).find({ select: { userId: true, name: true } })).map((s) => [
          s.userId,
          s.name,
        ]),
      )
      return {
        total,
        items: rows.map((l) => ({
          id: l.id,
          externalUserId: l.externalUserId,
          customerName: l.customerName,
          userId: l.userId,
          staffName: staff.get(l.userId) ?? l.userId,
          reason: l.reason,
          channelId: l.channelId,
          channelName: l.channelName,
          lostAt: l.lostAt.toISOString(),
          addedAt: l.addedAt?.toISOString() ?? null,
          alertStatus: l.alertStatus,
          alertError: l.alertError,
          alertedTo: l.alertedTo,
        })),
      }
    },
  )

  app.get(
    '/settings/lost-alert',
    { schema: { tags: ['acquisition'], response: { 200: LostAlertSettings } } },
    async () => readSetting(app.db, 'lost_alert'),
  )
  app.put(
    '/settings/lost-alert',
    { schema: { tags: ['acquisition'], body: LostAlertSettings, response: { 200: LostAlertSettings } } },
    async (req) => {
      if (
        req.body.supervisorUserId &&
        !(await app.db.getRepository(StaffEntity).exists({ where: { userId: req.body.supervisorUserId } }))
      )
        throw badRequest('unknown_staff', `主管不存在或未同步：${req.body.supervisorUserId}`)
      await writeSetting(app.db, 'lost_alert', req.body)
      return req.body
    },
  )
}
