// Control routes (/_control/…): inspect the corp, run scenarios, read the call log, inject faults, reset.
// Not part of WeCom's API: JSON with TypeBox schemas and `{ statusCode, code, message }` errors.
import { Type, TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { contactWayOut, qrUrl } from './api/contact-ways.ts'
import { profileOf, followUserOf } from './api/contacts.ts'
import { groupOut } from './api/groups.ts'
import { tagGroupOut } from './api/tags.ts'
import type { SimulatedCorp } from './corp.ts'
import { ScenarioError } from './driver/driver.ts'
import { SCENARIOS } from './driver/scenarios.ts'
import { WecomApiError } from './errors.ts'
import { baseUrlOf } from './http.ts'
import { seedDemoCorp } from './seed.ts'

const FaultRuleSchema = Type.Object({
  path: Type.String({ minLength: 1 }),
  kind: Type.Union([
    Type.Literal('errcode'),
    Type.Literal('http5xx'),
    Type.Literal('latency'),
    Type.Literal('drop'),
  ]),
  errcode: Type.Optional(Type.Integer()),
  errmsg: Type.Optional(Type.String()),
  status: Type.Optional(Type.Integer({ minimum: 500, maximum: 599 })),
  ms: Type.Optional(Type.Integer({ minimum: 0 })),
  hang: Type.Optional(Type.Boolean()),
  times: Type.Optional(Type.Integer({ minimum: 1 })),
})

const CallbackSchema = Type.Object({
  url: Type.String({ minLength: 1 }),
  token: Type.String({ minLength: 1 }),
  encodingAesKey: Type.String({ minLength: 43, maxLength: 43 }),
})

export const registerControl: FastifyPluginAsync<{ corp: SimulatedCorp }> = async (
  parent: FastifyInstance,
  { corp },
) => {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(TypeBoxValidatorCompiler)
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  )
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof ScenarioError)
      return reply.code(400).send({ statusCode: 400, code: err.code, message: err.message })
    if (err instanceof WecomApiError)
      return reply.code(400).send({ statusCode: 400, code: `wecom_${err.errcode}`, message: err.errmsg })
    const e = err as { statusCode?: number; code?: string; message?: string }
    const statusCode = e.statusCode && e.statusCode < 500 ? e.statusCode : 500
    return reply
      .code(statusCode)
      .send({ statusCode, code: e.code ?? 'internal_error', message: e.message ?? 'error' })
  })
  const base = (req: { protocol: string; host: string }) =>
    baseUrlOf(req as never, parent.prefix.replace(/\/_control$/, ''))

  app.get('/', async () => ({
    corpId: corp.corpId,
    agentId: corp.agentId,
    secrets: corp.options.secrets,
    callback: corp.callback ? { url: corp.callback.url } : null,
    counts: {
      staff: corp.data.staff.size,
      customers: corp.data.customers.size,
      groups: [...corp.data.groups.values()].filter((g) => !g.dismissed).length,
      contactWays: corp.data.contactWays.size,
      joinWays: corp.data.joinWays.size,
      calls: corp.calls.lastSeq,
      deliveries: corp.driver.deliveries.length,
    },
  }))
  app.get('/staff', async () => [...corp.data.staff.values()])
  app.get(
    '/customers',
    { schema: { querystring: Type.Object({ userid: Type.Optional(Type.String()) }) } },
    async (req) =>
      [...corp.data.customers.values()]
        .filter((c) => !req.query.userid || c.follows.some((f) => f.userid === req.query.userid))
        .map((c) => ({
          ...profileOf(c),
          follow_user: c.follows.map((f) => ({
            ...followUserOf(corp, f),
            deleted_by_customer: !!f.deleted_by_customer,
          })),
        })),
  )
  app.get('/groups', async () =>
    [...corp.data.groups.values()]
      .filter((g) => !g.dismissed)
      .map((g) => ({ ...groupOut(g, true), status: g.status })),
  )
  app.get('/tags', async () => corp.data.tagGroups.map((g) => tagGroupOut(g)))
  app.get('/contact-ways', async (req) =>
    [...corp.data.contactWays.values()].map((w) => contactWayOut(w, base(req))),
  )
  app.get('/join-ways', async (req) =>
    [...corp.data.joinWays.values()].map((w) => ({
      ...w,
      qr_code: qrUrl(base(req), 'join_way', w.config_id),
    })),
  )
  app.get('/welcome-messages', async () => corp.data.sentWelcomes)
  app.get('/app-messages', async () => corp.data.appMessages)
  app.get('/mass-sends', async () => [...corp.data.massSends.values()])
  app.get('/transfers', async () => corp.data.transfers)
  app.get('/deliveries', async () => corp.driver.deliveries)

  app.get('/scenarios', async () =>
    Object.entries(SCENARIOS).map(([name, s]) => ({ name, title: s.title, params: s.params })),
  )
  app.post(
    '/scenarios/:name',
    {
      schema: {
        params: Type.Object({ name: Type.String() }),
        querystring: Type.Object({
          repeat: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
          concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        }),
        body: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      },
    },
    async (req, reply) => {
      const spec = SCENARIOS[req.params.name]
      if (!spec)
        return reply.code(404).send({ statusCode: 404, code: 'unknown_scenario', message: req.params.name })
      const params = req.body ?? {}
      if (!req.query.repeat) return spec.run(corp.driver, params)
      const settled = await corp.driver.burst(
        req.query.repeat,
        async () => spec.run(corp.driver, { ...params }),
        req.query.concurrency ?? 10,
      )
      return settled.map((s) =>
        s.status === 'fulfilled'
          ? { ok: true, result: s.value }
          : { ok: false, error: String(s.reason?.message ?? s.reason) },
      )
    },
  )
  // What the QR images encode: opening one (e.g. from a phone) plays "a customer scanned it".
  app.get(
    '/scan/:kind/:id',
    { schema: { params: Type.Object({ kind: Type.String(), id: Type.String() }) } },
    async (req) =>
      req.params.kind === 'join_way'
        ? corp.driver.customerJoinsGroupViaJoinWay({ configId: req.params.id })
        : corp.driver.customerScansContactWay({ configId: req.params.id }),
  )

  app.get(
    '/calls',
    {
      schema: {
        querystring: Type.Object({
          path: Type.Optional(Type.String()),
          since: Type.Optional(Type.Integer({ minimum: 0 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        }),
      },
    },
    async (req) => corp.calls.list(req.query),
  )
  app.delete('/calls', async () => {
    corp.calls.clear()
    return { ok: true }
  })

  app.get('/faults', async () => corp.faults.list())
  app.post(
    '/faults',
    { schema: { body: Type.Union([FaultRuleSchema, Type.Array(FaultRuleSchema)]) } },
    async (req) => (Array.isArray(req.body) ? req.body : [req.body]).map((r) => corp.faults.add(r)),
  )
  app.delete('/faults', async () => {
    corp.faults.clear()
    return { ok: true }
  })
  app.delete('/faults/:id', { schema: { params: Type.Object({ id: Type.Integer() }) } }, async (req) => ({
    ok: corp.faults.remove(req.params.id),
  }))

  app.post(
    '/reset',
    {
      schema: {
        body: Type.Optional(
          Type.Object({ mode: Type.Optional(Type.Union([Type.Literal('demo'), Type.Literal('empty')])) }),
        ),
      },
    },
    async (req) => {
      if (req.body?.mode === 'empty') corp.reset()
      else seedDemoCorp(corp)
      corp.calls.clear()
      corp.faults.clear()
      corp.driver.deliveries.length = 0
      return { ok: true, mode: req.body?.mode ?? 'demo' }
    },
  )
  app.post(
    '/clock/advance',
    { schema: { body: Type.Object({ ms: Type.Integer({ minimum: 0 }) }) } },
    async (req) => {
      corp.advanceClock(req.body.ms)
      return { now: corp.now() }
    },
  )
  app.post('/tokens/expire', async () => {
    for (const t of corp.data.tokens.values()) t.expires_at_ms = 0
    return { ok: true }
  })
  app.put('/callback', { schema: { body: CallbackSchema } }, async (req) => {
    corp.callback = req.body
    return { ok: true }
  })
  app.delete('/callback', async () => {
    corp.callback = undefined
    return { ok: true }
  })
}
