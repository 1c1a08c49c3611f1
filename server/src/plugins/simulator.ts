import fp from 'fastify-plugin'

// Mounts the built-in WeCom simulator at /simulator (demo and development only).
export default fp(async () => {}, { name: 'simulator', dependencies: ['config'] })
