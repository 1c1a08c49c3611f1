import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'

/** Serves the built web app: the admin console at /admin/ and the chat sidebar at /sidebar/. */
export default fp(
  async (app) => {
    const root = app.config.webDist
    app.get('/', { schema: { hide: true } }, (_req, reply) => reply.redirect('/admin/'))
    if (!existsSync(join(root, 'admin/index.html'))) {
      app.log.warn(
        { root },
        'web app not built (run `pnpm --filter sidebar-web build`); /admin and /sidebar are unavailable',
      )
      return
    }
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: false,
      setHeaders: (res, path) => {
        // Hashed assets never change; the HTML entry points must always be fresh.
        res.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        )
      },
    })
    for (const spa of ['admin', 'sidebar', 'landing']) {
      const serveIndex = (
        _req: unknown,
        reply: { header(k: string, v: string): unknown; sendFile(p: string): unknown },
      ) => {
        reply.header('cache-control', 'no-cache')
        return reply.sendFile(`${spa}/index.html`)
      }
      app.get(`/${spa}`, { schema: { hide: true } }, (_req, reply) => reply.redirect(`/${spa}/`))
      app.get(`/${spa}/`, { schema: { hide: true } }, serveIndex)
      app.get(`/${spa}/*`, { schema: { hide: true } }, serveIndex)
    }
  },
  { name: 'web', dependencies: ['config'] },
)
