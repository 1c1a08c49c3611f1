import { ref, watch, type Ref } from 'vue'
import { describeError } from '@/api/errors'

/**
 * Loads what a panel or section shows for the customer or group in view, again whenever that changes.
 * A newer load wins: a slow answer for the previous chat never lands in the current one.
 */
export function useKeyedLoad<T>(key: () => string, fetcher: (key: string) => Promise<T>) {
  const data = ref(null) as Ref<T | null>
  const error = ref('')
  const loading = ref(false)
  /** At least one load has finished (so an empty result means empty, not "not yet"). */
  const loaded = ref(false)
  let seq = 0

  async function load(): Promise<void> {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const result = await fetcher(key())
      if (mine === seq) data.value = result
    } catch (e) {
      if (mine === seq) error.value = describeError(e)
    } finally {
      if (mine === seq) {
        loading.value = false
        loaded.value = true
      }
    }
  }
  watch(key, load, { immediate: true })

  return { data, error, loading, loaded, load }
}
