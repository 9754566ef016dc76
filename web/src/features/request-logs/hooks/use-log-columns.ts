import { useCallback, useState } from 'react'
import { loadHiddenColumns, saveHiddenColumns, type LogColumnId } from '../columns'

const storage = () => (typeof window === 'undefined' ? undefined : window.localStorage)

/** The table's hidden columns, remembered in this browser. */
export function useLogColumns() {
  const [hidden, setHidden] = useState<ReadonlySet<LogColumnId>>(() => loadHiddenColumns(storage()))
  const update = useCallback((next: ReadonlySet<LogColumnId>) => {
    saveHiddenColumns(storage(), next)
    setHidden(next)
  }, [])
  const setVisible = useCallback(
    (id: LogColumnId, visible: boolean) => {
      const next = new Set(hidden)
      if (visible) next.delete(id)
      else next.add(id)
      update(next)
    },
    [hidden, update],
  )
  const reset = useCallback(() => update(new Set()), [update])
  return { hidden, setVisible, reset }
}
