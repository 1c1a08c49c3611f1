import { http } from './http'

import type { InboxItem, InboxStatus, InboxStats } from '@scrm/shared'

/** 回调收件箱: every WeCom callback is stored here before it is acknowledged, then processed. */
export { INBOX_STATUSES, type InboxItem, type InboxStatus, type InboxStats } from '@scrm/shared'

export interface InboxQuery {
  status?: InboxStatus
  page: number
  pageSize: number
}

export async function listInbox(query: InboxQuery): Promise<{ items: InboxItem[]; total: number }> {
  const { data } = await http.get<{ items: InboxItem[]; total: number }>('/api/admin/inbox', {
    params: query,
  })
  return data
}

export async function fetchInboxStats(): Promise<InboxStats> {
  const { data } = await http.get<InboxStats>('/api/admin/inbox/stats')
  return data
}

export async function replayInboxItem(id: InboxItem['id']): Promise<void> {
  await http.post(`/api/admin/inbox/${encodeURIComponent(String(id))}/replay`)
}
