// The sidebar's customer and group views. Every read and write is scoped to the signed-in advisor:
// a customer they follow (active), a group they own or administer; anything else is a 403.
import { In, type DataSource } from 'typeorm'
import type { CustomerNote, CustomerProfile, GroupProfile, ProfileTagGroup } from '@scrm/shared'
import { GROUP_MEMBER_CAP } from '@scrm/shared'
import { AppError, badRequest } from '../../lib/errors.ts'
import type { WeComClient } from '../../wecom/client.ts'
import { inTransaction } from '../../db/transaction.ts'
import { CustomerEntity } from '../directory/customer.entity.ts'
import { CustomerFollowEntity, FollowTagEntity, type CustomerFollow } from '../directory/follow.entity.ts'
import { GroupChatEntity, GroupMemberEntity, type GroupChat } from '../directory/group-chat.entity.ts'
import { StaffEntity } from '../directory/staff.entity.ts'
import { TagEntity, TagGroupEntity } from '../directory/tag.entity.ts'
import { CustomerNoteEntity, type CustomerNoteRow } from './customer-note.entity.ts'
import type { CustomerStageResolver } from './customer-stage.ts'

export const notYourCustomer = () =>
  new AppError(403, 'not_your_customer', 'This customer does not follow you (or no longer does)')
export const notYourGroup = () =>
  new AppError(403, 'not_your_group', 'Only the owner or an admin of this group can open it here')

const noteOut = (n: CustomerNoteRow): CustomerNote => ({
  id: n.id,
  kind: n.kind,
  content: n.content,
  createdAt: n.createdAt.toISOString(),
})

