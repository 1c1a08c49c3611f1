// Callback steps for customer groups (change_external_chat). They run after the directory's own step
// (order 100), which has already re-read the group, so the mirror's member count and join times are
// current. Every step is idempotent: member events are keyed, rotation re-reads WeCom.
import type { FastifyBaseLogger } from 'fastify'
import { In, type DataSource } from 'typeorm'
import { fromUnix } from '../../lib/time.ts'
import { EVENTS, type CallbackEvent } from '../../wecom/events.ts'
import type { EventHandlerRegistry } from '../inbox/handler-registry.ts'
import { GroupChatEntity } from '../directory/group-chat.entity.ts'
import { GroupCodeEntity, GroupCodePoolEntity } from './group-code.entity.ts'
import { joinsFromMirror, recordMemberChanges, snapshotMembers } from './member-tracking.ts'
import { parse, type GroupRotation } from './rotation.ts'

const ORDER = 110
const CHECK_EVERY_MS = 1000

function memberList(ev: CallbackEvent): string[] {
  const v = ev.MemChangeList as unknown
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '')
  return typeof v === 'string' && v ? [v] : []
}

export function registerGroupSteps(
  events: EventHandlerRegistry,
  s: { db: DataSource; rotation: GroupRotation; log: FastifyBaseLogger },
) {
  const { db, rotation } = s
  const lastCheck = new Map<number, number>()

  /** Codes that list the group right now. */
  const codesListing = async (chatId: string) => {
    const pools = await db
      .getRepository(GroupCodePoolEntity)
      .find({ where: { chatId }, select: { groupCodeId: true } })
    if (!pools.length) return []
    const codes = await db
      .getRepository(GroupCodeEntity)
      .find({ where: { id: In(pools.map((p) => p.groupCodeId)), status: 'active' } })
    return codes.filter((c) => parse(c.liveChatIds).includes(chatId))
  }

  events.on(EVENTS.chat, 'update', {
    name: 'groups.members',
    order: ORDER,
    run: async (ev) => {
      const chatId = ev.ChatId
      const detail = ev.UpdateDetail
      if (!chatId || (detail !== 'add_member' && detail !== 'del_member')) return
      const at = fromUnix(ev.CreateTime)
      const ids = memberList(ev)
      if (detail === 'add_member')
        await recordMemberChanges(db, await joinsFromMirror(db, chatId, ids, Number(ev.JoinScene ?? 0), at))
      else
        await recordMemberChanges(
          db,
          ids.map((memberId) => ({
            chatId,
            memberId,
            kind: 'quit' as const,
            scene: Number(ev.QuitScene ?? 0),
            at,
          })),
        )
      const group = await db
        .getRepository(GroupChatEntity)
        .findOne({ where: { chatId }, select: { chatId: true, memberCount: true, status: true } })
      if (group?.status === 'active') await snapshotMembers(db, new Map([[chatId, group.memberCount]]))
      if (detail !== 'add_member' || !group) return
      // Rotate before WeCom's 200: a live group at the threshold leaves the join way.
      const listing = await codesListing(chatId)
      for (const code of listing)
        if (group.memberCount >= code.threshold) await rotation.request(code.id, 'event')
      // Under a burst the callbacks of the group filling now may wait behind older ones, so any join into
      // a code's pool also triggers a check of its live groups (read fresh from WeCom), at most once a second
      // per code and instance: the overshoot stays bounded by seconds of arrivals, not by the backlog.
      const pools = await db
        .getRepository(GroupCodePoolEntity)
        .find({ where: { chatId }, select: { groupCodeId: true } })
      const now = Date.now()
      for (const { groupCodeId } of pools) {
        if (listing.some((c) => c.id === groupCodeId && group.memberCount >= c.threshold)) continue
        if (now - (lastCheck.get(groupCodeId) ?? 0) < CHECK_EVERY_MS) continue
        lastCheck.set(groupCodeId, now)
        await rotation.request(groupCodeId, 'event')
      }
    },
  })

  // A group WeCom auto-created for a join way: the rotation reads the join way and adopts it.
  events.on(EVENTS.chat, 'create', {
    name: 'groups.auto_created',
    order: ORDER,
    run: async (ev) => {
      const chatId = ev.ChatId
      if (!chatId) return
      if (await db.getRepository(GroupCodePoolEntity).existsBy({ chatId })) return
      const group = await db
        .getRepository(GroupChatEntity)
        .findOne({ where: { chatId }, select: { ownerUserId: true, name: true } })
      const codes = await db
        .getRepository(GroupCodeEntity)
        .find({ where: { status: 'active', autoCreate: true } })
      for (const code of codes) {
        if (group && (await rotation.adoptByName(code.id, chatId, group.name, group.ownerUserId))) {
          await rotation.request(code.id, 'event')
          return
        }
      }
      for (const code of codes) {
        if (group) {
          // WeCom makes the new group's owner the owner of the code's groups: only those codes can own it.
          const pool = await db
            .getRepository(GroupCodePoolEntity)
            .find({ where: { groupCodeId: code.id }, select: { chatId: true } })
          const owners = await db.getRepository(GroupChatEntity).find({
            where: { chatId: In(pool.map((p) => p.chatId)) },
            select: { ownerUserId: true },
          })
          if (!owners.some((o) => o.ownerUserId === group.ownerUserId)) continue
        }
        await rotation.request(code.id, 'event')
      }
    },
  })

  events.on(EVENTS.chat, 'dismiss', {
    name: 'groups.dismissed',
    order: ORDER,
    run: async (ev) => {
      if (!ev.ChatId) return
      for (const code of await codesListing(ev.ChatId)) await rotation.request(code.id, 'event')
    },
  })
}
