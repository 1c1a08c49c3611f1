import { ref } from 'vue'
import { ElMessage } from '@/admin/ui'
import { describeError } from '@/api/errors'

/**
 * A form's save: `saving` while it runs, and its failure as `formError` (shown in the form, which stays
 * open), not as a toast.
 */
export function useFormSave() {
  const saving = ref(false)
  const formError = ref('')
  async function run(action: () => Promise<void>): Promise<void> {
    saving.value = true
    formError.value = ''
    try {
      await action()
    } catch (e) {
      formError.value = describeError(e)
    } finally {
      saving.value = false
    }
  }
  return { saving, formError, run }
}

/** A row action (delete, toggle…): says `success` when given, reloads the list; a failure is a toast. */
export async function actAndReload(
  action: () => Promise<unknown>,
  success: string | null,
  reload: () => Promise<void>,
): Promise<void> {
  try {
    await action()
    if (success) ElMessage.success(success)
    await reload()
  } catch (e) {
    ElMessage.error(describeError(e))
  }
}
