import { http } from './http'

/** 通讯录同步: a run mirrors staff, tags, contacts and groups from WeCom, phase by phase. */
export type SyncPhase = 'staff' | 'tags' | 'contacts' | 'groups' | 'done'
export type SyncStatus = 'running' | 'done' | 'failed'

export const SYNC_PHASES: readonly Exclude<SyncPhase, 'done'>[] = ['staff', 'tags', 'contacts', 'groups']

export interface SyncCounts {
  staff: number
  tags: number
  contacts: number
  groups: number
}

export interface SyncRun {
  id: number | string
  status: SyncStatus
  phase: SyncPhase
  counts: SyncCounts
  error: string | null
  startedAt: string
  finishedAt: string | null
}

/** Starts a run; rejects with ApiError code `sync_running` (409) when one is already running. */
export async function startSync(): Promise<SyncRun> {
  const { data } = await http.post<{ run: SyncRun }>('/api/admin/sync')
  return data.run
}

export async function listSyncRuns(): Promise<SyncRun[]> {
  const { data } = await http.get<{ items: SyncRun[] }>('/api/admin/sync/runs')
  return data.items
}
