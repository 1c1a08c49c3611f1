/** The server's error body: `{ statusCode, code, message }` with a stable `code`. */
export interface ApiErrorBody {
  statusCode: number
  code: string
  message: string
}

/** Every failed request surfaces as one of these; `status` 0 means the network failed. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string

  constructor(status: number, code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
  }

  static is(value: unknown): value is ApiError {
    return value instanceof ApiError
  }
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false
  const body = value as Record<string, unknown>
  return typeof body.code === 'string' && typeof body.message === 'string'
}

/** A short Chinese message for an error, for toasts and inline alerts. */
export function describeError(error: unknown): string {
  if (!ApiError.is(error)) return error instanceof Error ? error.message : '未知错误'
  if (error.status === 0) return '网络异常，请检查连接后重试'
  if (error.status === 429) return '尝试过于频繁，请稍后再试'
  if (error.status >= 500) return `服务器错误（${error.status}）：${error.message}`
  return error.message || `请求失败（${error.status}）`
}
