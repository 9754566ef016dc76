import { Input } from '@/components/ui/input'
import { cn } from '@/lib/utils'

/**
 * One field for a 6-digit code: password managers and SMS/authenticator autofill fill a single input
 * far more reliably than six boxes. Calls `onComplete` as soon as six digits are present.
 */
export function OtpInput({
  value,
  onChange,
  onComplete,
  id,
  autoFocus,
  disabled,
  invalid,
  className,
}: {
  value: string
  onChange(value: string): void
  onComplete?(code: string): void
  id?: string
  autoFocus?: boolean
  disabled?: boolean
  invalid?: boolean
  className?: string
}) {
  return (
    <Input
      id={id}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      maxLength={6}
      placeholder="000000"
      autoFocus={autoFocus}
      disabled={disabled}
      aria-invalid={invalid || undefined}
      className={cn('h-11 text-center font-mono text-xl tracking-[0.5em]', className)}
      value={value}
      onChange={(event) => {
        const digits = event.target.value.replace(/\D/g, '').slice(0, 6)
        onChange(digits)
        if (digits.length === 6) onComplete?.(digits)
      }}
    />
  )
}
