import { useLoader, type Loader } from './useLoader'

export interface Paged<T> {
  items: T[]
  total: number
}

/**
 * A filtered, paged list: `fetcher` reads the (reactive) `filters`, `search()` goes back to page 1 and
 * reloads, for a changed filter or page size.
 */
export function usePagedList<F extends { page: number; pageSize: number }, T>(
  filters: F,
  fetcher: (filters: F) => Promise<Paged<T>>,
): { list: Loader<Paged<T>>; search: () => void } {
  const list = useLoader(() => fetcher(filters), { items: [], total: 0 } as Paged<T>)
  function search() {
    filters.page = 1
    void list.load()
  }
  return { list, search }
}
