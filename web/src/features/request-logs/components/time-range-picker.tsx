import { CalendarClock, Check, ChevronDown } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover'
import { Separator } from '@/components/ui/separator'
import { cn } from '@/lib/utils'
import { TIMEFRAMES, type LogFilters } from '../filters'
import { customRangeProblem, isoToLocalInput, localInputToIso, rangeLabel } from '../time-range'

type Range = Pick<LogFilters, 'timeframe' | 'since' | 'until'>

/**
 * The time range: a preset counting back from now, or a custom from/to typed in the user's local
 * time and handed on as UTC instants (what the API and a shared link need).
 */
export function TimeRangePicker({
  value,
  onChange,
}: {
  value: Range
  onChange(range: Range): void
}) {
  const [open, setOpen] = useState(false)
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [problem, setProblem] = useState<string | null>(null)

  const onOpenChange = (next: boolean) => {
    if (next) {
      // Start from the range in force, so adjusting one end keeps the other.
      setFrom(isoToLocalInput(value.since))
      setTo(isoToLocalInput(value.until))
      setProblem(null)
    }
    setOpen(next)
  }
  const choose = (range: Range) => {
    onChange(range)
    setOpen(false)
  }
  const apply = (e: FormEvent) => {
    e.preventDefault()
    const since = localInputToIso(from)
    const until = localInputToIso(to)
    const why = customRangeProblem(since, until)
    if (why) return setProblem(why)
    choose({ timeframe: 'custom', since, until })
  }

  return (
    <Popover open={open} onOpenChange={onOpenChange}>
      <PopoverTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Time range: ${rangeLabel(value)}`}>
          <CalendarClock />
          <span className="max-w-64 truncate">{rangeLabel(value)}</span>
          <ChevronDown className="opacity-60" />
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-80 p-2">
        <div role="group" aria-label="Presets" className="grid gap-0.5">
          {TIMEFRAMES.map((t) => {
            const on = value.timeframe === t.value
            return (
              <button
                key={t.value}
                type="button"
                aria-pressed={on}
                onClick={() => choose({ timeframe: t.value, since: null, until: null })}
                className={cn(
                  'flex items-center justify-between rounded-sm px-2 py-1.5 text-left text-sm hover:bg-accent',
                  on && 'font-medium',
                )}
              >
                {t.label}
                {on ? <Check className="size-4 text-muted-foreground" /> : null}
              </button>
            )
          })}
        </div>
        <Separator className="my-2" />
        <form onSubmit={apply} className="grid gap-2 px-2 pb-1" noValidate>
          <p className="text-xs font-medium text-muted-foreground">
            Custom range (your local time)
          </p>
          <Label className="grid gap-1 text-xs font-normal">
            From
            <Input
              type="datetime-local"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              aria-invalid={problem !== null}
            />
          </Label>
          <Label className="grid gap-1 text-xs font-normal">
            To
            <Input
              type="datetime-local"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              aria-invalid={problem !== null}
            />
          </Label>
          {problem ? (
            <p role="alert" className="text-xs text-destructive">
              {problem}
            </p>
          ) : null}
          <Button type="submit" size="sm">
            Apply range
          </Button>
        </form>
      </PopoverContent>
    </Popover>
  )
}
