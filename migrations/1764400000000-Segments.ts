import {
  Table,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
  type TableColumnOptions,
} from 'typeorm'
import { col } from './columns.ts'

const big = (name: string): TableColumnOptions => ({ name, type: 'bigint', default: 0 })

/** customer_segment's columns; the staging table the full recompute fills has the same shape. */
const segmentColumns = (): TableColumnOptions[] => [
  col.str('external_user_id', 64, { isPrimary: true }),
  col.int('tier_id', { isNullable: true }),
  col.str('tier_name', 32, { isNullable: true }),
  col.str('rfm_group', 32, { isNullable: true }),
  col.int('r_score', { isNullable: true }),
  col.int('f_score', { isNullable: true }),
  col.int('m_score', { isNullable: true }),
  col.str('activity', 12, { default: "'inactive'" }),
  col.time('last_interaction_at', { isNullable: true }),
  col.str('price_sensitivity', 8, { isNullable: true }),
  col.int('order_count', { default: 0 }),
  big('total_cents'),
  col.time('last_order_at', { isNullable: true }),
  col.int('avg_interval_days', { isNullable: true }),
  col.time('computed_at'),
]

const segmentIndexes = () => [
  new TableIndex({ name: 'idx_segment_tier', columnNames: ['tier_id'] }),
  new TableIndex({ name: 'idx_segment_rfm', columnNames: ['rfm_group'] }),
  new TableIndex({ name: 'idx_segment_activity', columnNames: ['activity'] }),
  new TableIndex({ name: 'idx_segment_price', columnNames: ['price_sensitivity'] }),
]

/**
 * Segments (客户分层): one row of computed segments per customer, member tier definitions, the
 * segment → corp tag mapping with its mark_tag work queue, settings, run log and VIP-group
 * invitation tasks, plus the work tables the set-based recompute fills.
 */
export class Segments1764400000000 implements MigrationInterface {
  name = 'Segments1764400000000'

  async up(q: QueryRunner): Promise<void> {
    const mysql = q.connection.driver.options.type === 'mysql'
    await q.createTable(
      new Table({ name: 'customer_segment', columns: segmentColumns(), indices: segmentIndexes() }),
    )
    // The full recompute builds here and swaps it in (RENAME on MySQL). Index names are per table on
    // MySQL, so the staging table carries the same ones; SQLite's are per schema and it copies instead.
    await q.createTable(
      new Table({
        name: 'customer_segment_next',
        columns: segmentColumns(),
        indices: mysql ? segmentIndexes() : [],
      }),
    )
    await q.createTable(
      new Table({
        name: 'segment_order_agg',
        columns: [
          col.str('external_user_id', 64, { isPrimary: true }),
          col.int('order_count', { default: 0 }),
          big('total_cents'),
          col.time('first_order_at', { isNullable: true }),
          col.time('last_order_at', { isNullable: true }),
          col.int('promo_orders', { default: 0 }),
          big('month_cents'),
          col.int('month_orders', { default: 0 }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'segment_activity',
        columns: [col.str('external_user_id', 64, { isPrimary: true }), col.time('last_at')],
      }),
    )
    await q.createTable(
      new Table({
        name: 'member_tier',
        columns: [
          col.id(),
          col.str('name', 32),
          big('min_spend_cents'),
          col.int('min_orders', { default: 0 }),
          // `rank` is a reserved word on MySQL 8.
          col.int('tier_rank'),
          col.int('group_code_id', { isNullable: true }),
          col.time('created_at'),
          col.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_member_tier_name', columnNames: ['name'], isUnique: true })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'segment_tag',
        columns: [
          col.str('dimension', 16, { isPrimary: true }),
          col.str('value', 32, { isPrimary: true }),
          col.str('tag_id', 64),
        ],
        indices: [new TableIndex({ name: 'idx_segment_tag_tag', columnNames: ['tag_id'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'segment_tag_desired',
        columns: [
          col.str('user_id', 64, { isPrimary: true }),
          col.str('external_user_id', 64, { isPrimary: true }),
          col.str('tag_id', 64, { isPrimary: true }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'segment_tag_change',
        columns: [
          col.str('user_id', 64, { isPrimary: true }),
          col.str('external_user_id', 64, { isPrimary: true }),
          col.str('tag_id', 64, { isPrimary: true }),
          col.str('op', 8),
          col.int('attempts', { default: 0 }),
          col.str('last_error', 255, { isNullable: true }),
        ],
        indices: [new TableIndex({ name: 'idx_segment_tag_change_attempts', columnNames: ['attempts'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'segment_setting',
        columns: [col.str('name', 64, { isPrimary: true }), col.text('value')],
      }),
    )
    await q.createTable(
      new Table({
        name: 'segment_run',
        columns: [
          col.id(),
          col.str('kind', 16),
          col.time('started_at'),
          col.time('finished_at', { isNullable: true }),
          col.int('duration_ms', { isNullable: true }),
          col.int('customers', { default: 0 }),
          col.text('error', { isNullable: true }),
        ],
        indices: [new TableIndex({ name: 'idx_segment_run_kind', columnNames: ['kind', 'started_at'] })],
      }),
    )
    // "Invite to group code X": a task for the advisor when a customer reaches a tier with a VIP group.
    await q.createTable(
      new Table({
        name: 'segment_invite',
        columns: [
          col.id(),
          col.str('external_user_id', 64),
          col.str('user_id', 64),
          col.int('tier_id'),
          col.int('group_code_id'),
          col.str('status', 16, { default: "'pending'" }),
          col.time('created_at'),
          col.time('done_at', { isNullable: true }),
        ],
        indices: [
          new TableIndex({
            name: 'uq_segment_invite',
            columnNames: ['external_user_id', 'group_code_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_segment_invite_user', columnNames: ['user_id', 'status'] }),
        ],
      }),
    )
    // Default tiers (the brand renames and re-thresholds them in 客户分层).
    const now = new Date().toISOString().replace('T', ' ').slice(0, 23)
    for (const [name, spend, orders, rank] of [
      ['奥粉', 0, 1, 1],
      ['冲钻粉', 50_000, 1, 2],
      ['钻粉', 200_000, 1, 3],
    ] as const)
      await q.query(
        'INSERT INTO member_tier (name, min_spend_cents, min_orders, tier_rank, group_code_id, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?)',
        [name, spend, orders, rank, now, now],
      )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'segment_invite',
      'segment_run',
      'segment_setting',
      'segment_tag_change',
      'segment_tag_desired',
      'segment_tag',
      'member_tier',
      'segment_activity',
      'segment_order_agg',
      'customer_segment_next',
      'customer_segment',
    ])
      await q.dropTable(t)
  }
}
