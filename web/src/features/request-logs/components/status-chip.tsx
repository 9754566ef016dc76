import { Badge, type BadgeVariant } from '@/components/ui/badge'

export const LOG_STATUS_META: Record<string, { label: string; variant: BadgeVariant }> = {
  ok: { label: 'OK', variant: 'success' },
  rate_limit: { label: 'Rate limit', variant: 'warning' },
  quota: { label: 'Quota', variant: 'warning' },
  error: { label: 'Error', variant: 'destructive' },
}

export function StatusChip({ status }: { status: string }) {
  const meta = LOG_STATUS_META[status] ?? { label: status, variant: 'muted' as const }
  return <Badge variant={meta.variant}>{meta.label}</Badge>
}
