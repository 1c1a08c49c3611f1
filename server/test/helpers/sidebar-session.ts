// Talking to a listening app over real HTTP as the sidebar does: an advisor's session through the real
// OAuth dance against the simulated corp, and a small JSON client for the admin and sidebar routes.
import assert from 'node:assert/strict'

/** The cookies a response sets, as one Cookie header to send back. */
export const cookieOf = (res: Response) =>
  (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ')

/** Signs in through the real OAuth dance (our /start → simulated WeCom authorize → our /callback). */
export async function advisorCookie(base: string, userId: string): Promise<string> {
  const start = await fetch(`${base}/api/sidebar/auth/start?returnTo=/sidebar/`, { redirect: 'manual' })
  const authorize = new URL(start.headers.get('location')!)
  authorize.searchParams.set('userid', userId)
  const wecom = await fetch(authorize, { redirect: 'manual' })
  const done = await fetch(wecom.headers.get('location')!, {
    redirect: 'manual',
    headers: { cookie: cookieOf(start) },
  })
  assert.equal(done.status, 302)
  return cookieOf(done)
}

export interface ApiInit {
  method?: string
  body?: unknown
  headers?: Record<string, string>
}

/**
 * A JSON client for the app at `base()`, read on every call (suites learn the port in `before`).
 * Answers `{ status, body }` with the parsed body, or null when it is empty.
 */
export function jsonApi(base: () => string) {
  return async (path: string, cookie: string, init: ApiInit = {}) => {
    const res = await fetch(`${base()}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        cookie,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : null }
  }
}
