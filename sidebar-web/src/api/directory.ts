import { http } from './http'

/** The mirror of WeCom's directory: staff (成员), customers (客户), tags (标签) and groups (客户群). */
export interface Staff {
  userId: string
  name: string
  avatar: string | null
  customerCount: number
}

export interface FollowTag {
  tagId: string
  name: string
  groupName: string
}

/** One staff member's relationship with a customer (follow_user). */
export interface Follow {
  userId: string
  staffName: string | null
  remark: string | null
  addTime: string | null
  state: string | null
  tags: FollowTag[]
}

export interface Customer {
  externalUserId: string
  name: string
  avatar: string | null
  /** 1 = WeChat user, 2 = WeCom user */
  type: number
  follows: Follow[]
}

export interface TagGroup {
  groupId: string
  name: string
  tags: { tagId: string; name: string }[]
}

export interface CustomerGroup {
  chatId: string
  name: string
  ownerUserId: string
  ownerName: string | null
  memberCount: number
  createdAt: string | null
}

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
