import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { In, Like } from 'typeorm'
import {
  CustomerItem,
  GroupChatItem,
  PageQuery,
  StaffItem,
  SyncRun as SyncRunBody,
  TagGroupItem,
} from '@scrm/shared'
import { CustomerEntity } from './customer.entity.ts'
import { CustomerFollowEntity, FollowTagEntity } from './follow.entity.ts'
import { GroupChatEntity } from './group-chat.entity.ts'
import { StaffEntity } from './staff.entity.ts'
import { SyncRunEntity, type SyncRun } from './sync-run.entity.ts'
import { TagEntity, TagGroupEntity } from './tag.entity.ts'

const toRunBody = (r: SyncRun) => ({
  id: r.id,
  status: r.status,
  phase: r.phase,
  counts: JSON.parse(r.counts),
  error: r.error,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
})

/** The directory mirror, read-only for the admin console, plus the full-sync trigger. */
export const directoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())
  const db = app.db

  app.post(
    '/sync',
    { schema: { tags: ['directory'], response: { 202: Type.Object({ run: SyncRunBody }) } } },
    async (_req, reply) => {
      const run = await app.directorySync.start()
      return reply.status(202).send({ run: toRunBody(run) })
    },
  )

  app.get(
    '/sync/runs',
    { schema: { tags: ['directory'], response: { 200: Type.Object({ items: Type.Array(SyncRunBody) }) } } },
    async () => ({
      items: (await db.getRepository(SyncRunEntity).find({ order: { id: 'DESC' }, take: 20 })).map(toRunBody),
    }),
  )

  app.get(
    '/staff',
    {
      schema: {
        tags: ['directory'],
        response: { 200: Type.Object({ items: Type.Array(StaffItem) }) },
      },
    },
    async () => {
      const staff = await db.getRepository(StaffEntity).find({ order: { userId: 'ASC' } })
      const counts = await db
        .getRepository(CustomerFollowEntity)
        .createQueryBuilder('f')
        .select('f.user_id', 'userId')
        .addSelect('COUNT(*)', 'n')
        .where('f.status = :s', { s: 'active' })
        .groupBy('f.user_id')
        .getRawMany<{ userId: string; n: string | number }>()
      const byUser = new Map(counts.map((c) => [c.userId, Number(c.n)]))
      return {
        items: staff.map((s) => ({
          userId: s.userId,
          name: s.name,
          avatar: s.avatar,
          isFollowUser: s.isFollowUser,
          customerCount: byUser.get(s.userId) ?? 0,
        })),
      }
    },
  )

  app.get(
    '/customers',
    {
      schema: {
        tags: ['directory'],
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 64 })), ...PageQuery }),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            items: Type.Array(CustomerItem),
          }),
        },
      },
    },
    async (req) => {
      const { q, page, pageSize } = req.query
      const [customers, total] = await db.getRepository(CustomerEntity).findAndCount({
        where: q ? { name: Like(`%${q.replace(/[%_]/g, '')}%`) } : {},
        order: { updatedAt: 'DESC' },
        skip: (page - 1) * pageSize,
        take: pageSize,
      })
      const ids = customers.map((c) => c.externalUserId)
      const follows = ids.length
        ? await db.getRepository(CustomerFollowEntity).find({ where: { externalUserId: In(ids) } })
        : []
      const tagLinks = ids.length
        ? await db.getRepository(FollowTagEntity).find({ where: { externalUserId: In(ids) } })
        : []
      const tags = new Map((await db.getRepository(TagEntity).find()).map((t) => [t.tagId, t]))
      const groups = new Map((await db.getRepository(TagGroupEntity).find()).map((g) => [g.groupId, g.name]))
      const staff = new Map((await db.getRepository(StaffEntity).find()).map((s) => [s.userId, s.name]))
      return {
        total,
        items: customers.map((c) => ({
          externalUserId: c.externalUserId,
          name: c.name,
          avatar: c.avatar,
          type: c.type,
          follows: follows
            .filter((f) => f.externalUserId === c.externalUserId)
            .map((f) => ({
              userId: f.userId,
              staffName: staff.get(f.userId) ?? f.userId,
              remark: f.remark,
              status: f.status,
              addTime: f.addTime.toISOString(),
              state: f.state,
              tags: tagLinks
                .filter(
                  (l) => l.externalUserId === c.externalUserId && l.userId === f.userId && tags.has(l.tagId),
                )
                .map((l) => {
                  const t = tags.get(l.tagId)!
                  return { tagId: t.tagId, name: t.name, groupName: groups.get(t.groupId) ?? '' }
                }),
            })),
        })),
      }
    },
  )

  app.get(
    '/tags',
    {
      schema: {
        tags: ['directory'],
        response: {
          200: Type.Object({
            groups: Type.Array(TagGroupItem),
          }),
        },
      },
    },
    async () => {
      const groups = await db.getRepository(TagGroupEntity).find({ order: { order: 'ASC', name: 'ASC' } })
      const tags = await db.getRepository(TagEntity).find({ order: { order: 'ASC', name: 'ASC' } })
      return {
        groups: groups.map((g) => ({
          groupId: g.groupId,
          name: g.name,
          tags: tags.filter((t) => t.groupId === g.groupId).map((t) => ({ tagId: t.tagId, name: t.name })),
        })),
      }
    },
  )

  app.get(
    '/groups',
    {
      schema: {
        tags: ['directory'],
        querystring: Type.Object({ ...PageQuery }),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            items: Type.Array(GroupChatItem),
          }),
        },
      },
    },
    async (req) => {
      const { page, pageSize } = req.query
      const [rows, total] = await db
        .getRepository(GroupChatEntity)
        .findAndCount({ order: { createdAt: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize })
      const staff = new Map((await db.getRepository(StaffEntity).find()).map((s) => [s.userId, s.name]))
      return {
        total,
        items: rows.map((g) => ({
          chatId: g.chatId,
          name: g.name,
          ownerUserId: g.ownerUserId,
          ownerName: staff.get(g.ownerUserId) ?? g.ownerUserId,
          memberCount: g.memberCount,
          status: g.status,
          createdAt: g.createdAt.toISOString(),
        })),
      }
    },
  )
}
