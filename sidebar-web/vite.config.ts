import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const here = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname)
const root = here('.')
const backend = 'http://127.0.0.1:3000'

// Two pages: the admin console (Element Plus, desktop) and the chat sidebar (Vant, mobile).
// The sidebar entry must never pull in admin code or Element Plus, so heavy libraries get their own chunks.
export default defineConfig({
  root,
  base: '/',
  plugins: [vue()],
  resolve: { alias: { '@': here('./src') } },
  server: {
    proxy: {
      '/api': backend,
      '/healthz': backend,
      '/simulator': backend,
      '/wecom': backend,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: {
        admin: here('./admin/index.html'),
        sidebar: here('./sidebar/index.html'),
        // The public store landing page (mobile, no login): plain CSS, never admin code or Vant.
        landing: here('./landing/index.html'),
      },
      output: {
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined
          if (id.includes('/element-plus/') || id.includes('/@element-plus/')) return 'element-plus'
          if (id.includes('/echarts/') || id.includes('/zrender/') || id.includes('/vue-echarts/'))
            return 'echarts'
          if (id.includes('/vant/') || id.includes('/@vant/')) return 'vant'
          if (id.includes('/@wecom/jssdk/')) return 'wecom-jssdk'
          if (id.includes('/vue-router/')) return 'vue-router'
          if (/\/(@vue|vue|pinia|axios)\//.test(id)) return 'vendor'
          return undefined
        },
      },
    },
  },
})
