import { createApp } from 'vue'
import 'vant/es/style/base.css'
import './styles.css'
import App from './App.vue'

// The chat sidebar: Vant only (components are imported where used), never anything from src/admin.
createApp(App).mount('#app')
