import { Check, Copy } from 'lucide-react'
import { useEffect, useState } from 'react'
import { toast } from 'sonner'
import { Button } from './ui/button'

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text)
    return
  }
  // Plain-http dashboards (a LAN box) have no Clipboard API; fall back to a hidden textarea.
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  document.execCommand('copy')
  area.remove()
}

export function CopyButton({
  value,
  label = 'Copy',
  size = 'sm',
  variant = 'outline',
}: {
  value: string
  label?: string
  size?: 'sm' | 'icon-sm' | 'default'
  variant?: 'outline' | 'ghost' | 'secondary'
}) {
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    if (!copied) return
    const timer = setTimeout(() => setCopied(false), 2000)
    return () => clearTimeout(timer)
  }, [copied])
  const onClick = () => {
    copyText(value).then(
      () => setCopied(true),
      () => toast.error('Copy failed: select the text and copy it by hand'),
    )
  }
  return (
    <Button variant={variant} size={size} onClick={onClick} aria-label={label}>
      {copied ? <Check className="text-success" /> : <Copy />}
      {size === 'icon-sm' ? null : copied ? 'Copied' : label}
    </Button>
  )
}
