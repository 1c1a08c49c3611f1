import { Type, type Static } from 'typebox'
import { IsoDate, NullableIsoDate } from './common.ts'

export const SYNC_PHASES = ['staff', 'tags', 'contacts', 'groups', 'done'] as const
export type SyncPhase = (typeof SYNC_PHASES)[number]

export const SyncCounts = Type.Object({
  staff: Type.Integer(),
  tags: Type.Integer(),
  contacts: Type.Integer(),
  groups: Type.Integer(),
})
export type SyncCounts = Static<typeof SyncCounts>

/** One full directory sync (通讯录同步). */
export const SyncRun = Type.Object({
  id: Type.Integer(),
  status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  phase: Type.Union([
    Type.Literal('staff'),
    Type.Literal('tags'),
    Type.Literal('contacts'),
    Type.Literal('groups'),
    Type.Literal('done'),
  ]),
  counts: SyncCounts,
  error: Type.Union([Type.String(), Type.Null()]),
  startedAt: IsoDate,
  finishedAt: NullableIsoDate,
})
export type SyncRun = Static<typeof SyncRun>

export const StaffItem = Type.Object({
  userId: Type.String(),
  name: Type.String(),
  avatar: Type.String(),
  isFollowUser: Type.Boolean(),
  customerCount: Type.Integer(),
})
export type StaffItem = Static<typeof StaffItem>

export const FollowTagItem = Type.Object({
  tagId: Type.String(),
  name: Type.String(),
  groupName: Type.String(),
})

export const CustomerItem = Type.Object({
  externalUserId: Type.String(),
  name: Type.String(),
  avatar: Type.String(),
  type: Type.Integer(),
  follows: Type.Array(
    Type.Object({
      userId: Type.String(),
      staffName: Type.String(),
      remark: Type.String(),
      status: Type.String(),
      addTime: IsoDate,
      state: Type.String(),
      tags: Type.Array(FollowTagItem),
    }),
  ),
})
export type CustomerItem = Static<typeof CustomerItem>

export const TagGroupItem = Type.Object({
  groupId: Type.String(),
  name: Type.String(),
  tags: Type.Array(Type.Object({ tagId: Type.String(), name: Type.String() })),
})
export type TagGroupItem = Static<typeof TagGroupItem>

export const GroupChatItem = Type.Object({
  chatId: Type.String(),
  name: Type.String(),
  ownerUserId: Type.String(),
  ownerName: Type.String(),
  memberCount: Type.Integer(),
  status: Type.String(),
  createdAt: IsoDate,
})
export type GroupChatItem = Static<typeof GroupChatItem>
