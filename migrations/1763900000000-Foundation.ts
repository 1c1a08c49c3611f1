import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from './columns.ts'

/** Admin users, the callback inbox, the WeCom credential cache and the directory mirror. */
export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'admin_user',
        columns: [
          col.id(),
          col.str('username', 64, { isUnique: true }),
          col.str('password_hash', 255),
          col.str('role', 16),
          col.time('created_at'),
          col.time('last_login_at', { isNullable: true }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'callback_inbox',
        columns: [
          col.id(),
          col.str('hash', 64, { isUnique: true }),
          col.str('event', 64),
          col.str('change_type', 64),
          col.str('entity_key', 128),
          col.text('payload'),
          col.str('status', 16),
          col.int('attempts', { default: 0 }),
          col.str('steps_done', 255, { default: "''" }),
          col.str('claim_token', 36, { isNullable: true }),
          col.time('lease_until', { isNullable: true }),
          col.time('next_attempt_at'),
          col.text('last_error', { isNullable: true }),
          col.time('received_at'),
          col.time('processed_at', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'idx_inbox_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'idx_inbox_claim', columnNames: ['claim_token'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'wecom_credential',
        columns: [col.str('cache_key', 128, { isPrimary: true }), col.text('value'), col.time('expires_at')],
      }),
    )
    await q.createTable(
      new Table({
        name: 'staff',
        columns: [
          col.str('user_id', 64, { isPrimary: true }),
          col.str('name', 128, { default: "''" }),
          col.str('avatar', 512, { default: "''" }),
          col.bool('is_follow_user', true),
          col.time('synced_at'),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'customer',
        columns: [
          col.str('external_user_id', 64, { isPrimary: true }),
          col.str('name', 128, { default: "''" }),
          col.str('avatar', 512, { default: "''" }),
          col.int('type', { default: 1 }),
          col.int('gender', { default: 0 }),
          col.str('unionid', 64, { isNullable: true }),
          col.str('corp_name', 128, { isNullable: true }),
          col.time('created_at'),
          col.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_customer_unionid', columnNames: ['unionid'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'customer_follow',
        columns: [
          col.id(),
          col.str('external_user_id', 64),
          col.str('user_id', 64),
          col.str('remark', 128, { default: "''" }),
          col.str('description', 512, { default: "''" }),
          col.str('remark_mobiles', 255, { default: "''" }),
          col.time('add_time'),
          col.int('add_way', { default: 0 }),
          col.str('state', 64, { default: "''" }),
          col.str('status', 24, { default: "'active'" }),
          col.time('removed_at', { isNullable: true }),
          col.int('sync_run_id', { isNullable: true }),
          col.time('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_follow_pair',
            columnNames: ['external_user_id', 'user_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_follow_user', columnNames: ['user_id', 'status'] }),
          new TableIndex({ name: 'idx_follow_state', columnNames: ['state'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'follow_tag',
        columns: [
          col.str('external_user_id', 64, { isPrimary: true }),
          col.str('user_id', 64, { isPrimary: true }),
          col.str('tag_id', 64, { isPrimary: true }),
        ],
        indices: [new TableIndex({ name: 'idx_follow_tag_tag', columnNames: ['tag_id'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'tag_group',
        columns: [
          col.str('group_id', 64, { isPrimary: true }),
          col.str('name', 64),
          col.int('sort_order', { default: 0 }),
          col.time('created_at'),
          col.int('sync_run_id', { isNullable: true }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'tag',
        columns: [
          col.str('tag_id', 64, { isPrimary: true }),
          col.str('group_id', 64),
          col.str('name', 64),
          col.int('sort_order', { default: 0 }),
          col.time('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_tag_group', columnNames: ['group_id'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'group_chat',
        columns: [
          col.str('chat_id', 64, { isPrimary: true }),
          col.str('name', 128, { default: "''" }),
          col.str('owner_user_id', 64),
          col.text('notice', { isNullable: true }),
          col.int('member_count', { default: 0 }),
          col.str('status', 16, { default: "'active'" }),
          col.time('created_at'),
          col.time('updated_at'),
          col.int('sync_run_id', { isNullable: true }),
        ],
        indices: [new TableIndex({ name: 'idx_group_owner', columnNames: ['owner_user_id'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'group_member',
        columns: [
          col.str('chat_id', 64, { isPrimary: true }),
          col.str('member_id', 64, { isPrimary: true }),
          col.int('type'),
          col.time('join_time'),
          col.int('join_scene', { default: 0 }),
          col.str('invitor', 64, { default: "''" }),
          col.bool('is_admin', false),
        ],
        indices: [new TableIndex({ name: 'idx_group_member_member', columnNames: ['member_id'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'sync_run',
        columns: [
          col.id(),
          col.str('status', 16),
          col.str('phase', 16),
          col.str('counts', 255),
          col.text('resume'),
          col.text('error', { isNullable: true }),
          col.time('started_at'),
          col.time('finished_at', { isNullable: true }),
          col.time('heartbeat_at'),
        ],
      }),
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'sync_run',
      'group_member',
      'group_chat',
      'tag',
      'tag_group',
      'follow_tag',
      'customer_follow',
      'customer',
      'staff',
      'wecom_credential',
      'callback_inbox',
      'admin_user',
    ])
      await q.dropTable(t)
  }
}
