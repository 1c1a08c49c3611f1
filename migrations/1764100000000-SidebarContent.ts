import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from './columns.ts'

/**
 * The chat sidebar's own data: advisors' notes and follow-up records per customer, the script
 * library (话术库) with its usage log, and the product library (商品库) with every send.
 */
export class SidebarContent1764100000000 implements MigrationInterface {
  name = 'SidebarContent1764100000000'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'customer_note',
        columns: [
          col.id(),
          col.str('external_user_id', 64),
          col.str('user_id', 64),
          col.str('kind', 16),
          col.text('content'),
          col.time('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_note_follow', columnNames: ['external_user_id', 'user_id'] })],
      }),
    )
    await q.createTable(
      new Table({
        name: 'script_library',
        columns: [
          col.id(),
          col.str('name', 64),
          col.int('sort_order', { default: 0 }),
          col.time('created_at'),
          col.time('deleted_at', { isNullable: true }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'script',
        columns: [
          col.id(),
          col.int('library_id'),
          col.str('title', 128),
          col.str('kind', 16),
          col.text('content'),
          col.str('node', 16),
          col.str('segment_tag_id', 64, { isNullable: true }),
          col.str('media_name', 128, { isNullable: true }),
          col.str('media_path', 255, { isNullable: true }),
          col.str('media_id', 128, { isNullable: true }),
          col.time('media_created_at', { isNullable: true }),
          col.int('use_count', { default: 0 }),
          col.time('created_at'),
          col.time('updated_at'),
          col.time('deleted_at', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ name: 'idx_script_library', columnNames: ['library_id'] }),
          new TableIndex({ name: 'idx_script_node', columnNames: ['node'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'script_usage',
        columns: [
          col.id(),
          col.int('script_id'),
          col.str('user_id', 64),
          col.str('external_user_id', 64, { isNullable: true }),
          col.str('chat_id', 64, { isNullable: true }),
          col.time('used_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_script_usage_script', columnNames: ['script_id'] }),
          new TableIndex({ name: 'idx_script_usage_customer', columnNames: ['external_user_id'] }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'product',
        columns: [
          col.id(),
          col.str('name', 128),
          col.str('description', 255, { default: "''" }),
          col.int('price_cents'),
          col.str('image_url', 512, { default: "''" }),
          col.str('link', 512),
          col.str('mini_app_id', 64, { isNullable: true }),
          col.str('mini_page', 256, { isNullable: true }),
          col.int('cycle_days', { isNullable: true }),
          col.str('tags', 1024, { default: "''" }),
          col.int('send_count', { default: 0 }),
          col.time('created_at'),
          col.time('updated_at'),
          col.time('deleted_at', { isNullable: true }),
        ],
      }),
    )
    await q.createTable(
      new Table({
        name: 'product_send',
        columns: [
          col.id(),
          col.int('product_id'),
          col.str('user_id', 64),
          col.str('external_user_id', 64, { isNullable: true }),
          col.str('chat_id', 64, { isNullable: true }),
          col.str('msgtype', 16),
          col.time('sent_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_product_send_product', columnNames: ['product_id'] }),
          new TableIndex({ name: 'idx_product_send_customer', columnNames: ['external_user_id', 'sent_at'] }),
        ],
      }),
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['product_send', 'product', 'script_usage', 'script', 'script_library', 'customer_note'])
      await q.dropTable(t)
  }
}
