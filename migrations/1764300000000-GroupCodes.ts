import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from './columns.ts'

/**
 * Customer groups: group codes (群活码) with their ordered pool of groups and history, member joins
 * and quits per day with a daily member-count snapshot (group stats), and stores by location.
 */
export class GroupCodes1764300000000 implements MigrationInterface {
  name = 'GroupCodes1764300000000'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'group_code',
        columns: [
          col.id(),
          col.str('name', 64),
          col.int('threshold'),
          col.bool('auto_create', false),
          col.str('room_base_name', 64, { default: "''" }),
          col.int('room_base_id', { isNullable: true }),
          col.str('state', 32, { default: "''" }),
          col.str('config_id', 64, { isNullable: true }),
          col.str('qr_code', 512, { default: "''" }),
          col.str('live_chat_ids', 512, { default: "'[]'" }),
          col.text('welcome_text', { isNullable: true }),
          col.text('welcome_attachment', { isNullable: true }),
          col.str('welcome_template_id', 64, { isNullable: true }),
          col.str('status', 16, { default: "'creating'" }),
          col.str('rotation_holder', 64, { default: "''" }),
          col.time('rotation_until'),
          col.bool('rotation_dirty', false),
          col.time('retry_at', { isNullable: true }),
          col.int('retry_attempts', { default: 0 }),
          col.time('created_at'),
          col.time('updated_at'),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'group_code_pool',
        columns: [
          col.id(),
          col.int('group_code_id'),
          col.str('chat_id', 64),
          col.int('position'),
          col.str('source', 16),
          col.time('added_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_group_code_pool',
            columnNames: ['group_code_id', 'chat_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_group_code_pool_chat', columnNames: ['chat_id'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'group_code_history',
        columns: [
          col.id(),
          col.int('group_code_id'),
          col.time('at'),
          col.str('kind', 16),
          col.str('detail', 500, { default: "''" }),
        ],
        indices: [
          new TableIndex({ name: 'idx_group_code_history_code', columnNames: ['group_code_id', 'at'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'group_member_event',
        columns: [
          col.id(),
          col.str('event_key', 160, { isUnique: true }),
          col.str('chat_id', 64),
          col.str('member_id', 64),
          col.str('kind', 8),
          col.int('scene', { default: 0 }),
          col.bool('by_qr', false),
          col.time('at'),
          col.str('day', 10),
        ],
        indices: [
          new TableIndex({ name: 'idx_gme_day', columnNames: ['day'] }),
          new TableIndex({ name: 'idx_gme_chat_day', columnNames: ['chat_id', 'day'] }),
          new TableIndex({ name: 'idx_gme_member', columnNames: ['member_id'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'group_member_snapshot',
        columns: [
          col.str('chat_id', 64, { isPrimary: true }),
          col.str('day', 10, { isPrimary: true }),
          col.int('members', { default: 0 }),
        ],
        indices: [new TableIndex({ name: 'idx_gms_day', columnNames: ['day'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'store',
        columns: [
          col.id(),
          col.str('name', 64),
          col.str('address', 256, { default: "''" }),
          { name: 'lat', type: 'double' },
          { name: 'lng', type: 'double' },
          col.int('group_code_id'),
          col.time('created_at'),
          col.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_store_group_code', columnNames: ['group_code_id'] })],
      }),
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'store',
      'group_member_snapshot',
      'group_member_event',
      'group_code_history',
      'group_code_pool',
      'group_code',
    ])
      await q.dropTable(t)
  }
}
