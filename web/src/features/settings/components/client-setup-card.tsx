import { codexConfigToml, openAiSdkSnippet } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { TerminalSquare } from 'lucide-react'
import { CopyButton } from '@/components/copy-button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { settingsQuery } from '../queries'

function Snippet({ code, label, testId }: { code: string; label: string; testId: string }) {
  return (
    <div className="relative">
      <pre className="overflow-x-auto rounded-lg border bg-muted/50 p-4 pr-24 font-mono text-xs leading-relaxed">
        <code data-testid={testId}>{code}</code>
      </pre>
      <div className="absolute top-2 right-2">
        <CopyButton value={code} label={label} variant="secondary" />
      </div>
    </div>
  )
}

/** The snippets for this page's origin; which auth lines they carry depends on the setting. */
function ClientSetupTabs({ apiKeyRequired }: { apiKeyRequired: boolean }) {
  const origin = window.location.origin
  const options = { origin, apiKeyRequired }
  return (
    <Tabs defaultValue="codex">
      <TabsList>
        <TabsTrigger value="codex">Codex CLI</TabsTrigger>
        <TabsTrigger value="sdk">OpenAI SDK</TabsTrigger>
      </TabsList>
      <TabsContent value="codex" className="space-y-2">
        <p className="text-sm text-muted-foreground">
          Add to <code className="font-mono text-foreground">~/.codex/config.toml</code>:
        </p>
        <Snippet code={codexConfigToml(options)} label="Copy" testId="codex-config" />
        {apiKeyRequired ? (
          <p className="text-sm text-muted-foreground">
            Then give Codex a key from API keys:{' '}
            <code className="font-mono text-foreground">export CODEX_LB_API_KEY=sk-clb-…</code>
          </p>
        ) : null}
      </TabsContent>
      <TabsContent value="sdk" className="space-y-2">
        <p className="text-sm text-muted-foreground">
          Base URL <code className="font-mono text-foreground">{origin}/v1</code> (Responses and
          Chat Completions):
        </p>
        <Snippet code={openAiSdkSnippet(options)} label="Copy" testId="sdk-snippet" />
      </TabsContent>
    </Tabs>
  )
}

export function ClientSetupCard() {
  const settings = useQuery(settingsQuery())
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <TerminalSquare className="size-4 text-muted-foreground" /> Client setup
        </CardTitle>
        <CardDescription>Point Codex CLI or any OpenAI SDK at this server.</CardDescription>
      </CardHeader>
      <CardContent>
        {/* Until the setting is known, either snippet could be the wrong one to copy. */}
        {settings.isPending ? (
          <Skeleton className="h-40 w-full" />
        ) : settings.isError ? (
          <p className="text-sm text-muted-foreground">Settings are unavailable.</p>
        ) : (
          <ClientSetupTabs apiKeyRequired={settings.data.apiKeyAuthEnabled} />
        )}
      </CardContent>
    </Card>
  )
}
