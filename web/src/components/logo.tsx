import { cn } from '@/lib/utils'

export function Logo({ className }: { className?: string }) {
  return (
    <div className={cn('flex items-center gap-2.5', className)}>
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden="true">
        <rect width="32" height="32" rx="8" className="fill-foreground" />
        <path
          d="M9 11h14M9 16h14M9 21h14"
          className="stroke-brand"
          strokeWidth="2.5"
          strokeLinecap="round"
        />
        <circle cx="13" cy="11" r="2.2" className="fill-background" />
        <circle cx="19" cy="16" r="2.2" className="fill-background" />
        <circle cx="15" cy="21" r="2.2" className="fill-background" />
      </svg>
      <span className="text-[15px] font-semibold tracking-tight">codex-lb</span>
    </div>
  )
}
