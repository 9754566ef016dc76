import { Search } from 'lucide-react'
import { Input } from '@/components/ui/input'
import { cn } from '@/lib/utils'

/** A text input with a search icon inside it; `className` sizes the wrapper. */
export function SearchInput({
  value,
  onValueChange,
  placeholder,
  label,
  className,
}: {
  value: string
  onValueChange(value: string): void
  placeholder: string
  /** The accessible name. */
  label: string
  className?: string
}) {
  return (
    <div className={cn('relative', className)}>
      <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
      <Input
        placeholder={placeholder}
        aria-label={label}
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        className="pl-8"
      />
    </div>
  )
}
