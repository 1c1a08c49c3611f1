import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from './columns.ts'

/**
 * Run-out reminders (周期购) and follow-up SOP tasks (issue 8): product consumption settings, per-customer
 * cycle overrides and dates (birthday, member-benefit expiry), the materialised run-out predictions the
 * daily scan reads, SOP rules, the tasks everything produces (one unique key per rule/trigger + customer +
 * period, so reruns never duplicate), the daily digest log and the settings.
 */
export class Reminders1764500000000 implements MigrationInterface {
  name = 'Reminders1764500000000'

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('product', new TableColumn(col.int('units_per_order', { default: 1 })))
    await q.addColumn('product', new TableColumn(col.int('remind_days_before', { default: 3 })))
    await q.createTable(
      new Table({
        name: 'customer_cycle',
        columns: [
          col.str('external_user_id', 64, { isPrimary: true }),
          col.int('product_id', { isPrimary: true }),
          col.int('cycle_days'),
          col.str('updated_by', 64, { default: "''" }),
          col.time('updated_at'),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'customer_dates',
        columns: [
          col.str('external_user_id', 64, { isPrimary: true }),
          col.int('birth_month', { isNullable: true }),
          col.int('birth_day', { isNullable: true }),
          col.str('benefit_expires_on', 10, { isNullable: true }),
          col.time('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_customer_dates_birth', columnNames: ['birth_month'] }),
          new TableIndex({ name: 'idx_customer_dates_benefit', columnNames: ['benefit_expires_on'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'runout_prediction',
        columns: [
          col.str('external_user_id', 64, { isPrimary: true }),
          col.int('product_id', { isPrimary: true }),
          col.time('last_order_at'),
          col.time('runout_at'),
          col.time('remind_at'),
          col.int('cycle_days'),
          col.int('quantity'),
          col.time('computed_at'),
        ],
        indices: [new TableIndex({ name: 'idx_runout_remind', columnNames: ['remind_at'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'followup_rule',
        columns: [
          col.id(),
          col.str('name', 64),
          col.str('trigger_kind', 24),
          col.text('params'),
          col.int('script_id', { isNullable: true }),
          col.str('message', 500, { default: "''" }),
          col.bool('enabled', true),
          col.time('created_at'),
          col.time('updated_at'),
          col.time('deleted_at', { isNullable: true }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'followup_task',
        columns: [
          col.id(),
          col.str('kind', 16),
          col.int('rule_id', { isNullable: true }),
          col.int('product_id', { isNullable: true }),
          col.str('external_user_id', 64),
          col.str('user_id', 64),
          // rule/trigger + customer + period: the idempotency key of every task producer.
          col.str('dedupe_key', 160),
          col.str('title', 128),
          col.str('detail', 500, { default: "''" }),
          col.int('script_id', { isNullable: true }),
          col.str('script_reason', 128, { default: "''" }),
          col.str('message', 500, { default: "''" }),
          col.time('due_at', { isNullable: true }),
          col.str('status', 12, { default: "'open'" }),
          col.str('close_reason', 32, { default: "''" }),
          col.time('created_at'),
          col.time('handled_at', { isNullable: true }),
          col.time('notified_at', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'uq_followup_task_key', columnNames: ['dedupe_key'], isUnique: true }),
          new TableIndex({ name: 'idx_followup_task_user', columnNames: ['user_id', 'status'] }),
          new TableIndex({ name: 'idx_followup_task_customer', columnNames: ['external_user_id', 'status'] }),
          new TableIndex({ name: 'idx_followup_task_rule', columnNames: ['rule_id', 'status'] }),
          new TableIndex({ name: 'idx_followup_task_created', columnNames: ['created_at'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'followup_digest',
        columns: [
          col.str('user_id', 64, { isPrimary: true }),
          col.str('day', 10, { isPrimary: true }),
          col.int('open_count'),
          col.time('sent_at'),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'reminder_setting',
        columns: [col.str('key', 64, { isPrimary: true }), col.text('value')],
      }),
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'reminder_setting',
      'followup_digest',
      'followup_task',
      'followup_rule',
      'runout_prediction',
      'customer_dates',
      'customer_cycle',
    ])
      await q.dropTable(t)
    await q.dropColumn('product', 'remind_days_before')
    await q.dropColumn('product', 'units_per_order')
  }
}
