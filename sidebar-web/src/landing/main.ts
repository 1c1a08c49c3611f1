import { createApp } from 'vue'
import './styles.css'
import App from './App.vue'

// The public store landing page: a customer opens the shared link (or scans its QR), allows location,
// and gets the group QR of the nearest store. No login, no admin code, no UI library.
createApp(App).mount('#app')
