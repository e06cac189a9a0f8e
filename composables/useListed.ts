import type { Ref } from 'vue'

/**
 * A list a page or panel shows from the admin API: loaded when the component mounts and again by
 * `load()` (after a save), with `loading` true while a load runs. A failed call shows its toast
 * (`call`) and leaves the list empty.
 */
export function useListed<T>(query: () => Promise<T[]>): { rows: Ref<T[]>; loading: Ref<boolean>; load: () => Promise<void> } {
  const rows = ref([]) as Ref<T[]>
  const loading = ref(true)
  async function load() {
    loading.value = true
    rows.value = (await call(query())) ?? []
    loading.value = false
  }
  onMounted(load)
  return { rows, loading, load }
}
