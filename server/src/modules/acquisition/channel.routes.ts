import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { fetchQrImage } from '../../wecom/qr-image.ts'
import { Type } from 'typebox'
import { In } from 'typeorm'
import { IsoDate, NullableIsoDate } from '@scrm/shared'
import { CustomerEntity } from '../directory/customer.entity.ts'
import { StaffEntity } from '../directory/staff.entity.ts'
import { AcquisitionRecordEntity } from './acquisition-record.entity.ts'
import { ChannelBody, ChannelOut, IdParams } from '@scrm/shared'
import { REMARK_PLACEHOLDERS, WELCOME_PLACEHOLDERS } from './templates.ts'

const Ok = Type.Object({ ok: Type.Boolean() })

/** Channels (渠道活码): CRUD kept in step with WeCom, QR images, and the log of adds with each step's outcome. */
export const channelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())
  const svc = app.acquisition.channels

  app.get(
    '/channels',
    { schema: { tags: ['acquisition'], response: { 200: Type.Object({ items: Type.Array(ChannelOut) }) } } },
    async () => ({
      items: await svc.list(),
    }),
  )
  app.get(
    '/channels/:id',
    { schema: { tags: ['acquisition'], params: IdParams, response: { 200: ChannelOut } } },
    async (req) => svc.get(req.params.id),
  )
  app.post(
    '/channels',
    { schema: { tags: ['acquisition'], body: ChannelBody, response: { 201: ChannelOut } } },
    async (req, reply) => reply.status(201).send(await svc.create(req.body)),
  )
  app.put(
    '/channels/:id',
    { schema: { tags: ['acquisition'], params: IdParams, body: ChannelBody, response: { 200: ChannelOut } } },
    async (req) => svc.update(req.params.id, req.body),
  )
  app.delete(
    '/channels/:id',
    { schema: { tags: ['acquisition'], params: IdParams, response: { 200: Ok } } },
    async (req) => {
      await svc.remove(req.params.id)
      return { ok: true }
    },
  )

  app.get(
    '/placeholders',
    {
      schema: {
        tags: ['acquisition'],
        response: {
          200: Type.Object({
            welcome: Type.Record(Type.String(), Type.String()),
            remark: Type.Record(Type.String(), Type.String()),
          }),
        },
      },
    },
    async () => ({ welcome: { ...WELCOME_PLACEHOLDERS }, remark: { ...REMARK_PLACEHOLDERS } }),
  )

  app.get(
    '/codes/:id/qr.png',
    {
      schema: {
        tags: ['acquisition'],
        params: IdParams,
        querystring: Type.Object({ download: Type.Optional(Type.Boolean()) }),
      },
    },
    async (req, reply) => {
      const code = await svc.code(req.params.id)
      const qr = await fetchQrImage(code.qrCode)
      const channel = await svc.live(code.channelId).catch(() => null)
      reply.type(qr.type).header('cache-control', 'private, max-age=300')
      if (req.query.download) {
        const file = `${channel?.name ?? 'channel'}-${code.name}.png`
        reply.header(
          'content-disposition',
          `attachment; filename="qr-${code.id}.png"; filename*=UTF-8''${encodeURIComponent(file)}`,
        )
      }
      return reply.send(qr.png)
    },
  )

  const RecordOut = Type.Object({
    id: Type.Integer(),
    externalUserId: Type.String(),
    customerName: Type.String(),
    userId: Type.String(),
    staffName: Type.String(),
    channelId: Type.Union([Type.Integer(), Type.Null()]),
    channelName: Type.String(),
    codeId: Type.Union([Type.Integer(), Type.Null()]),
    state: Type.String(),
    half: Type.Boolean(),
    addedAt: IsoDate,
    welcomeKind: Type.String(),
    welcomeStatus: Type.String(),
    welcomeError: Type.String(),
    welcomeSentAt: NullableIsoDate,
    tagStatus: Type.String(),
    tagError: Type.String(),
    remarkStatus: Type.String(),
    remarkText: Type.String(),
    remarkError: Type.String(),
  })
  app.get(
    '/records',
    {
      schema: {
        tags: ['acquisition'],
        querystring: Type.Object({
          channelId: Type.Optional(Type.Integer({ minimum: 1 })),
          page: Type.Integer({ minimum: 1, default: 1 }),
          pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
        }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(RecordOut) }) },
      },
    },
    async (req) => {
      const { channelId, page, pageSize } = req.query
      const [rows, total] = await app.db.getRepository(AcquisitionRecordEntity).findAndCount({
        where: channelId ? { channelId } : {},
        order: { id: 'DESC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      })
      const customers = rows.length
        ? await app.db
            .getRepository(CustomerEntity)
            .findBy({ externalUserId: In(rows.map((r) => r.externalUserId)) })
        : []
      const staff = rows.length
        ? await app.db.getRepository(StaffEntity).findBy({ userId: In(rows.map((r) => r.userId)) })
        : []
      return {
        total,
        items: rows.map((r) => ({
          id: r.id,
          externalUserId: r.externalUserId,
          customerName: customers.find((c) => c.externalUserId === r.externalUserId)?.name ?? '',
          userId: r.userId,
          staffName: staff.find((s) => s.userId === r.userId)?.name ?? r.userId,
          channelId: r.channelId,
          channelName: r.channelName,
          codeId: r.codeId,
          state: r.state,
          half: r.half,
          addedAt: r.addedAt.toISOString(),
          welcomeKind: r.welcomeKind,
          welcomeStatus: r.welcomeStatus,
          welcomeError: r.welcomeError,
          welcomeSentAt: r.welcomeSentAt?.toISOString() ?? null,
          tagStatus: r.tagStatus,
          tagError: r.tagError,
          remarkStatus: r.remarkStatus,
          remarkText: r.remarkText,
          remarkError: r.remarkError,
        })),
      }
    },
  )
}
