// Joins and quits per group per day, and the daily member-count snapshot, for group stats; plus the
// groups a customer is in (for the sidebar / profile).
import { In, type DataSource } from 'typeorm'
import { serialized } from '../../db/transaction.ts'
import { fromUnix } from '../../lib/time.ts'
import { GroupChatEntity, GroupMemberEntity } from '../directory/group-chat.entity.ts'
import { shanghaiDay } from '../acquisition/shanghai-time.ts'
import { GroupMemberEventEntity, GroupMemberSnapshotEntity } from './group-stats.entity.ts'

/** Callback JoinScene: 0 invited directly, 1 invite link, 3 QR code. */
export const JOIN_SCENE_QR = 3

export interface MemberChange {
  chatId: string
  memberId: string
  kind: 'join' | 'quit'
  scene: number
  at: Date
}

const unix = (d: Date) => Math.floor(d.getTime() / 1000)

/** groupchat/get's join_scene (1 invite, 2 link, 3 QR) in the callback's numbering (0, 1, 3). */
export const sceneFromMemberList = (joinScene: number) => (joinScene === 3 ? 3 : joinScene === 2 ? 1 : 0)

/** Idempotent: the same join (chat, member, join time) or quit (chat, member, time) is stored once. */
export async function recordMemberChanges(db: DataSource, changes: MemberChange[]): Promise<void> {
  if (!changes.length) return
  const rows = changes.map((c) => ({
    eventKey: `${c.kind}|${c.chatId}|${c.memberId}|${unix(c.at)}`.slice(0, 160),
    chatId: c.chatId,
    memberId: c.memberId,
    kind: c.kind,
    scene: c.scene,
    byQr: c.kind === 'join' && c.scene === JOIN_SCENE_QR,
    at: c.at,
    day: shanghaiDay(c.at),
  }))
  for (let i = 0; i < rows.length; i += 200)
    await serialized(db, () =>
      db
        .createQueryBuilder()
        .insert()
        .into(GroupMemberEventEntity)
        .values(rows.slice(i, i + 200))
        .orIgnore()
        .updateEntity(false)
        .execute(),
    )
}

/** Joins of an add_member callback, with WeCom's join time from the mirror the directory just refreshed. */
export async function joinsFromMirror(
  db: DataSource,
  chatId: string,
  memberIds: string[],
  scene: number,
  eventTime: Date,
): Promise<MemberChange[]> {
  if (!memberIds.length) return []
  const known = await db
    .getRepository(GroupMemberEntity)
    .find({ where: { chatId, memberId: In(memberIds) }, select: { memberId: true, joinTime: true } })
  const times = new Map(known.map((m) => [m.memberId, m.joinTime]))
  return memberIds.map((memberId) => ({
    chatId,
    memberId,
    kind: 'join' as const,
    scene,
    at: times.get(memberId) ?? eventTime,
  }))
}

/** Joins seen in a groupchat/get member list (reconciliation fills callbacks that never came). */
export function joinsFromMemberList(
  chatId: string,
  members: Array<{ userid: string; join_time: number; join_scene: number }>,
): MemberChange[] {
  return members.map((m) => ({
    chatId,
    memberId: m.userid,
    kind: 'join' as const,
    scene: sceneFromMemberList(m.join_scene),
    at: fromUnix(m.join_time),
  }))
}

export async function snapshotMembers(db: DataSource, counts: Map<string, number>, at = new Date()) {
  if (!counts.size) return
  const day = shanghaiDay(at)
  await serialized(db, () =>
    db.getRepository(GroupMemberSnapshotEntity).upsert(
      [...counts].map(([chatId, members]) => ({ chatId, day, members })),
      ['chatId', 'day'],
    ),
  )
}

/** Snapshots every mirrored group's member count for today (the nightly job and reconciliation). */
export async function snapshotAllGroups(db: DataSource, at = new Date()): Promise<number> {
  const groups = await db
    .getRepository(GroupChatEntity)
    .find({ where: { status: 'active' }, select: { chatId: true, memberCount: true } })
  for (let i = 0; i < groups.length; i += 500)
    await snapshotMembers(db, new Map(groups.slice(i, i + 500).map((g) => [g.chatId, g.memberCount])), at)
  return groups.length
}

export interface CustomerGroupRef {
  chatId: string
  name: string
  ownerUserId: string
  memberCount: number
  joinTime: Date
  joinScene: number
}

/** The customer groups an external contact is in now (for the sidebar's customer profile). */
export async function groupsOfCustomer(db: DataSource, externalUserId: string): Promise<CustomerGroupRef[]> {
  const rows = await db
    .getRepository(GroupMemberEntity)
    .createQueryBuilder('m')
    .innerJoin('group_chat', 'g', 'g.chat_id = m.chat_id')
    .select('g.chat_id', 'chatId')
    .addSelect('g.name', 'name')
    .addSelect('g.owner_user_id', 'ownerUserId')
    .addSelect('g.member_count', 'memberCount')
    .addSelect('m.join_time', 'joinTime')
    .addSelect('m.join_scene', 'joinScene')
    .where('m.member_id = :id AND g.status = :active', { id: externalUserId, active: 'active' })
    .orderBy('m.join_time', 'DESC')
    .getRawMany<{
      chatId: string
      name: string
      ownerUserId: string
      memberCount: number | string
      joinTime: Date | string
      joinScene: number | string
    }>()
  return rows.map((r) => ({
    chatId: r.chatId,
    name: r.name,
    ownerUserId: r.ownerUserId,
    memberCount: Number(r.memberCount),
    joinTime: r.joinTime instanceof Date ? r.joinTime : new Date(`${String(r.joinTime).replace(' ', 'T')}Z`),
    joinScene: Number(r.joinScene),
  }))
}
