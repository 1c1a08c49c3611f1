import type { FastifyError } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../lib/errors.ts'
import { WeComApiError } from '../wecom/errors.ts'

// The one place errors become responses: `{ statusCode, code, message }`, never a stack trace.
export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError | AppError | WeComApiError, req, reply) => {
      if (err instanceof AppError) {
        return reply
          .status(err.statusCode)
          .send({ statusCode: err.statusCode, code: err.code, message: err.message, ...err.details })
      }
      if (err instanceof WeComApiError) {
        req.log.warn({ path: err.path, errcode: err.errcode }, 'WeCom rejected a call')
        return reply.status(502).send({
          statusCode: 502,
          code: 'wecom_error',
          message: `WeCom error ${err.errcode}: ${err.errmsg}`,
          errcode: err.errcode,
          errmsg: err.errmsg,
        })
      }
      const fe = err as FastifyError
      if (fe.validation) {
        const first = fe.validation[0]
        const field =
          (first?.instancePath || '').replace(/^\//, '').replace(/\//g, '.') ||
          (first?.params as { missingProperty?: string } | undefined)?.missingProperty ||
          fe.validationContext
        return reply.status(400).send({
          statusCode: 400,
          code: 'validation_error',
          message: `${fe.validationContext ?? 'request'}${field ? ` field "${field}"` : ''}: ${first?.message ?? fe.message}`,
          field,
        })
      }
      const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500
      if (status >= 500) {
        req.log.error({ err }, 'unhandled error')
        return reply
          .status(status)
          .send({ statusCode: status, code: 'internal_error', message: 'Internal server error' })
      }
      return reply.status(status).send({
        statusCode: status,
        code: fe.code ? fe.code.toLowerCase() : 'bad_request',
        message: fe.message,
      })
    })

    app.setNotFoundHandler((req, reply) =>
      reply.status(404).send({
        statusCode: 404,
        code: 'not_found',
        message: `Route ${req.method} ${req.url.split('?')[0]} not found`,
      }),
    )
  },
  { name: 'errors' },
)
