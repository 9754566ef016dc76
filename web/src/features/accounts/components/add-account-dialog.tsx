import { useQueryClient } from '@tanstack/react-query'
import { FileJson, Globe, Smartphone } from 'lucide-react'
import { useCallback, useEffect, useRef } from 'react'
import { toast } from 'sonner'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { accountKeys } from '../queries'
import { ImportAuthJsonPanel } from './import-auth-json-panel'
import { OauthBrowserPanel } from './oauth-browser-panel'
import { OauthDevicePanel } from './oauth-device-panel'

export function AddAccountDialog({
  open,
  onOpenChange,
  relogin,
}: {
  open: boolean
  onOpenChange(open: boolean): void
  /** Email of an account being signed in again (same flow; the server upserts by email). */
  relogin?: string | null
}) {
  const queryClient = useQueryClient()
  // Both the status poll and a /complete answer can report success; announce it once per opening.
  const finished = useRef(false)
  useEffect(() => {
    if (open) finished.current = false
  }, [open])
  const finish = useCallback(
    (message: string) => {
      if (finished.current) return
      finished.current = true
      toast.success(message)
      void queryClient.invalidateQueries({ queryKey: accountKeys.all })
      void queryClient.invalidateQueries({ queryKey: ['overview'] })
      onOpenChange(false)
    },
    [queryClient, onOpenChange],
  )
  const onSignedIn = useCallback(
    (email: string | null) => finish(email ? `Signed in ${email}` : 'Account signed in'),
    [finish],
  )
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-lg">
        <DialogHeader>
          <DialogTitle>{relogin ? 'Sign in again' : 'Add account'}</DialogTitle>
          <DialogDescription>
            {relogin ? (
              <>
                Sign in as <span className="font-medium text-foreground">{relogin}</span> to refresh
                its tokens.
              </>
            ) : (
              'Add a ChatGPT account with a Codex-enabled plan to the pool.'
            )}
          </DialogDescription>
        </DialogHeader>
        {/* Unmounted when closed, so a reopened dialog starts a fresh flow. */}
        {open ? (
          <Tabs defaultValue="browser">
            <TabsList className="w-full">
              <TabsTrigger value="browser">
                <Globe /> Browser
              </TabsTrigger>
              <TabsTrigger value="device">
                <Smartphone /> Device code
              </TabsTrigger>
              <TabsTrigger value="import">
                <FileJson /> auth.json
              </TabsTrigger>
            </TabsList>
            <TabsContent value="browser">
              <OauthBrowserPanel onDone={onSignedIn} />
            </TabsContent>
            <TabsContent value="device">
              <OauthDevicePanel onDone={onSignedIn} />
            </TabsContent>
            <TabsContent value="import">
              <ImportAuthJsonPanel onImported={(email) => finish(`Imported ${email}`)} />
            </TabsContent>
          </Tabs>
        ) : null}
      </DialogContent>
    </Dialog>
  )
}
