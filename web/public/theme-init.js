/* global document, matchMedia */
// Applies the saved theme before first paint so dark mode never flashes white. A file, not an
// inline <script>: the Content-Security-Policy allows scripts from our own origin only.
try {
  const t = localStorage.getItem('codex-lb-theme') || 'system'
  const dark =
    t === 'dark' || (t === 'system' && matchMedia('(prefers-color-scheme: dark)').matches)
  document.documentElement.classList.toggle('dark', dark)
} catch {
  // Storage blocked (private mode, policy): the default theme applies.
}
