import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as auth from '@/api/auth'
import { ApiError } from '@/api/errors'

/** The admin console's session: who is signed in, checked once per page load. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<auth.AdminUser | null>(null)
  const checked = ref(false)
  let pending: Promise<auth.AdminUser | null> | null = null

  const isLoggedIn = computed(() => user.value !== null)
  const isAdmin = computed(() => user.value?.role === 'admin')

  /** Asks the server who we are (once); a 401 means signed out, other errors propagate. */
  function ensure(): Promise<auth.AdminUser | null> {
    if (checked.value) return Promise.resolve(user.value)
    pending ??= auth
      .fetchMe()
      .then((me) => {
        user.value = me
        checked.value = true
        return me
      })
      .catch((error: unknown) => {
        if (!ApiError.is(error) || error.status !== 401) throw error
        clear()
        return null
      })
      .finally(() => {
        pending = null
      })
    return pending
  }

  async function login(username: string, password: string): Promise<auth.AdminUser> {
    const me = await auth.login({ username, password })
    user.value = me
    checked.value = true
    return me
  }

  async function logout(): Promise<void> {
    try {
      await auth.logout()
    } finally {
      clear()
    }
  }

  /** Forget the session locally (after a 401 from any request). */
  function clear(): void {
    user.value = null
    checked.value = true
  }

  return { user, checked, isLoggedIn, isAdmin, ensure, login, logout, clear }
})
