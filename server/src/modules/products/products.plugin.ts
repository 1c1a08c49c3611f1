import fp from 'fastify-plugin'
import { ProductService } from './product.service.ts'
import { productAdminRoutes, productSidebarRoutes } from './products.routes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    products: ProductService
  }
}

/** 商品库: admin CRUD and one-tap sends from the sidebar. */
export default fp(
  async (app) => {
    app.decorate('products', new ProductService(app.db, app.wecom))
    await app.register(productAdminRoutes, { prefix: '/api/admin' })
    await app.register(productSidebarRoutes, { prefix: '/api/sidebar' })
  },
  { name: 'products', dependencies: ['db', 'wecom', 'auth', 'sidebar'] },
)
