import type { ApiKeyCreated } from '@codex-lb/shared'
import { TriangleAlert } from 'lucide-react'
import { CopyButton } from '@/components/copy-button'
import { Alert, AlertDescription } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog'

/** The plaintext key exists only in this dialog's props: closing it drops the last copy. */
export function KeyCreatedDialog({
  created,
  onClose,
}: {
  created: { key: ApiKeyCreated; regenerated: boolean } | null
  onClose(): void
}) {
  return (
    <Dialog open={created !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        className="max-w-lg"
        onInteractOutside={(e) => e.preventDefault()}
        showClose={false}
      >
        <DialogHeader>
          <DialogTitle>
            {created?.regenerated ? 'New key generated' : 'API key created'}
          </DialogTitle>
          <DialogDescription>
            {created ? (
              <>
                Key <span className="font-medium text-foreground">{created.key.name}</span>. Use it
                as the bearer token for <code className="font-mono">/v1</code> and{' '}
                <code className="font-mono">/backend-api/codex</code>.
              </>
            ) : null}
          </DialogDescription>
        </DialogHeader>
        {created ? (
          <>
            <div className="flex items-center gap-2 rounded-lg border bg-muted/40 p-3">
              <code
                className="flex-1 font-mono text-sm break-all select-all"
                data-testid="created-key"
              >
                {created.key.key}
              </code>
              <CopyButton value={created.key.key} />
            </div>
            <Alert variant="warning">
              <TriangleAlert />
              <AlertDescription>
                This is the only time the key is shown. Store it now; later you can only regenerate
                it.
              </AlertDescription>
            </Alert>
          </>
        ) : null}
        <DialogFooter>
          <Button onClick={onClose}>I stored it</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
