import type { RequestLogDetail } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { QueryError } from '@/components/query-error'
import { Skeleton } from '@/components/ui/skeleton'
import {
  Sheet,
  SheetBody,
  SheetContent,
  SheetDescription,
  SheetHeader,
  SheetTitle,
} from '@/components/ui/sheet'
import { isApiError } from '@/lib/api-client'
import { requestLogDetailQuery } from '../queries'
import { AttemptChain } from './attempt-chain'
import { AttemptFields } from './attempt-fields'

/**
 * The side panel a request-log row opens: every field of that attempt and the chain of attempts
 * that share its request id. `id` null means closed; Esc, the overlay and the close button close it.
 */
export function RequestDetailPanel({ id, onClose }: { id: number | null; onClose(): void }) {
  return (
    <Sheet open={id !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      {/* Keyed by row: opening another row starts again from that row's own fields. */}
      {id === null ? null : <DetailContent key={id} id={id} />}
    </Sheet>
  )
}

function DetailContent({ id }: { id: number }) {
  const detail = useQuery(requestLogDetailQuery(id))
  const attempts = detail.data?.chain.length ?? 0
  return (
    <SheetContent data-testid="request-detail-panel">
      <SheetHeader>
        <SheetTitle>Request details</SheetTitle>
        <SheetDescription>
          {attempts > 1
            ? `${attempts} attempts share this request ID, oldest first.`
            : 'Every field the request log keeps for this attempt.'}
        </SheetDescription>
      </SheetHeader>
      <SheetBody>
        {detail.isPending ? (
          <div className="space-y-2">
            {[0, 1, 2, 3, 4, 5].map((i) => (
              <Skeleton key={i} className="h-6 w-full" />
            ))}
          </div>
        ) : detail.isError ? (
          isApiError(detail.error) && detail.error.status === 404 ? (
            <p role="alert" className="text-sm text-muted-foreground">
              This request is no longer in the log: it may have been removed since the page loaded.
            </p>
          ) : (
            <QueryError
              error={detail.error}
              what="request details"
              onRetry={() => void detail.refetch()}
            />
          )
        ) : (
          <DetailBody detail={detail.data} />
        )}
      </SheetBody>
    </SheetContent>
  )
}

/** The chain (when there was more than one attempt) and the fields of the attempt picked in it. */
function DetailBody({ detail }: { detail: RequestLogDetail }) {
  const [shownId, setShownId] = useState(detail.attempt.id)
  const shown = detail.chain.find((a) => a.id === shownId) ?? detail.attempt
  return (
    <>
      {detail.chain.length > 1 ? (
        <section aria-label="Failover chain" className="space-y-2">
          <h3 className="text-sm font-medium">Attempts</h3>
          <AttemptChain chain={detail.chain} shownId={shown.id} onShow={setShownId} />
        </section>
      ) : null}
      <AttemptFields attempt={shown} />
    </>
  )
}
