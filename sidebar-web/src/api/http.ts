import axios, { AxiosError, type AxiosRequestConfig } from 'axios'
import { ApiError, isApiErrorBody } from './errors'

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Do not run the global 401 handler for this request (login, session probe). */
    skipAuthRedirect?: boolean
  }
}

/** The one HTTP instance: same origin, cookie session. */
export const http = axios.create({
  baseURL: '/',
  withCredentials: true,
  timeout: 15_000,
  headers: { Accept: 'application/json' },
})

type UnauthorizedHandler = () => void
let unauthorizedHandler: UnauthorizedHandler | null = null

/** The admin app registers how to react to an expired session (go to the login page). */
export function onUnauthorized(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler
}

function toApiError(error: unknown): ApiError {
  if (!(error instanceof AxiosError)) {
    return new ApiError(0, 'unknown', error instanceof Error ? error.message : String(error))
  }
  const response = error.response
  if (!response) return new ApiError(0, 'network_error', error.message)
  const body: unknown = response.data
  if (isApiErrorBody(body)) return new ApiError(response.status, body.code, body.message)
  return new ApiError(response.status, `http_${response.status}`, response.statusText || error.message)
}

http.interceptors.response.use(
  (response) => response,
  (error: unknown) => {
    const apiError = toApiError(error)
    const config: AxiosRequestConfig | undefined = error instanceof AxiosError ? error.config : undefined
    if (apiError.status === 401 && !config?.skipAuthRedirect) unauthorizedHandler?.()
    return Promise.reject(apiError)
  },
)
