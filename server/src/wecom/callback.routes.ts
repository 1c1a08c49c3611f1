import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CallbackRejected, openCallback, verifyUrl, type OpenedCallback } from './callback.ts'
import type { CallbackCryptoConfig } from './crypto.ts'

export interface CallbackRouteOptions {
  crypto: CallbackCryptoConfig
  maxSkewSec: number
  bodyLimit: number
  /** Must resolve only once the callback is durably stored: the 200 that follows tells WeCom to stop retrying. */
  accept(cb: OpenedCallback): Promise<void>
}

const SignedQuery = Type.Object({
  msg_signature: Type.Optional(Type.String({ maxLength: 128 })),
  timestamp: Type.Optional(Type.String({ maxLength: 32 })),
  nonce: Type.Optional(Type.String({ maxLength: 64 })),
})

const Rejection = Type.Object({ statusCode: Type.Integer(), code: Type.String(), message: Type.String() })

/** `GET|POST /wecom/callback`: WeCom's URL verification and event delivery (接收事件服务器). */
export const callbackRoutes: FastifyPluginAsyncTypebox<CallbackRouteOptions> = async (app, opts) => {
  // WeCom posts XML; the body is kept as the raw string for signature work.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: opts.bodyLimit }, (_req, body, done) =>
    done(null, body),
  )

  const reject = (code: string, message: string) => ({ statusCode: 400, code: `callback_${code}`, message })

  app.get(
    '/callback',
    {
      logLevel: 'warn',
      schema: {
        tags: ['wecom'],
        querystring: Type.Intersect([
          SignedQuery,
          Type.Object({ echostr: Type.Optional(Type.String({ maxLength: 1024 })) }),
        ]),
        response: { 200: Type.String(), 400: Rejection },
      },
    },
    async (req, reply) => {
      try {
        const plain = verifyUrl(opts.crypto, req.query, { maxSkewSec: opts.maxSkewSec })
        return reply.type('text/plain').send(plain)
      } catch (err) {
        if (!(err instanceof CallbackRejected)) throw err
        req.log.warn({ reason: err.code }, 'callback URL verification rejected')
        return reply.status(400).send(reject(err.code, err.message))
      }
    },
  )

  app.post(
    '/callback',
    {
      logLevel: 'warn',
      bodyLimit: opts.bodyLimit,
      schema: { tags: ['wecom'], querystring: SignedQuery, response: { 200: Type.String(), 400: Rejection } },
    },
    async (req, reply) => {
      let opened: OpenedCallback
      try {
        opened = await openCallback(opts.crypto, req.query, typeof req.body === 'string' ? req.body : '', {
          maxSkewSec: opts.maxSkewSec,
        })
      } catch (err) {
        if (!(err instanceof CallbackRejected)) throw err
        // Never the body: it may be a forged payload, and real ones carry customer data.
        req.log.warn({ reason: err.code }, 'callback rejected')
        return reply.status(400).send(reject(err.code, err.message))
      }
      await opts.accept(opened)
      return reply.type('text/plain').send('success')
    },
  )
}
