import { http } from './http'

import type { AdminUser, LoginBody } from '@scrm/shared'

export type { AdminRole, AdminUser, LoginBody } from '@scrm/shared'

export async function login(body: LoginBody): Promise<AdminUser> {
  const { data } = await http.post<{ user: AdminUser }>('/api/admin/auth/login', body, {
    skipAuthRedirect: true,
  })
  return data.user
}

export async function logout(): Promise<void> {
  await http.post('/api/admin/auth/logout', undefined, { skipAuthRedirect: true })
}

/** The current session's user; rejects with an ApiError of status 401 when signed out. */
export async function fetchMe(): Promise<AdminUser> {
  const { data } = await http.get<{ user: AdminUser }>('/api/admin/auth/me', { skipAuthRedirect: true })
  return data.user
}