export class CustomerViewService {
  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
    private readonly stage: () => CustomerStageResolver,
  ) {}

  /** The advisor's active follow of this customer, or 403. */
  async requireFollow(userId: string, externalUserId: string): Promise<CustomerFollow> {
    const follow = await this.db
      .getRepository(CustomerFollowEntity)
      .findOneBy({ userId, externalUserId, status: 'active' })
    if (!follow) throw notYourCustomer()
    return follow
  }

  /** The group, when the advisor owns or administers it, or 403. */
  async requireGroup(userId: string, chatId: string): Promise<{ group: GroupChat; role: 'owner' | 'admin' }> {
    const group = await this.db.getRepository(GroupChatEntity).findOneBy({ chatId, status: 'active' })
    if (!group) throw notYourGroup()
    if (group.ownerUserId === userId) return { group, role: 'owner' }
    const me = await this.db.getRepository(GroupMemberEntity).findOneBy({ chatId, memberId: userId })
    if (me?.isAdmin) return { group, role: 'admin' }
    throw notYourGroup()
  }

  async profile(userId: string, externalUserId: string): Promise<CustomerProfile> {
    const follow = await this.requireFollow(userId, externalUserId)
    const db = this.db
    // One query per kind of fact (this is the sidebar's hottest read; see bench/sidebar-profile.ts).
    const [customer, tagRows, groups, others, notes, channelName] = await Promise.all([
      db.getRepository(CustomerEntity).findOneBy({ externalUserId }),
      db.query(
        `SELECT t.tag_id AS tagId, t.name AS tagName, g.group_id AS groupId, g.name AS groupName
           FROM follow_tag ft JOIN tag t ON t.tag_id = ft.tag_id JOIN tag_group g ON g.group_id = t.group_id
          WHERE ft.user_id = ? AND ft.external_user_id = ?
          ORDER BY g.sort_order, g.group_id, t.sort_order, t.tag_id`,
        [userId, externalUserId],
      ) as Promise<{ tagId: string; tagName: string; groupId: string; groupName: string }[]>,
      db.query(
        `SELECT c.chat_id AS chatId, c.name AS name, c.member_count AS memberCount
           FROM group_member m JOIN group_chat c ON c.chat_id = m.chat_id
          WHERE m.member_id = ? AND c.status = 'active' ORDER BY c.name`,
        [externalUserId],
      ) as Promise<{ chatId: string; name: string; memberCount: number | string }[]>,
      db.query(
        `SELECT s.user_id AS userId, s.name AS name FROM customer_follow f JOIN staff s ON s.user_id = f.user_id
          WHERE f.external_user_id = ? AND f.status = 'active' AND f.user_id <> ?`,
        [externalUserId, userId],
      ) as Promise<{ userId: string; name: string }[]>,
      db
        .getRepository(CustomerNoteEntity)
        .find({ where: { userId, externalUserId }, order: { id: 'DESC' }, take: 50 }),
      this.channelName(follow.state),
    ])
    const tagGroups: ProfileTagGroup[] = []
    for (const r of tagRows) {
      let g = tagGroups.at(-1)
      if (!g || g.groupId !== r.groupId)
        tagGroups.push((g = { groupId: r.groupId, name: r.groupName, tags: [] }))
      g.tags.push({ tagId: r.tagId, name: r.tagName })
    }
    const stage = await this.stage().resolve(userId, externalUserId, {
      addTime: follow.addTime,
      tagIds: tagRows.map((t) => t.tagId),
    })
    return {
      externalUserId,
      name: customer?.name ?? '',
      avatar: customer?.avatar ?? '',
      type: customer?.type ?? 1,
      corpName: customer?.corpName ?? null,
      remark: follow.remark,
      description: follow.description,
      addTime: follow.addTime.toISOString(),
      state: follow.state,
      channelName,
      tagGroups,
      groups: groups.map((g) => ({ chatId: g.chatId, name: g.name, memberCount: Number(g.memberCount) })),
      otherAdvisors: others.map((s) => ({ userId: s.userId, name: s.name })),
      stage: stage ?? { node: 'interaction' as const, segmentTagIds: [] },
      notes: notes.map(noteOut),
    }
  }

  /** Tags by tag group, in the corp's order. */
  async groupTags(tagIds: string[]): Promise<ProfileTagGroup[]> {
    if (tagIds.length === 0) return []
    const tags = await this.db
      .getRepository(TagEntity)
      .find({ where: { tagId: In(tagIds) }, order: { order: 'ASC' } })
    const groups = await this.db
      .getRepository(TagGroupEntity)
      .find({ where: { groupId: In([...new Set(tags.map((t) => t.groupId))]) }, order: { order: 'ASC' } })
    return groups.map((g) => ({
      groupId: g.groupId,
      name: g.name,
      tags: tags.filter((t) => t.groupId === g.groupId).map((t) => ({ tagId: t.tagId, name: t.name })),
    }))
  }

  /** The channel name of a contact way's state, when acquisition knows it (best effort). */
  private async channelName(state: string): Promise<string | null> {
    if (!state) return null
    try {
      const rows: { name: string }[] = await this.db.query(
        'SELECT c.name AS name FROM acq_channel_code cc JOIN acq_channel c ON c.id = cc.channel_id WHERE cc.state = ?',
        [state],
      )
      return rows[0]?.name ?? null
    } catch {
      return null
    }
  }

  /**
   * Adds or removes one corp tag on this advisor's follow: WeCom first (`mark_tag`), then our mirror —
   * changes made through the API produce no callback.
   */
  async changeTag(
    userId: string,
    externalUserId: string,
    tagId: string,
    op: 'add' | 'remove',
  ): Promise<ProfileTagGroup[]> {
    await this.requireFollow(userId, externalUserId)
    const tag = await this.db.getRepository(TagEntity).findOneBy({ tagId })
    if (!tag) throw badRequest('unknown_tag', `Tag ${tagId} does not exist in this corp`)
    await this.wecom.post('externalcontact/mark_tag', {
      userid: userId,
      external_userid: externalUserId,
      ...(op === 'add' ? { add_tag: [tagId] } : { remove_tag: [tagId] }),
    })
    await inTransaction(this.db, async (m) => {
      const repo = m.getRepository(FollowTagEntity)
      if (op === 'add') {
        const exists = await repo.findOneBy({ userId, externalUserId, tagId })
        if (!exists) await repo.insert({ userId, externalUserId, tagId })
      } else {
        await repo.delete({ userId, externalUserId, tagId })
      }
    })
    const links = await this.db.getRepository(FollowTagEntity).findBy({ userId, externalUserId })
    return this.groupTags(links.map((l) => l.tagId))
  }

  async allTagGroups(): Promise<ProfileTagGroup[]> {
    const groups = await this.db.getRepository(TagGroupEntity).find({ order: { order: 'ASC' } })
    const tags = await this.db.getRepository(TagEntity).find({ order: { order: 'ASC' } })
    return groups.map((g) => ({
      groupId: g.groupId,
      name: g.name,
      tags: tags.filter((t) => t.groupId === g.groupId).map((t) => ({ tagId: t.tagId, name: t.name })),
    }))
  }

  async addNote(
    userId: string,
    externalUserId: string,
    content: string,
    kind: 'note' | 'follow_up',
  ): Promise<CustomerNote> {
    await this.requireFollow(userId, externalUserId)
    const repo = this.db.getRepository(CustomerNoteEntity)
    const row = repo.create({ userId, externalUserId, content: content.trim(), kind, createdAt: new Date() })
    await repo.insert(row)
    return noteOut(row)
  }

  async notes(userId: string, externalUserId: string): Promise<CustomerNote[]> {
    await this.requireFollow(userId, externalUserId)
    const rows = await this.db
      .getRepository(CustomerNoteEntity)
      .find({ where: { userId, externalUserId }, order: { id: 'DESC' }, take: 200 })
    return rows.map(noteOut)
  }

  async groupProfile(userId: string, chatId: string): Promise<GroupProfile> {
    const { group, role } = await this.requireGroup(userId, chatId)
    const db = this.db
    const members = await db
      .getRepository(GroupMemberEntity)
      .find({ where: { chatId, type: 2 }, order: { joinTime: 'ASC' } })
    const ids = members.map((m) => m.memberId)
    const [owner, customers, follows, links] = await Promise.all([
      db.getRepository(StaffEntity).findOneBy({ userId: group.ownerUserId }),
      ids.length ? db.getRepository(CustomerEntity).findBy({ externalUserId: In(ids) }) : [],
      ids.length
        ? db.getRepository(CustomerFollowEntity).findBy({ externalUserId: In(ids), status: 'active' })
        : [],
      ids.length ? db.getRepository(FollowTagEntity).findBy({ externalUserId: In(ids) }) : [],
    ])
    const followed = new Map<string, Set<string>>()
    for (const f of follows)
      followed.set(f.externalUserId, (followed.get(f.externalUserId) ?? new Set()).add(f.userId))
    const activePairs = new Set(follows.map((f) => `${f.externalUserId}|${f.userId}`))
    const tagIds = [...new Set(links.map((l) => l.tagId))]
    const tags = tagIds.length ? await db.getRepository(TagEntity).findBy({ tagId: In(tagIds) }) : []
    const groupNames = new Map(
      (await db.getRepository(TagGroupEntity).find()).map((g) => [g.groupId, g.name]),
    )
    const tagById = new Map(tags.map((t) => [t.tagId, t]))
    const byCustomer = new Map(customers.map((c) => [c.externalUserId, c]))
    return {
      chatId,
      name: group.name,
      ownerUserId: group.ownerUserId,
      ownerName: owner?.name ?? group.ownerUserId,
      memberCount: group.memberCount,
      memberCap: GROUP_MEMBER_CAP,
      notice: group.notice,
      role,
      customers: members
        .filter((m) => followed.has(m.memberId))
        .map((m) => {
          const c = byCustomer.get(m.memberId)
          const seen = new Set<string>()
          const memberTags = links
            .filter(
              (l) => l.externalUserId === m.memberId && activePairs.has(`${l.externalUserId}|${l.userId}`),
            )
            .map((l) => tagById.get(l.tagId))
            .filter((t): t is NonNullable<typeof t> => !!t && !seen.has(t.tagId) && !!seen.add(t.tagId))
          return {
            externalUserId: m.memberId,
            name: c?.name ?? m.memberId,
            avatar: c?.avatar ?? '',
            joinTime: m.joinTime.toISOString(),
            followedByMe: followed.get(m.memberId)!.has(userId),
            tags: memberTags.map((t) => ({
              tagId: t.tagId,
              name: t.name,
              groupName: groupNames.get(t.groupId) ?? '',
            })),
          }
        }),
    }
  }
}
