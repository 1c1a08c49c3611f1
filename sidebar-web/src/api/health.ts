import { http } from './http'

export interface Health {
  status: 'ok' | 'degraded'
  db: 'up' | 'down'
  version: string
}

export async function fetchHealth(): Promise<Health> {
  // A degraded server may answer 503 with the same body; treat that as data, not as an error.
  const { data } = await http.get<Health>('/healthz', { validateStatus: (s) => s === 200 || s === 503 })
  return data
}
