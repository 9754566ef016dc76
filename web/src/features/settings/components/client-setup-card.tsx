import { useQuery } from '@tanstack/react-query'
import { TerminalSquare } from 'lucide-react'
import { CopyButton } from '@/components/copy-button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { settingsQuery } from '../queries'

export function codexConfigToml(origin: string, withKey: boolean): string {
  const lines = [
    'model_provider = "codex-lb"',
    '',
    '[model_providers.codex-lb]',
    'name = "codex-lb"',
    `base_url = "${origin}/backend-api/codex"`,
    'wire_api = "responses"',
  ]
  // Without required keys Codex needs no credential for this provider at all.
  if (withKey) lines.push('env_key = "CODEX_LB_API_KEY"')
  return lines.join('\n')
}

export function openAiSdkSnippet(origin: string): string {
  return [
    "import OpenAI from 'openai'",
    '',
    'const client = new OpenAI({',
    `  baseURL: '${origin}/v1',`,
    "  apiKey: process.env.CODEX_LB_API_KEY ?? 'unused',",
    '})',
  ].join('\n')
}

function Snippet({ code, label }: { code: string; label: string }) {
  return (
    <div className="relative">
      <pre className="overflow-x-auto rounded-lg border bg-muted/50 p-4 pr-24 font-mono text-xs leading-relaxed">
        <code>{code}</code>
      </pre>
      <div className="absolute top-2 right-2">
        <CopyButton value={code} label={label} variant="secondary" />
      </div>
    </div>
  )
}

export function ClientSetupCard() {
  const settings = useQuery(settingsQuery())
  const origin = window.location.origin
  const withKey = settings.data?.apiKeyAuthEnabled ?? false
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <TerminalSquare className="size-4 text-muted-foreground" /> Client setup
        </CardTitle>
        <CardDescription>Point Codex CLI or any OpenAI SDK at this server.</CardDescription>
      </CardHeader>
      <CardContent>
        <Tabs defaultValue="codex">
          <TabsList>
            <TabsTrigger value="codex">Codex CLI</TabsTrigger>
            <TabsTrigger value="sdk">OpenAI SDK</TabsTrigger>
          </TabsList>
          <TabsContent value="codex" className="space-y-2">
            <p className="text-sm text-muted-foreground">
              Add to <code className="font-mono text-foreground">~/.codex/config.toml</code>:
            </p>
            <Snippet code={codexConfigToml(origin, withKey)} label="Copy" />
            {withKey ? (
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
            <Snippet code={openAiSdkSnippet(origin)} label="Copy" />
          </TabsContent>
        </Tabs>
      </CardContent>
    </Card>
  )
}
