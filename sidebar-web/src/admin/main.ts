import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/dist/index.css'
import './styles.css'
import { onUnauthorized } from '@/api/http'
import { useSessionStore } from '@/stores/session'
import App from './App.vue'
import { router } from './router'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(router)

// Any request answered 401 (session expired) sends the operator to the login page and back afterwards.
onUnauthorized(() => {
  useSessionStore(pinia).clear()
  const current = router.currentRoute.value
  if (current.name !== 'login') void router.replace({ name: 'login', query: { redirect: current.fullPath } })
})

app.mount('#app')
