import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from './columns.ts'

/**
 * Group campaigns (社群活动 / 社群团购): the campaign with its targets, the schedule of its launch and
 * countdown messages, one row per add_msg_template call (unique per message + owner + chunk, so a rerun
 * or a second instance never sends twice) and the per-group delivery synced back from WeCom.
 */
export class Campaigns1764600000000 implements MigrationInterface {
  name = 'Campaigns1764600000000'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'campaign',
        columns: [
          col.id(),
          col.str('name', 128),
          col.text('description'),
          col.str('stage_override', 16, { isNullable: true }),
          col.time('starts_at'),
          col.time('ends_at'),
          col.text('launch'),
          col.text('countdowns'),
          col.time('created_at'),
          col.time('updated_at'),
          col.time('deleted_at', { isNullable: true }),
        ],
        indices: [new TableIndex({ name: 'idx_campaign_ends', columnNames: ['ends_at'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'campaign_target',
        columns: [
          col.int('campaign_id', { isPrimary: true }),
          // 'chat' (a group_chat id) or 'owner' (every group of that staff member)
          col.str('kind', 8, { isPrimary: true }),
          col.str('target_id', 64, { isPrimary: true }),
        ],
        indices: [new TableIndex({ name: 'idx_campaign_target', columnNames: ['kind', 'target_id'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'campaign_message',
        columns: [
          col.id(),
          col.int('campaign_id'),
          col.str('msg_key', 32),
          col.str('kind', 16),
          col.int('offset_minutes'),
          col.time('send_at'),
          col.str('status', 16),
          col.str('note', 255, { default: "''" }),
          col.time('planned_at', { isNullable: true }),
        ],
        indices: [
          new TableIndex({
            name: 'uq_campaign_message',
            columnNames: ['campaign_id', 'msg_key'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_campaign_message_due', columnNames: ['status', 'send_at'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'campaign_send',
        columns: [
          col.id(),
          col.int('campaign_id'),
          col.int('message_id'),
          col.str('msg_key', 32),
          col.str('owner_user_id', 64),
          col.int('chunk', { default: 0 }),
          col.text('chat_ids'),
          col.text('payload'),
          col.str('status', 16),
          col.str('msgid', 128, { isNullable: true }),
          col.text('fail_list'),
          col.int('attempts', { default: 0 }),
          col.text('error'),
          // the last error left the outcome unknown (network): look WeCom up before sending again
          col.bool('outcome_unknown', false),
          col.time('next_attempt_at', { isNullable: true }),
          col.str('claim_token', 36, { isNullable: true }),
          col.time('claimed_until', { isNullable: true }),
          col.time('attempted_at', { isNullable: true }),
          col.time('sent_at', { isNullable: true }),
          col.bool('confirmed', false),
          col.time('synced_at', { isNullable: true }),
          col.time('created_at'),
          col.time('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_campaign_send',
            columnNames: ['message_id', 'owner_user_id', 'chunk'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_campaign_send_campaign', columnNames: ['campaign_id'] }),
          new TableIndex({ name: 'idx_campaign_send_due', columnNames: ['status', 'next_attempt_at'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'campaign_delivery',
        columns: [
          col.int('send_id', { isPrimary: true }),
          col.str('chat_id', 64, { isPrimary: true }),
          col.int('campaign_id'),
          col.int('status'),
          col.time('send_time', { isNullable: true }),
          col.time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_campaign_delivery_campaign', columnNames: ['campaign_id'] })],
      }),
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['campaign_delivery', 'campaign_send', 'campaign_message', 'campaign_target', 'campaign'])
      await q.dropTable(t)
  }
}
