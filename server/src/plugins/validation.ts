import AjvModule, { type Options } from 'ajv'
import addFormatsModule from 'ajv-formats'
import fp from 'fastify-plugin'

// Query strings and params arrive as text, so they are coerced ("20" → 20); JSON bodies are not:
// a number where a string belongs is the client's mistake and gets a 400 naming the field.
// Both packages are CommonJS with a default export; under NodeNext the class sits on `.default`.
const Ajv = AjvModule.default
const addFormats = addFormatsModule.default

function makeAjv(opts: Options) {
  const ajv = new Ajv({
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
    ...opts,
  })
  addFormats(ajv)
  return ajv
}

declare module 'fastify' {
  interface FastifyInstance {
    /** API routes registered without a schema (a test keeps this empty: every route has one). */
    routesWithoutSchema: string[]
  }
}

export default fp(
  async (app) => {
    const withoutSchema: string[] = []
    app.decorate('routesWithoutSchema', withoutSchema)
    app.addHook('onRoute', (route) => {
      // HEAD routes are Fastify's automatic twins of GET routes.
      if (!route.schema && route.method !== 'HEAD' && /^\/(api|wecom)\//.test(route.url))
        withoutSchema.push(`${[route.method].flat().join(',')} ${route.url}`)
    })
    const strict = makeAjv({ coerceTypes: false })
    const coercing = makeAjv({ coerceTypes: 'array' })
    app.setValidatorCompiler(({ schema, httpPart }) =>
      (httpPart === 'body' ? strict : coercing).compile(schema),
    )
  },
  { name: 'validation' },
)
