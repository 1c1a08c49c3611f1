import { http } from './http'

import type { CustomerItem, GroupChatItem, StaffItem, TagGroupItem } from '@scrm/shared'

/** The mirror of WeCom's directory: staff (成员), customers (客户), tags (标签) and groups (客户群). */
export type Staff = StaffItem
export type Customer = CustomerItem
/** One staff member's relationship with a customer (follow_user). */
export type Follow = CustomerItem['follows'][number]
export type FollowTag = Follow['tags'][number]
export type TagGroup = TagGroupItem
export type CustomerGroup = GroupChatItem

export interface Page<T> {
  items: T[]
  total: number
}

export interface PageQuery {
  page: number
  pageSize: number
}

export async function listStaff(): Promise<Staff[]> {
  const { data } = await http.get<{ items: Staff[] }>('/api/admin/staff')
  return data.items
}

export async function listCustomers(query: PageQuery & { q?: string }): Promise<Page<Customer>> {
  const params = { ...query, q: query.q?.trim() || undefined }
  const { data } = await http.get<Page<Customer>>('/api/admin/customers', { params })
  return data
}

export async function listTagGroups(): Promise<TagGroup[]> {
  const { data } = await http.get<{ groups: TagGroup[] }>('/api/admin/tags')
  return data.groups
}

export async function listGroups(query: PageQuery): Promise<Page<CustomerGroup>> {
  const { data } = await http.get<Page<CustomerGroup>>('/api/admin/groups', { params: query })
  return data
}
