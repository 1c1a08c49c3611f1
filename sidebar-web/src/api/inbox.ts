import { http } from './http'

/** 回调收件箱: every WeCom callback is stored here before it is acknowledged, then processed. */
export type InboxStatus = 'pending' | 'processing' | 'retry' | 'done' | 'ignored' | 'parked'

export const INBOX_STATUSES: readonly InboxStatus[] = [
  'pending',
  'processing',
  'retry',
  'done',
  'ignored',
  'parked',
]

export interface InboxItem {
  id: number | string
  event: string
  changeType: string | null
  status: InboxStatus
  attempts: number
  lastError: string | null
  receivedAt: string
  processedAt: string | null
}

export type InboxStats = Record<InboxStatus, number>

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
