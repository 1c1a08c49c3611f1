import { createApp } from 'vue'
import 'vant/es/style/base.css'
import './styles.css'
import { adoptSimulatedHost } from './simulated-host'

// The chat sidebar: Vant only (components are imported where used), never anything from src/admin.
// The app (and with it @wecom/jssdk) loads after the demo's simulated host, if any, is in place.
async function boot(): Promise<void> {
  await adoptSimulatedHost()
  const { default: App } = await import('./App.vue')
  createApp(App).mount('#app')
}
void boot()
