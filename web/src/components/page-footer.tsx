import { ChevronLeft, ChevronRight } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { NativeSelect } from '@/components/ui/native-select'
import { formatInteger } from '@/lib/format'

/** Where a paged table stands: "1–50 of 1,234", rows per page, previous and next. */
export function PageFooter(props: {
  offset: number
  limit: number
  /** Rows on this page. */
  shown: number
  total: number
  hasMore: boolean
  sizes: readonly number[]
  onLimit: (limit: number) => void
  onOffset: (offset: number) => void
}) {
  const { offset, limit, shown, total } = props
  const from = total > 0 ? offset + 1 : 0
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 border-t px-5 py-3 text-sm">
      <span className="text-muted-foreground tabular-nums">
        {formatInteger(from)}–{formatInteger(offset + shown)} of {formatInteger(total)}
      </span>
      <div className="flex items-center gap-2">
        <NativeSelect
          aria-label="Rows per page"
          value={String(limit)}
          onChange={(e) => props.onLimit(Number(e.target.value))}
          className="w-32"
        >
          {props.sizes.map((n) => (
            <option key={n} value={n}>
              {n} / page
            </option>
          ))}
        </NativeSelect>
        <Button
          variant="outline"
          size="icon-sm"
          aria-label="Previous page"
          disabled={offset === 0}
          onClick={() => props.onOffset(Math.max(0, offset - limit))}
        >
          <ChevronLeft />
        </Button>
        <Button
          variant="outline"
          size="icon-sm"
          aria-label="Next page"
          disabled={!props.hasMore}
          onClick={() => props.onOffset(offset + limit)}
        >
          <ChevronRight />
        </Button>
      </div>
    </div>
  )
}
