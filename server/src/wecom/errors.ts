/** WeCom answered with errcode ≠ 0 (even with HTTP 200). */
export class WeComApiError extends Error {
  constructor(
    readonly path: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeCom ${path} failed: ${errcode} ${errmsg}`)
  }
}

/** The call could not complete (network, timeout, 5xx) after every retry. */
export class WeComUnavailableError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`WeCom ${path} unavailable: ${reason}`)
  }
}

export const TOKEN_ERRCODES = new Set([40014, 42001, 41001])
// Busy / rate limited / system error: worth a backoff and another try.
export const TRANSIENT_ERRCODES = new Set([-1, 45009, 45033, 45011])
export const WELCOME_ALREADY_SENT = 41051
export const WELCOME_CODE_EXPIRED = 41050
