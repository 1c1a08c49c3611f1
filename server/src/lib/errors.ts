/** An error meant for the client: a status, a stable machine-readable code and a human message. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`)
export const conflict = (code: string, message: string) => new AppError(409, code, message)
export const badRequest = (code: string, message: string) => new AppError(400, code, message)
