import type { SyncPhase, SyncStatus } from '@/api/sync'

export const SYNC_STATUS_META: Record<SyncStatus, { label: string; type: 'primary' | 'success' | 'danger' }> =
  {
    running: { label: '同步中', type: 'primary' },
    done: { label: '已完成', type: 'success' },
    failed: { label: '失败', type: 'danger' },
  }

export const SYNC_PHASE_LABEL: Record<SyncPhase, string> = {
  staff: '成员',
  tags: '标签',
  contacts: '客户',
  groups: '客户群',
  done: '完成',
}
