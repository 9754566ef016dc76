import { Columns3, RotateCcw } from 'lucide-react'
import { Button } from '@/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { LOG_COLUMNS, type LogColumnId } from '../columns'

/** Which optional columns the table shows; the menu stays open while ticking several. */
export function ColumnChooser({
  hidden,
  onVisibleChange,
  onReset,
}: {
  hidden: ReadonlySet<LogColumnId>
  onVisibleChange(id: LogColumnId, visible: boolean): void
  onReset(): void
}) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm">
          <Columns3 /> Columns
          {hidden.size ? (
            <span className="text-xs text-muted-foreground tabular-nums">
              {LOG_COLUMNS.length - hidden.size}/{LOG_COLUMNS.length}
            </span>
          ) : null}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-48">
        <DropdownMenuLabel>Show columns</DropdownMenuLabel>
        {LOG_COLUMNS.map((c) => (
          <DropdownMenuCheckboxItem
            key={c.id}
            checked={!hidden.has(c.id)}
            onCheckedChange={(on) => onVisibleChange(c.id, on)}
            onSelect={(e) => e.preventDefault()}
          >
            {c.label}
          </DropdownMenuCheckboxItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem disabled={hidden.size === 0} onSelect={onReset}>
          <RotateCcw /> Reset columns
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
