import { useMutation } from '@tanstack/react-query'
import { FileJson, Loader2, Upload } from 'lucide-react'
import { useRef, useState, type DragEvent } from 'react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { errorMessage } from '@/lib/api-client'
import { cn } from '@/lib/utils'
import { importAuthJson } from '../api'

export function ImportAuthJsonPanel({ onImported }: { onImported(email: string): void }) {
  const input = useRef<HTMLInputElement>(null)
  const [dragging, setDragging] = useState(false)
  const upload = useMutation({
    mutationFn: (file: File) => importAuthJson(file, file.name),
    onSuccess: (result) => onImported(result.email),
  })
  const pick = (file: File | undefined) => {
    if (file) upload.mutate(file)
  }
  const onDrop = (event: DragEvent) => {
    event.preventDefault()
    setDragging(false)
    pick(event.dataTransfer.files[0])
  }
  return (
    <div className="space-y-4">
      <p className="text-sm text-muted-foreground">
        Import the <code className="font-mono text-foreground">auth.json</code> that the Codex CLI
        writes to <code className="font-mono text-foreground">~/.codex/auth.json</code> after{' '}
        <code className="font-mono text-foreground">codex login</code>.
      </p>
      <button
        type="button"
        onClick={() => input.current?.click()}
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        disabled={upload.isPending}
        className={cn(
          'flex w-full flex-col items-center gap-2 rounded-lg border-2 border-dashed px-4 py-8 text-sm text-muted-foreground transition-colors hover:border-brand/50 hover:bg-muted/40',
          dragging && 'border-brand bg-brand/5',
        )}
      >
        {upload.isPending ? (
          <Loader2 className="size-6 animate-spin" />
        ) : (
          <FileJson className="size-6" />
        )}
        <span>
          <span className="font-medium text-foreground">Choose a file</span> or drop it here
        </span>
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        className="sr-only"
        aria-label="auth.json file"
        data-testid="auth-json-input"
        onChange={(e) => {
          pick(e.target.files?.[0])
          e.target.value = ''
        }}
      />
      {upload.isError ? (
        <Alert variant="destructive">
          <Upload />
          <AlertTitle>Import failed</AlertTitle>
          <AlertDescription>{errorMessage(upload.error)}</AlertDescription>
        </Alert>
      ) : null}
    </div>
  )
}
