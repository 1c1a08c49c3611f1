import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { describeError } from '@/api/errors'

export interface Loader<T> {
  data: ShallowRef<T>
  loading: Ref<boolean>
  error: Ref<string>
  load: () => Promise<void>
}

/**
 * Runs `fetcher` and keeps its result, a loading flag and a Chinese error message.
 * A newer call wins: an older, slower response never overwrites it.
 */
export function useLoader<T>(fetcher: () => Promise<T>, initial: T): Loader<T> {
  const data = shallowRef(initial) as ShallowRef<T>
  const loading = ref(false)
  const error = ref('')
  let seq = 0

  async function load(): Promise<void> {
    const mine = ++seq
    loading.value = true
    try {
      const result = await fetcher()
      if (mine !== seq) return
      data.value = result
      error.value = ''
    } catch (e) {
      if (mine === seq) error.value = describeError(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  return { data, loading, error, load }
}
