import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from '@/stores/session'
import { MENU } from './menu'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    group?: string
    summary?: string
    public?: boolean
  }
}

const pageRoutes: RouteRecordRaw[] = MENU.flatMap((group) =>
  group.pages.map((page) => ({
    path: page.path,
    name: page.name,
    component: page.component ?? (() => import('./pages/UnderConstruction.vue')),
    meta: { title: page.title, group: group.title, summary: page.summary },
  })),
)

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('./pages/LoginPage.vue'),
    meta: { title: '登录', public: true },
  },
  {
    path: '/',
    component: () => import('./layout/AdminLayout.vue'),
    redirect: { name: 'dashboard' },
    children: pageRoutes,
  },
  { path: '/:pathMatch(.*)*', redirect: { name: 'dashboard' } },
]

export const router = createRouter({
  history: createWebHistory('/admin/'),
  routes,
})

router.beforeEach(async (to) => {
  const session = useSessionStore()
  let user: Awaited<ReturnType<typeof session.ensure>>
  try {
    user = await session.ensure()
  } catch {
    // Server unreachable: let the page render; its own requests will show the error.
    return true
  }
  if (to.meta.public) return user && to.name === 'login' ? { name: 'dashboard' } : true
  if (!user) return { name: 'login', query: { redirect: to.fullPath } }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 私域运营 SCRM` : '私域运营 SCRM'
})
