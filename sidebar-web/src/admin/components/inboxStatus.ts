import type { InboxStatus } from '@/api/inbox'

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

export const INBOX_STATUS_META: Record<InboxStatus, { label: string; type: TagType; color: string }> = {
  pending: { label: '待处理', type: 'info', color: '#909399' },
  processing: { label: '处理中', type: 'primary', color: '#1677ff' },
  retry: { label: '重试中', type: 'warning', color: '#e6a23c' },
  done: { label: '已完成', type: 'success', color: '#07c160' },
  ignored: { label: '已忽略', type: 'info', color: '#c0c4cc' },
  parked: { label: '已搁置', type: 'danger', color: '#f56c6c' },
}
