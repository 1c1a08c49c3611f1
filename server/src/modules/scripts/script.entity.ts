import { EntitySchema } from 'typeorm'
import type { LifeNode, ScriptKind } from '@scrm/shared'

/** A script library (话术库), e.g. 新客承接 or 敏感肌专业话术. */
export interface ScriptLibraryRow {
  id: number
  name: string
  order: number
  createdAt: Date
  deletedAt: Date | null
}

export const ScriptLibraryEntity = new EntitySchema<ScriptLibraryRow>({
  name: 'ScriptLibrary',
  tableName: 'script_library',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    name: { type: 'varchar', length: 64 },
    order: { name: 'sort_order', type: 'integer', default: 0 },
    createdAt: { name: 'created_at', type: 'datetime' },
    deletedAt: { name: 'deleted_at', type: 'datetime', nullable: true },
  },
})

/** One script (话术): text, or an image/file sent by a temporary WeCom media id (valid 3 days). */
export interface ScriptRow {
  id: number
  libraryId: number
  title: string
  kind: ScriptKind
  content: string
  node: LifeNode
  segmentTagId: string | null
  mediaName: string | null
  /** Where the uploaded file is kept, so the media id can be refreshed before WeCom drops it. */
  mediaPath: string | null
  mediaId: string | null
  /** WeCom's `created_at` of the media id; it expires 3 days later. */
  mediaCreatedAt: Date | null
  useCount: number
  createdAt: Date
  updatedAt: Date
  deletedAt: Date | null
}

export const ScriptEntity = new EntitySchema<ScriptRow>({
  name: 'Script',
  tableName: 'script',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    libraryId: { name: 'library_id', type: 'integer' },
    title: { type: 'varchar', length: 128 },
    kind: { type: 'varchar', length: 16 },
    content: { type: 'text' },
    node: { type: 'varchar', length: 16 },
    segmentTagId: { name: 'segment_tag_id', type: 'varchar', length: 64, nullable: true },
    mediaName: { name: 'media_name', type: 'varchar', length: 128, nullable: true },
    mediaPath: { name: 'media_path', type: 'varchar', length: 255, nullable: true },
    mediaId: { name: 'media_id', type: 'varchar', length: 128, nullable: true },
    mediaCreatedAt: { name: 'media_created_at', type: 'datetime', nullable: true },
    useCount: { name: 'use_count', type: 'integer', default: 0 },
    createdAt: { name: 'created_at', type: 'datetime' },
    updatedAt: { name: 'updated_at', type: 'datetime' },
    deletedAt: { name: 'deleted_at', type: 'datetime', nullable: true },
  },
  indices: [
    { name: 'idx_script_library', columns: ['libraryId'] },
    { name: 'idx_script_node', columns: ['node'] },
  ],
})

/** Every time an advisor sends a script from the sidebar. */
export interface ScriptUsageRow {
  id: number
  scriptId: number
  userId: string
  externalUserId: string | null
  chatId: string | null
  usedAt: Date
}

export const ScriptUsageEntity = new EntitySchema<ScriptUsageRow>({
  name: 'ScriptUsage',
  tableName: 'script_usage',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    scriptId: { name: 'script_id', type: 'integer' },
    userId: { name: 'user_id', type: 'varchar', length: 64 },
    externalUserId: { name: 'external_user_id', type: 'varchar', length: 64, nullable: true },
    chatId: { name: 'chat_id', type: 'varchar', length: 64, nullable: true },
    usedAt: { name: 'used_at', type: 'datetime' },
  },
  indices: [
    { name: 'idx_script_usage_script', columns: ['scriptId'] },
    { name: 'idx_script_usage_customer', columns: ['externalUserId'] },
  ],
})
