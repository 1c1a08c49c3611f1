import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  CustomerDates,
  CustomerTasksView,
  CycleInput,
  ErrorBody,
  FollowupTask,
  MyTasksView,
  ReminderSettings,
  ReminderStats,
  RunoutPrediction,
  ScanResult,
  SopRule,
  SopRuleInput,
  TaskAction,
  TaskPage,
  TaskQuery,
} from '@scrm/shared'
import { notFound } from '../../lib/errors.ts'
import { readSettings, writeSettings } from './settings.ts'

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const Customer = Type.Object({ externalUserId: Type.String({ minLength: 1, maxLength: 64 }) })
const CustomerProduct = Type.Object({
  externalUserId: Type.String({ minLength: 1, maxLength: 64 }),
  productId: Type.Integer({ minimum: 1 }),
})
const tags = ['reminders']

/** Admin: 提醒与SOP — rules, settings, tasks, completion rates, and per-customer cycles and dates. */
export const reminderAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())
  const r = app.reminders

  const ruleById = async (id: number) => {
    const { byRule } = await r.tasks.stats()
    const rule = (await r.sop.list(byRule)).find((x) => x.id === id)
    if (!rule) throw notFound('Rule')
    return rule
  }

  app.get(
    '/rules',
    { schema: { tags, response: { 200: Type.Object({ items: Type.Array(SopRule) }) } } },
    async () => ({ items: await r.sop.list((await r.tasks.stats()).byRule) }),
  )
  app.post(
    '/rules',
    { schema: { tags, body: SopRuleInput, response: { 201: SopRule, 400: ErrorBody } } },
    async (req, reply) => reply.status(201).send(await ruleById(await r.sop.save(req.body))),
  )
  app.put(
    '/rules/:id',
    {
      schema: {
        tags,
        params: Id,
        body: SopRuleInput,
        response: { 200: SopRule, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => ruleById(await r.sop.save(req.body, req.params.id)),
  )
  app.delete(
    '/rules/:id',
    { schema: { tags, params: Id, response: { 204: Type.Null(), 404: ErrorBody } } },
    async (req, reply) => {
      await r.sop.remove(req.params.id)
      return reply.status(204).send(null)
    },
  )

  app.get('/settings', { schema: { tags, response: { 200: ReminderSettings } } }, async () =>
    readSettings(app.db),
  )
  app.put(
    '/settings',
    { schema: { tags, body: ReminderSettings, response: { 200: ReminderSettings, 400: ErrorBody } } },
    async (req) => writeSettings(app.db, req.body),
  )

  app.get('/tasks', { schema: { tags, querystring: TaskQuery, response: { 200: TaskPage } } }, async (req) =>
    r.tasks.page(req.query),
  )
  app.post(
    '/tasks/:id/handle',
    { schema: { tags, params: Id, body: TaskAction, response: { 200: FollowupTask, 404: ErrorBody } } },
    async (req) => r.tasks.handle(req.params.id, null, req.body.action),
  )
  app.get(
    '/stats',
    { schema: { tags, response: { 200: ReminderStats } } },
    async () => (await r.tasks.stats()).rows,
  )

  app.post('/scan', { schema: { tags, response: { 200: ScanResult } } }, async () => r.scan())
  app.post(
    '/digest',
    { schema: { tags, response: { 200: Type.Object({ sent: Type.Integer() }) } } },
    async () => ({ sent: await r.digest() }),
  )

  app.get(
    '/customers/:externalUserId',
    {
      schema: {
        tags,
        params: Customer,
        response: { 200: Type.Object({ predictions: Type.Array(RunoutPrediction), dates: CustomerDates }) },
      },
    },
    async (req) => ({
      predictions: await r.predictions.forCustomer(req.params.externalUserId),
      dates: await r.dates(req.params.externalUserId),
    }),
  )
  app.put(
    '/customers/:externalUserId/cycles/:productId',
    {
      schema: {
        tags,
        params: CustomerProduct,
        body: CycleInput,
        response: {
          200: Type.Object({ predictions: Type.Array(RunoutPrediction) }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (req) => ({
      predictions: await r.predictions.setCycle(
        req.params.externalUserId,
        req.params.productId,
        req.body.cycleDays,
        `admin:${req.admin?.username ?? ''}`.slice(0, 64),
      ),
    }),
  )
  app.put(
    '/customers/:externalUserId/dates',
    {
      schema: {
        tags,
        params: Customer,
        body: CustomerDates,
        response: { 200: CustomerDates, 400: ErrorBody },
      },
    },
    async (req) => r.setDates(req.params.externalUserId, req.body),
  )
}

/** Sidebar: the customer's open tasks, run-out dates, own cycles and dates — only for the advisor's own customers. */
export const reminderSidebarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdvisor)
  const r = app.reminders
  const errors = { 401: ErrorBody, 403: ErrorBody }
  const mine = (userId: string, externalUserId: string) =>
    app.customerViews.requireFollow(userId, externalUserId)

  app.get(
    '/customers/:externalUserId/tasks',
    { schema: { tags: ['sidebar'], params: Customer, response: { 200: CustomerTasksView, ...errors } } },
    async (req) => {
      await mine(req.advisor!.userId, req.params.externalUserId)
      return r.customerView(req.advisor!.userId, req.params.externalUserId)
    },
  )
  app.put(
    '/customers/:externalUserId/cycles/:productId',
    {
      schema: {
        tags: ['sidebar'],
        params: CustomerProduct,
        body: CycleInput,
        response: {
          200: Type.Object({ predictions: Type.Array(RunoutPrediction) }),
          400: ErrorBody,
          404: ErrorBody,
          ...errors,
        },
      },
    },
    async (req) => {
      await mine(req.advisor!.userId, req.params.externalUserId)
      return {
        predictions: await r.predictions.setCycle(
          req.params.externalUserId,
          req.params.productId,
          req.body.cycleDays,
          req.advisor!.userId,
        ),
      }
    },
  )
  app.put(
    '/customers/:externalUserId/dates',
    {
      schema: {
        tags: ['sidebar'],
        params: Customer,
        body: CustomerDates,
        response: { 200: CustomerDates, 400: ErrorBody, ...errors },
      },
    },
    async (req) => {
      await mine(req.advisor!.userId, req.params.externalUserId)
      return r.setDates(req.params.externalUserId, req.body)
    },
  )
  app.get(
    '/tasks',
    {
      schema: {
        tags: ['sidebar'],
        response: { 200: MyTasksView, ...errors },
      },
    },
    async (req) => r.tasks.board(req.advisor!.userId),
  )
  app.get(
    '/tasks/:id',
    { schema: { tags: ['sidebar'], params: Id, response: { 200: FollowupTask, 404: ErrorBody, ...errors } } },
    async (req) => r.tasks.one(req.params.id, req.advisor!.userId),
  )
  app.post(
    '/tasks/:id/handle',
    {
      schema: {
        tags: ['sidebar'],
        params: Id,
        body: TaskAction,
        response: { 200: FollowupTask, 404: ErrorBody, ...errors },
      },
    },
    async (req) => r.tasks.handle(req.params.id, req.advisor!.userId, req.body.action),
  )
}
