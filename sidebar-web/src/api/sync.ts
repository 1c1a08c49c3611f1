import { http } from './http'

import type { SyncPhase, SyncRun } from '@scrm/shared'

/** 通讯录同步: a run mirrors staff, tags, contacts and groups from WeCom, phase by phase. */
export type { SyncCounts, SyncPhase, SyncRun } from '@scrm/shared'
export type SyncStatus = SyncRun['status']

export const SYNC_PHASES: readonly Exclude<SyncPhase, 'done'>[] = ['staff', 'tags', 'contacts', 'groups']

/** Starts a run; rejects with ApiError code `sync_running` (409) when one is already running. */
export async function startSync(): Promise<SyncRun> {
  const { data } = await http.post<{ run: SyncRun }>('/api/admin/sync')
  return data.run
}

export async function listSyncRuns(): Promise<SyncRun[]> {
  const { data } = await http.get<{ items: SyncRun[] }>('/api/admin/sync/runs')
  return data.items
}
