import { EntitySchema } from 'typeorm'

/** Corp tag group and tag (企业客户标签), mirrored from WeCom. */
export interface TagGroup {
  groupId: string
  name: string
  order: number
  createdAt: Date
  syncRunId: number | null
}

export interface Tag {
  tagId: string
  groupId: string
  name: string
  order: number
  createdAt: Date
}

export const TagGroupEntity = new EntitySchema<TagGroup>({
  name: 'TagGroup',
  tableName: 'tag_group',
  columns: {
    groupId: { name: 'group_id', type: 'varchar', length: 64, primary: true },
    name: { type: 'varchar', length: 64 },
    order: { name: 'sort_order', type: 'integer', default: 0 },
    createdAt: { name: 'created_at', type: 'datetime' },
    syncRunId: { name: 'sync_run_id', type: 'integer', nullable: true },
  },
})

export const TagEntity = new EntitySchema<Tag>({
  name: 'Tag',
  tableName: 'tag',
  columns: {
    tagId: { name: 'tag_id', type: 'varchar', length: 64, primary: true },
    groupId: { name: 'group_id', type: 'varchar', length: 64 },
    name: { type: 'varchar', length: 64 },
    order: { name: 'sort_order', type: 'integer', default: 0 },
    createdAt: { name: 'created_at', type: 'datetime' },
  },
  indices: [{ name: 'idx_tag_group', columns: ['groupId'] }],
})
