import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'

// OpenAPI at /docs, generated from the TypeBox schema every route carries.
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'WeCom SCRM API',
          version: '0.1.0',
          description: 'Admin, sidebar and WeCom callback API',
        },
        components: {
          securitySchemes: { adminSession: { type: 'apiKey', in: 'cookie', name: 'scrm_admin' } },
        },
      },
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
  },
  { name: 'docs' },
)
