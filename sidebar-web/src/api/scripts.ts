import { http } from './http'
import type {
  ChatMessagePayload,
  LifeNode,
  RankedScript,
  Script,
  ScriptImport,
  ScriptInput,
  ScriptLibrary,
  ScriptSort,
  SendTarget,
  SidebarScripts,
} from '@scrm/shared'

/** The script library (话术库): the sidebar's ranked list and one-tap send, and the admin CRUD. */
export type { LifeNode, RankedScript, Script, ScriptInput, ScriptLibrary, ScriptSort, SendTarget }

export const NODE_LABEL: Record<LifeNode, string> = {
  takeover: '承接',
  interaction: '互动',
  conversion: '转化',
  repurchase: '复购',
}

export async function fetchSidebarScripts(
  target: SendTarget,
  opts: { q?: string; sort?: ScriptSort } = {},
): Promise<SidebarScripts> {
  const { data } = await http.get<SidebarScripts>('/api/sidebar/scripts', {
    params: { ...target, q: opts.q || undefined, sort: opts.sort },
  })
  return data
}

/** Records the use and returns the message to put into the chat. */
export async function useScript(id: number, target: SendTarget): Promise<ChatMessagePayload> {
  const { data } = await http.post<{ message: ChatMessagePayload }>(`/api/sidebar/scripts/${id}/use`, target)
  return data.message
}

// ── admin ──
export async function fetchLibraries(): Promise<ScriptLibrary[]> {
  const { data } = await http.get<{ items: ScriptLibrary[] }>('/api/admin/script-libraries')
  return data.items
}
export async function saveLibrary(
  body: { name: string; order?: number },
  id?: number,
): Promise<ScriptLibrary> {
  const { data } = id
    ? await http.put<ScriptLibrary>(`/api/admin/script-libraries/${id}`, body)
    : await http.post<ScriptLibrary>('/api/admin/script-libraries', body)
  return data
}
export async function deleteLibrary(id: number): Promise<void> {
  await http.delete(`/api/admin/script-libraries/${id}`)
}
export async function fetchScripts(params: {
  q?: string
  libraryId?: number
  sort?: ScriptSort
}): Promise<RankedScript[]> {
  const { data } = await http.get<{ items: RankedScript[] }>('/api/admin/scripts', { params })
  return data.items
}
export async function saveScript(body: ScriptInput, id?: number): Promise<Script> {
  const { data } = id
    ? await http.put<Script>(`/api/admin/scripts/${id}`, body)
    : await http.post<Script>('/api/admin/scripts', body)
  return data
}
export async function importScripts(body: ScriptImport): Promise<number> {
  const { data } = await http.post<{ imported: number }>('/api/admin/scripts/import', body)
  return data.imported
}
export async function deleteScript(id: number): Promise<void> {
  await http.delete(`/api/admin/scripts/${id}`)
}
