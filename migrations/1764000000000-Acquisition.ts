import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from './columns.ts'

/**
 * Acquisition (获客): channels (渠道活码) with their code variants and advisors, welcome messages, the
 * record of every add and every lost customer, the daily gift quota, acquisition settings, and the
 * scheduler's job leases.
 */
export class Acquisition1764000000000 implements MigrationInterface {
  name = 'Acquisition1764000000000'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'acq_channel',
        columns: [
          col.id(),
          col.str('name', 64),
          col.str('group_name', 64, { default: "''" }),
          col.bool('skip_verify', true),
          col.text('tag_ids'),
          col.str('remark_template', 128, { default: "''" }),
          col.str('member_group', 32, { default: "''" }),
          col.str('shop_nick', 32, { default: "''" }),
          col.bool('gift_enabled', false),
          col.int('gift_daily_quota', { default: 0 }),
          col.int('gift_window_hours', { isNullable: true }),
          col.str('supervisor_user_id', 64, { default: "''" }),
          col.time('created_at'),
          col.time('updated_at'),
          col.time('deleted_at', { isNullable: true }),
        ],
        indices: [new TableIndex({ name: 'idx_acq_channel_name', columnNames: ['name'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'acq_channel_code',
        columns: [
          col.id(),
          col.int('channel_id'),
          col.str('name', 64),
          col.str('state', 32, { isNullable: true }),
          col.str('config_id', 64, { isNullable: true }),
          col.str('qr_code', 512, { default: "''" }),
          col.str('current_users', 1024, { default: "''" }),
          col.str('status', 16),
          col.time('created_at'),
          col.time('deleted_at', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'uq_acq_code_state', columnNames: ['state'], isUnique: true }),
          new TableIndex({ name: 'idx_acq_code_channel', columnNames: ['channel_id'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'acq_channel_advisor',
        columns: [
          col.id(),
          col.int('channel_id'),
          col.str('user_id', 64),
          col.int('sort_order', { default: 0 }),
          col.int('daily_cap', { isNullable: true }),
          col.str('weekdays', 16, { default: "''" }),
          col.str('start_time', 5, { default: "''" }),
          col.str('end_time', 5, { default: "''" }),
        ],
        indices: [new TableIndex({ name: 'idx_acq_advisor_channel', columnNames: ['channel_id'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'welcome_message',
        columns: [
          col.id(),
          col.int('channel_id', { isNullable: true }),
          col.str('kind', 16),
          col.text('text'),
          col.text('attachments'),
          col.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_welcome_channel', columnNames: ['channel_id', 'kind'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'acq_record',
        columns: [
          col.id(),
          col.str('event_key', 160, { isUnique: true }),
          col.str('external_user_id', 64),
          col.str('user_id', 64),
          col.str('state', 64, { default: "''" }),
          col.int('channel_id', { isNullable: true }),
          col.int('code_id', { isNullable: true }),
          col.str('channel_name', 64, { default: "''" }),
          col.bool('half', false),
          col.str('day', 10),
          col.time('added_at'),
          col.str('welcome_kind', 16),
          col.str('welcome_status', 16),
          col.str('welcome_error', 255, { default: "''" }),
          col.time('welcome_sent_at', { isNullable: true }),
          col.str('tag_status', 16),
          col.str('tag_error', 255, { default: "''" }),
          col.str('remark_status', 16),
          col.str('remark_text', 64, { default: "''" }),
          col.str('remark_error', 255, { default: "''" }),
          col.time('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_acq_record_channel_day', columnNames: ['channel_id', 'day'] }),
          new TableIndex({ name: 'idx_acq_record_user_day', columnNames: ['user_id', 'day'] }),
          new TableIndex({ name: 'idx_acq_record_pair', columnNames: ['external_user_id', 'user_id'] }),
          new TableIndex({ name: 'idx_acq_record_day', columnNames: ['day'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'lost_customer',
        columns: [
          col.id(),
          col.str('event_key', 160, { isUnique: true }),
          col.str('external_user_id', 64),
          col.str('user_id', 64),
          col.str('reason', 24),
          col.int('channel_id', { isNullable: true }),
          col.int('code_id', { isNullable: true }),
          col.str('channel_name', 64, { default: "''" }),
          col.str('customer_name', 128, { default: "''" }),
          col.str('day', 10),
          col.time('lost_at'),
          col.time('added_at', { isNullable: true }),
          col.str('alert_status', 16),
          col.str('alert_error', 255, { default: "''" }),
          col.str('alerted_to', 255, { default: "''" }),
        ],
        indices: [
          new TableIndex({ name: 'idx_lost_day', columnNames: ['day'] }),
          new TableIndex({ name: 'idx_lost_channel_day', columnNames: ['channel_id', 'day'] }),
          new TableIndex({ name: 'idx_lost_user_day', columnNames: ['user_id', 'day'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'gift_quota_usage',
        columns: [
          { ...col.int('channel_id'), isPrimary: true },
          col.str('day', 10, { isPrimary: true }),
          col.int('used', { default: 0 }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'acq_setting',
        columns: [col.str('setting_key', 64, { isPrimary: true }), col.text('value')],
      }),
    )
    await q.createTable(
      new Table({
        name: 'job_lease',
        columns: [
          col.str('name', 64, { isPrimary: true }),
          col.str('holder', 64, { default: "''" }),
          col.time('lease_until'),
          col.time('last_run_at', { isNullable: true }),
          col.text('last_error', { isNullable: true }),
        ],
      }),
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'job_lease',
      'acq_setting',
      'gift_quota_usage',
      'lost_customer',
      'acq_record',
      'welcome_message',
      'acq_channel_advisor',
      'acq_channel_code',
      'acq_channel',
    ])
      await q.dropTable(t)
  }
}
