// Writes WeCom's view of contacts, tags and groups into our mirror tables. Every write is an upsert,
// so replaying a page or an event changes nothing the second time.
import { In, type DataSource, type EntityManager } from 'typeorm'
import { fromUnix } from '../../lib/time.ts'
import type {
  CorpTagGroup,
  ExternalContactInfo,
  FollowInfo,
  GroupChatDetail,
  StaffUser,
} from '../../wecom/api-types.ts'
import { CustomerEntity } from './customer.entity.ts'
import { CustomerFollowEntity, FollowTagEntity, type FollowStatus } from './follow.entity.ts'
import { GroupChatEntity, GroupMemberEntity } from './group-chat.entity.ts'
import { StaffEntity } from './staff.entity.ts'
import { TagEntity, TagGroupEntity } from './tag.entity.ts'

export async function upsertStaff(m: EntityManager, users: StaffUser[]) {
  if (!users.length) return
  const now = new Date()
  await m.getRepository(StaffEntity).upsert(
    users.map((u) => ({
      userId: u.userid,
      name: u.name || u.userid,
      avatar: u.avatar ?? '',
      isFollowUser: true,
      syncedAt: now,
    })),
    ['userId'],
  )
}

export async function upsertCustomers(m: EntityManager, contacts: ExternalContactInfo[]) {
  const unique = [...new Map(contacts.map((c) => [c.external_userid, c])).values()]
  if (!unique.length) return
  const now = new Date()
  // created_at is kept from the first sighting; everything else follows WeCom.
  await m
    .createQueryBuilder()
    .insert()
    .into(CustomerEntity)
    .values(
      unique.map((c) => ({
        externalUserId: c.external_userid,
        name: c.name ?? '',
        avatar: c.avatar ?? '',
        type: c.type ?? 1,
        gender: c.gender ?? 0,
        unionid: c.unionid || null,
        corpName: c.corp_name || null,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .orUpdate(
      ['name', 'avatar', 'type', 'gender', 'unionid', 'corp_name', 'updated_at'],
      ['external_user_id'],
    )
    .updateEntity(false)
    .execute()
}

/** Upserts one follow relationship and replaces its tags with the given tag ids. */
export async function upsertFollows(
  m: EntityManager,
  follows: Array<{ externalUserId: string; info: FollowInfo }>,
  syncRunId: number | null,
) {
  if (!follows.length) return
  const now = new Date()
  // A plain upsert: Repository.upsert would read every row back on MySQL (a select per call).
  await m
    .createQueryBuilder()
    .insert()
    .into(CustomerFollowEntity)
    .values(
      follows.map(({ externalUserId, info }) => ({
        externalUserId,
        userId: info.userid,
        remark: info.remark ?? '',
        description: info.description ?? '',
        remarkMobiles: (info.remark_mobiles ?? []).join(','),
        addTime: fromUnix(info.createtime),
        addWay: info.add_way ?? 0,
        state: info.state ?? '',
        status: 'active' as FollowStatus,
        removedAt: null,
        syncRunId,
        updatedAt: now,
      })),
    )
    .orUpdate(
      [
        'remark',
        'description',
        'remark_mobiles',
        'add_time',
        'add_way',
        'state',
        'status',
        'removed_at',
        'sync_run_id',
        'updated_at',
      ],
      ['external_user_id', 'user_id'],
    )
    .updateEntity(false)
    .execute()
  // The tags of these follows are replaced: one delete per customer, one insert for all.
  const tags = m.getRepository(FollowTagEntity)
  const usersByCustomer = new Map<string, string[]>()
  for (const { externalUserId, info } of follows)
    usersByCustomer.set(externalUserId, [...(usersByCustomer.get(externalUserId) ?? []), info.userid])
  for (const [externalUserId, userIds] of usersByCustomer)
    await tags.delete({ externalUserId, userId: In(userIds) })
  const unique = new Map<string, { externalUserId: string; userId: string; tagId: string }>()
  for (const { externalUserId, info } of follows)
    for (const tagId of info.tag_id ?? [])
      unique.set(`${externalUserId}|${info.userid}|${tagId}`, { externalUserId, userId: info.userid, tagId })
  const rows = [...unique.values()]
  for (let i = 0; i < rows.length; i += 500)
    await m
      .createQueryBuilder()
      .insert()
      .into(FollowTagEntity)
      .values(rows.slice(i, i + 500))
      .updateEntity(false)
      .execute()
}

export async function markFollowRemoved(
  db: DataSource,
  externalUserId: string,
  userId: string,
  status: FollowStatus,
  at: Date,
) {
  await db
    .getRepository(CustomerFollowEntity)
    .update({ externalUserId, userId }, { status, removedAt: at, updatedAt: new Date() })
}

/** Replaces the whole tag taxonomy with WeCom's (tag lists are small: one call returns all of it). */
export async function replaceTagTaxonomy(m: EntityManager, groups: CorpTagGroup[], syncRunId: number | null) {
  const live = groups.filter((g) => !g.deleted)
  const groupRepo = m.getRepository(TagGroupEntity)
  const tagRepo = m.getRepository(TagEntity)
  // DELETE, not clear(): TRUNCATE would commit the surrounding transaction on MySQL.
  await tagRepo.createQueryBuilder().delete().execute()
  await groupRepo.createQueryBuilder().delete().execute()
  if (live.length)
    await groupRepo.insert(
      live.map((g) => ({
        groupId: g.group_id,
        name: g.group_name,
        order: g.order ?? 0,
        createdAt: fromUnix(g.create_time),
        syncRunId,
      })),
    )
  const tags = live.flatMap((g) =>
    (g.tag ?? [])
      .filter((t) => !t.deleted)
      .map((t) => ({
        tagId: t.id,
        groupId: g.group_id,
        name: t.name,
        order: t.order ?? 0,
        createdAt: fromUnix(t.create_time),
      })),
  )
  for (let i = 0; i < tags.length; i += 200) await tagRepo.insert(tags.slice(i, i + 200))
  return tags.length
}

/** Upserts a customer group and replaces its member list with WeCom's. */
export async function upsertGroupChat(m: EntityManager, g: GroupChatDetail, syncRunId: number | null) {
  const now = new Date()
  await m.getRepository(GroupChatEntity).upsert(
    {
      chatId: g.chat_id,
      name: g.name ?? '',
      ownerUserId: g.owner,
      notice: g.notice ?? '',
      memberCount: g.member_list?.length ?? 0,
      status: 'active',
      createdAt: fromUnix(g.create_time),
      updatedAt: now,
      syncRunId,
    },
    ['chatId'],
  )
  const members = m.getRepository(GroupMemberEntity)
  await members.delete({ chatId: g.chat_id })
  const admins = new Set((g.admin_list ?? []).map((a) => a.userid))
  const rows = (g.member_list ?? []).map((mem) => ({
    chatId: g.chat_id,
    memberId: mem.userid,
    type: mem.type,
    joinTime: fromUnix(mem.join_time),
    joinScene: mem.join_scene ?? 0,
    invitor: mem.invitor?.userid ?? '',
    isAdmin: admins.has(mem.userid),
  }))
  for (let i = 0; i < rows.length; i += 200) await members.insert(rows.slice(i, i + 200))
}

export async function markGroupDismissed(m: EntityManager, chatId: string) {
  await m
    .getRepository(GroupChatEntity)
    .update({ chatId }, { status: 'dismissed', memberCount: 0, updatedAt: new Date() })
  await m.getRepository(GroupMemberEntity).delete({ chatId })
}
