import { EntitySchema } from 'typeorm'

/**
 * One join or quit of a customer group member. `eventKey` makes recording idempotent: a replayed
 * callback, or the reconciliation seeing the same join in groupchat/get, hits the unique key.
 * Joins are keyed by WeCom's join_time (the same in the callback's re-read and in a later
 * groupchat/get), quits by the callback's CreateTime.
 */
export interface GroupMemberEvent {
  id: number
  eventKey: string
  chatId: string
  memberId: string
  kind: 'join' | 'quit'
  /** Callback JoinScene/QuitScene (joins: 0 invite, 1 invite link, 3 QR). */
  scene: number
  byQr: boolean
  at: Date
  /** Asia/Shanghai day of `at`. */
  day: string
}

export const GroupMemberEventEntity = new EntitySchema<GroupMemberEvent>({
  name: 'GroupMemberEvent',
  tableName: 'group_member_event',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    eventKey: { name: 'event_key', type: 'varchar', length: 160, unique: true },
    chatId: { name: 'chat_id', type: 'varchar', length: 64 },
    memberId: { name: 'member_id', type: 'varchar', length: 64 },
    kind: { type: 'varchar', length: 8 },
    scene: { type: 'integer', default: 0 },
    byQr: { name: 'by_qr', type: 'boolean', default: false },
    at: { type: 'datetime' },
    day: { type: 'varchar', length: 10 },
  },
  indices: [
    { name: 'idx_gme_day', columns: ['day'] },
    { name: 'idx_gme_chat_day', columns: ['chatId', 'day'] },
    { name: 'idx_gme_member', columns: ['memberId'] },
  ],
})

/** A group's member count as last seen on a day (the day's closing figure once the day is over). */
export interface GroupMemberSnapshot {
  chatId: string
  day: string
  members: number
}

export const GroupMemberSnapshotEntity = new EntitySchema<GroupMemberSnapshot>({
  name: 'GroupMemberSnapshot',
  tableName: 'group_member_snapshot',
  columns: {
    chatId: { name: 'chat_id', type: 'varchar', length: 64, primary: true },
    day: { type: 'varchar', length: 10, primary: true },
    members: { type: 'integer', default: 0 },
  },
  indices: [{ name: 'idx_gms_day', columns: ['day'] }],
})
